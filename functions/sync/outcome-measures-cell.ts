/**
 * The intake's "Outcome measures" cell (docs/sync.md): entries `measure:target unit` separated by
 * `;`, e.g. `Farms visited:120 visits; Victims supported:40 people`. Each entry is parsed on its
 * own so the report names every bad one; the schema then checks lengths and repeats.
 */
import type { OutcomeMeasure } from '../../domain';

export type MeasuresCell = { ok: true; measures: OutcomeMeasure[] } | { ok: false; reason: string };

/** target then unit: "120 visits", "7.5 %", "1,200 leaflets". */
const TARGET_AND_UNIT = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(\S.*)$/;

export function parseMeasuresCell(text: string): MeasuresCell {
  const entries = text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const measures: OutcomeMeasure[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    // The last colon: a measure may itself contain one ("Cyber: businesses trained:40 businesses").
    const colon = entry.lastIndexOf(':');
    if (colon < 0) {
      problems.push(`"${entry}" must be written measure:target unit, e.g. Farms visited:120 visits`);
      continue;
    }
    const measure = entry.slice(0, colon).trim();
    const match = TARGET_AND_UNIT.exec(entry.slice(colon + 1).trim());
    if (measure === '') problems.push(`"${entry}" names no measure before the colon`);
    else if (!match) problems.push(`"${entry}" needs a target number and a unit after the colon, e.g. 120 visits`);
    else measures.push({ measure, target: Number(`${match[1]!.replace(/,/g, '')}${match[2] ?? ''}`), unit: match[3]!.trim() });
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  return { ok: true, measures };
}
