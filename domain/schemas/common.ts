/** Building blocks shared by the entity schemas. */
// zod/mini: the same schemas and JSON Schema output as zod's classic API, built from functions
// instead of methods, so bundles carry only what is used and schemas are cheap to build at
// import (the classic API cost every Lambda ~16 ms and 95 KB at cold start).
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { AFFILIATIONS, CRIME_TYPES, CYBER_STRANDS, FUNDER_IDS, LEAD_ORGANISATION_IDS, SCOPES } from '../alliance';
import { parseFinancialYear } from '../financial-year';
import { freeTextProblem, normaliseText, type FreeTextRule } from '../free-text';
import { MAX_PENCE } from '../money';

// Messages for the few rules that name none of their own (zod/mini loads no locale by itself).
z.config(en());

/** Whole pence from 0 to the ceiling. */
export const penceSchema = z
  .number({ error: 'must be a number of pence' })
  .check(
    z.int({ error: 'must be a whole number of pence' }),
    z.gte(0, { error: 'must not be negative' }),
    z.lte(MAX_PENCE, { error: `must not exceed ${MAX_PENCE} pence (£100,000,000)` }),
  );

/** Whole pence above zero. */
export const positivePenceSchema = penceSchema.check(z.gte(1, { error: 'must be at least 1 penny' }));

/** A financial year as written in bodies: "2025/26"; stored as written, less surrounding whitespace. */
export const financialYearSchema = z.string({ error: 'must be a financial year like 2025/26' }).check(
  z.overwrite(normaliseText),
  z.superRefine((text, ctx) => {
    const parsed = parseFinancialYear(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
    else if (!text.includes('/')) ctx.addIssue({ code: 'custom', message: 'financial year must be written like 2025/26' });
  }),
  z.meta({ description: 'UK financial year, 1 April to 31 March', example: '2025/26' }),
);

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

export const funderIdSchema = z.enum(FUNDER_IDS, { error: oneOf(FUNDER_IDS) }).check(z.meta({ id: 'FunderId' }));
export const affiliationSchema = z.enum(AFFILIATIONS, { error: oneOf(AFFILIATIONS) }).check(z.meta({ id: 'Affiliation' }));
export const leadOrganisationSchema = z
  .enum(LEAD_ORGANISATION_IDS, { error: oneOf(LEAD_ORGANISATION_IDS) })
  .check(z.meta({ id: 'LeadOrganisation' }));
export const scopeSchema = z.enum(SCOPES, { error: oneOf(SCOPES) }).check(z.meta({ id: 'Scope' }));
export const crimeTypeSchema = z.enum(CRIME_TYPES, { error: oneOf(CRIME_TYPES) });
export const cyberStrandSchema = z.enum(CYBER_STRANDS, { error: oneOf(CYBER_STRANDS) });

const freeText = (rule: FreeTextRule) =>
  z.superRefine<string>((text, ctx) => {
    const problem = freeTextProblem(text, rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** One line of text, normalised (trimmed, NFC), with a length limit and the free-text rule. */
export const lineTextSchema = (max: number) =>
  z
    .string({ error: 'must be text' })
    .check(
      z.overwrite(normaliseText),
      z.minLength(1, { error: 'must not be empty' }),
      z.maxLength(max, { error: `must be at most ${max} characters` }),
      freeText({ multiline: false }),
    );

/** Free text that may span lines, normalised (trimmed, NFC), with the free-text rule. */
export const longTextSchema = (max: number) =>
  z
    .string({ error: 'must be text' })
    .check(z.overwrite(normaliseText), z.maxLength(max, { error: `must be at most ${max} characters` }), freeText({ multiline: true }));

/** An array with no repeated values. */
export const uniqueArray = <T extends z.ZodMiniType<string>>(item: T, min: number, max: number, noun: string) =>
  z.array(item, { error: `must be a list of ${noun}` }).check(
    z.minLength(min, { error: `must name at least ${min} ${noun}` }),
    z.maxLength(max, { error: `must name at most ${max} ${noun}` }),
    z.refine((list) => new Set(list).size === list.length, { error: `must not repeat ${noun}` }),
  );

/** Identifiers of a signed-in user (the token's subject). */
export const subjectSchema = z.string().check(z.minLength(1), z.maxLength(256));

export const isoTimestampSchema = z.string().check(z.meta({ format: 'date-time', example: '2026-04-01T09:30:00.000Z' }));
