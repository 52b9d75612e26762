/**
 * The alliance in the FUND.* descriptions Excel shows. The JSDoc of addin/functions/functions.ts
 * names no funder or organisation; it writes a {{placeholder}} (never first in a @param
 * description, where JSDoc would read it as a type), and the build fills it here from
 * domain/alliance.ts, so an alliance of other funders needs no change to the functions' docs.
 */
import {
  defaultCostShare,
  FUNDER_IDS,
  funderChoicesText,
  funderName,
  organisationChoicesText,
  scopeChoicesText,
  BASIS_POINTS_TOTAL,
} from '../../domain';

/** Every placeholder the JSDoc may use, with its text from the alliance data. */
export function functionDocTexts(): Record<string, string> {
  const weights = defaultCostShare();
  return {
    /** "alliance, <funder id> or <funder id>" */
    scopes: scopeChoicesText(),
    /** "<funder id> or <funder id>" */
    funders: funderChoicesText(),
    /** The funders' names in SPLIT's column order. */
    funderNames: FUNDER_IDS.map(funderName).join(', '),
    /** Every lead organisation id. */
    organisations: organisationChoicesText(),
    /** The default weights as percentages in funder order, e.g. "60/40". */
    defaultCostShare: FUNDER_IDS.map((f) => String((weights[f] * 100) / BASIS_POINTS_TOTAL)).join('/'),
  };
}

interface MetadataText {
  description?: string;
  parameters?: { description?: string }[];
  result?: { description?: string };
}

/**
 * functions.json with every {{placeholder}} in a description replaced by its text; a placeholder
 * with no text is a build error, so a typo never reaches Excel.
 */
export function fillFunctionDocs(metadataJson: string, texts: Record<string, string> = functionDocTexts()): string {
  const metadata = JSON.parse(metadataJson) as { functions: MetadataText[] };
  const unknown = new Set<string>();
  const fill = (description: string | undefined): string | undefined =>
    description?.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      const text = texts[name];
      if (text === undefined) unknown.add(whole);
      return text ?? whole;
    });
  for (const fn of metadata.functions) {
    fn.description = fill(fn.description);
    for (const parameter of fn.parameters ?? []) parameter.description = fill(parameter.description);
    if (fn.result) fn.result.description = fill(fn.result.description);
  }
  if (unknown.size > 0) {
    throw new Error(`the FUND.* JSDoc uses ${[...unknown].join(', ')}, which addin/build/function-docs.ts does not fill`);
  }
  return JSON.stringify(metadata, null, 4);
}
