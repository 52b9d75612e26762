/** Declarations of interest in a map, as the DynamoDB adapter keeps them. */
import type { Declaration } from '../../../domain';
import type { DeclarationRepository } from '../ports/declaration-repository';
import { copy, tick } from './values';

export class MemoryDeclarationRepository implements DeclarationRepository {
  /** By year, then id (the first declaration an id records stays). */
  private readonly byYear = new Map<string, Map<string, Declaration>>();

  async recordDeclaration(declaration: Declaration): Promise<void> {
    await tick();
    let ofYear = this.byYear.get(declaration.fy);
    if (!ofYear) this.byYear.set(declaration.fy, (ofYear = new Map()));
    if (!ofYear.has(declaration.id)) ofYear.set(declaration.id, copy(declaration));
  }

  async declarations(fy: string): Promise<Declaration[]> {
    await tick();
    return [...(this.byYear.get(fy)?.values() ?? [])]
      .map((d) => copy(d))
      .sort((a, b) => a.declaredAt.localeCompare(b.declaredAt) || a.id.localeCompare(b.id));
  }
}
