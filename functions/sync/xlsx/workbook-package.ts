/**
 * The parts of an .xlsx package (OPC) and the relationships between them. Every part is read
 * at most once: a workbook that lists one sheet part forty times is refused, not read forty times.
 */
import { ReadBudget, XlsxFormatError } from './limits';
import { readXmlPart, type XmlVisitor } from './xml-reader';
import { readZipParts } from './zip-parts';

export type RelationshipType = 'officeDocument' | 'worksheet' | 'sharedStrings' | 'styles';

export interface Relationship {
  id: string;
  type: RelationshipType;
  /** The target part's name, resolved against the source part. */
  target: string;
}

// Transitional and Strict OOXML spell the namespace differently; the last segment is the same.
const RELATIONSHIP_TYPE = /\/(officeDocument|worksheet|sharedStrings|styles)$/;

export class WorkbookPackage {
  /** Part names are case-insensitive in OPC: lower-case name → name in the archive. */
  private readonly names = new Map<string, string>();
  private readonly read = new Set<string>();

  private constructor(
    private readonly parts: Map<string, Uint8Array>,
    readonly budget: ReadBudget,
  ) {
    for (const name of this.parts.keys()) this.names.set(name.toLowerCase(), name);
  }

  static async open(bytes: Uint8Array, budget: ReadBudget): Promise<WorkbookPackage> {
    return new WorkbookPackage(await readZipParts(bytes, budget), budget);
  }

  has(part: string): boolean {
    return this.names.has(part.toLowerCase());
  }

  /**
   * Stream a part through the visitor, once: its bytes are dropped after. Returns the root
   * element's name, or undefined when the package has no such part.
   */
  async readPart(part: string, visitor: XmlVisitor): Promise<string | undefined> {
    const key = part.toLowerCase();
    if (this.read.has(key)) throw new XlsxFormatError(`the workbook refers to ${part} more than once`);
    const name = this.names.get(key);
    const bytes = name === undefined ? undefined : this.parts.get(name);
    if (name === undefined || bytes === undefined) return undefined;
    this.read.add(key);
    this.parts.delete(name);
    await this.budget.pause();
    return readXmlPart(name, bytes, this.budget, visitor);
  }

  /** The relationships of a part (none when it has no .rels part), internal targets only. */
  async relationshipsOf(source: string): Promise<Relationship[]> {
    const relsPart = `${dirOf(source)}_rels/${source.slice(source.lastIndexOf('/') + 1)}.rels`;
    const found: Relationship[] = [];
    const root = await this.readPart(relsPart, {
      open: (name, attrs, path) => {
        if (name !== 'Relationship' || path.length !== 2) return;
        this.budget.within('relationships', found.length + 1);
        const type = RELATIONSHIP_TYPE.exec(attrs.Type ?? '')?.[1] as RelationshipType | undefined;
        if (!type || !attrs.Target || attrs.TargetMode === 'External') return;
        found.push({ id: attrs.Id ?? '', type, target: resolveTarget(relsPart, dirOf(source), attrs.Target) });
      },
    });
    if (root !== undefined && root !== 'Relationships') throw new XlsxFormatError(`${relsPart} is not a relationships part`);
    return found;
  }
}

const dirOf = (part: string) => part.slice(0, part.lastIndexOf('/') + 1);

/** A relationship target as a part name: absolute ("/xl/…") or relative to the source's folder, never above the package root. */
function resolveTarget(relsPart: string, base: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '..') {
      if (out.length === 0) throw new XlsxFormatError(`${relsPart} points outside the package (${target})`);
      out.pop();
    } else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return out.join('/');
}
