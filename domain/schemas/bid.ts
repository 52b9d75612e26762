/** The bid: its stored shape, the create and patch bodies, and the rules across fields. */
import * as z from 'zod/mini';
import { ALLIANCE_SCOPE, FUNDER_IDS } from '../alliance';
import { organisationName, scopeAllowedFor, scopeName } from '../funders';
import { costLinesMismatch, costLinesMismatchMessage } from '../cost-lines';
import {
  crimeTypeSchema,
  cyberStrandSchema,
  financialYearSchema,
  funderIdSchema,
  isoTimestampSchema,
  leadOrganisationSchema,
  lineTextSchema,
  longTextSchema,
  penceSchema,
  positivePenceSchema,
  scopeSchema,
  subjectSchema,
  uniqueArray,
} from './common';
import { quarterSchema } from './monitoring-return';
import { outcomeMeasuresSchema } from './outcome';

export const BID_STATUSES = [
  'draft',
  'submitted',
  'info-requested',
  'recommended',
  'not-recommended',
  'approved',
  'declined',
  'released',
  'withdrawn',
] as const;
export const bidStatusSchema = z.enum(BID_STATUSES).check(z.meta({ id: 'BidStatus' }));
export type BidStatus = z.infer<typeof bidStatusSchema>;

export const DECISIONS = ['pending', 'approved', 'declined', 'released'] as const;
export const decisionSchema = z.enum(DECISIONS).check(z.meta({ id: 'Decision' }));
export type Decision = z.infer<typeof decisionSchema>;

export const costLineSchema = z
  .strictObject({ item: lineTextSchema(200), pence: positivePenceSchema })
  .check(z.meta({ id: 'CostLine', description: 'One costed item of an action plan' }));
export type CostLine = z.infer<typeof costLineSchema>;

/** The fields a bidder writes: shared by create, patch and the stored bid. */
const bidFieldShapes = {
  fy: financialYearSchema,
  title: lineTextSchema(200),
  description: z.optional(longTextSchema(5000)),
  leadOrganisation: leadOrganisationSchema,
  scope: scopeSchema,
  crimeTypes: uniqueArray(crimeTypeSchema, 1, 3, 'crime types'),
  cyberStrands: z.optional(uniqueArray(cyberStrandSchema, 0, 4, 'cyber strands')),
  requestedPence: positivePenceSchema,
  costLines: z.optional(z.array(costLineSchema).check(z.maxLength(100, { error: 'must have at most 100 cost lines' }))),
  /** Optional until approval (docs/design.md §1.4). */
  outcomeMeasures: z.optional(outcomeMeasuresSchema),
};

export type BidFields = z.infer<z.ZodMiniObject<typeof bidFieldShapes>>;

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Rules that span fields (docs/design.md §1): cyber strands go with the cyber crime type, cost lines
 * sum to the request, and the scope fits the lead organisation (budget check 5).
 */
export function bidFieldIssues(bid: BidFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const strands = bid.cyberStrands ?? [];
  if (bid.crimeTypes.includes('cyber') && strands.length === 0) {
    issues.push({ path: 'cyberStrands', message: 'a cyber bid must name at least one cyber strand (pursue, prevent, prepare, protect)' });
  }
  if (!bid.crimeTypes.includes('cyber') && strands.length > 0) {
    issues.push({ path: 'cyberStrands', message: 'cyber strands apply only to bids whose crime types include cyber' });
  }
  const costLines = costLinesMismatch(bid);
  if (costLines) issues.push({ path: 'costLines', message: costLinesMismatchMessage(costLines) });
  if (!scopeAllowedFor(bid.leadOrganisation, bid.scope)) {
    issues.push({
      path: 'scope',
      message: `${organisationName(bid.leadOrganisation)} cannot file a bid for ${scopeName(bid.scope)}; use ${ALLIANCE_SCOPE} or its own area`,
    });
  }
  return issues;
}

const withFieldRules = <T extends BidFields>(value: T, ctx: z.core.$RefinementCtx<T>) => {
  for (const issue of bidFieldIssues(value)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
};

export const bidCreateSchema = z
  .strictObject({
    ...bidFieldShapes,
    submit: z.optional(z.boolean({ error: 'must be true or false' })),
  })
  .check(
    z.superRefine(withFieldRules),
    z.meta({ id: 'BidCreate', description: 'A new bid; submitted at once when submit is true, else a draft' }),
  );
export type BidCreate = z.infer<typeof bidCreateSchema>;

/** Any subset of the bidder's fields; the merged bid is checked with bidFieldIssues. */
export const bidPatchSchema = z
  .strictObject({
    fy: z.optional(bidFieldShapes.fy),
    title: z.optional(bidFieldShapes.title),
    description: bidFieldShapes.description,
    leadOrganisation: z.optional(bidFieldShapes.leadOrganisation),
    scope: z.optional(bidFieldShapes.scope),
    crimeTypes: z.optional(bidFieldShapes.crimeTypes),
    cyberStrands: bidFieldShapes.cyberStrands,
    requestedPence: z.optional(bidFieldShapes.requestedPence),
    costLines: bidFieldShapes.costLines,
    outcomeMeasures: bidFieldShapes.outcomeMeasures,
  })
  .check(
    z.refine((patch) => Object.keys(patch).length > 0, { error: 'a patch must change at least one field' }),
    z.meta({ id: 'BidPatch' }),
  );
export type BidPatch = z.infer<typeof bidPatchSchema>;

export const sharesSchema = z
  .partialRecord(funderIdSchema, penceSchema)
  .check(z.meta({ id: 'Shares', description: "Each funder's share in pence; only funders the scope covers appear" }));
export const decisionsSchema = z
  .partialRecord(funderIdSchema, decisionSchema)
  .check(z.meta({ id: 'Decisions', description: "Each funder's decision once the board recommends" }));

/** A calendar date, YYYY-MM-DD (a payment's due date). */
export const isoDateSchema = z.string().check(
  z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a date like 2026-09-30' }),
  z.refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
    error: 'must be a real calendar date',
  }),
  z.meta({ format: 'date', example: '2026-09-30' }),
);

/** One instalment of an approved bid's payment schedule, split between its funders (docs/design.md §3.1). */
export const instalmentSchema = z
  .strictObject({
    due: isoDateSchema,
    amountPence: penceSchema,
    /** Each funder's part of this instalment (running-total split, domain/instalments.ts). */
    parts: sharesSchema,
    /** When each funder released its part; absent until it does. */
    paid: z.partialRecord(funderIdSchema, isoTimestampSchema),
    /** Who released each funder's part (the PCC's subject); absent until it does. */
    paidBy: z.optional(z.partialRecord(funderIdSchema, subjectSchema)),
    /** The monitoring return that must be accepted before any part of this instalment is released. */
    requiresReturn: z.optional(quarterSchema),
  })
  .check(z.meta({ id: 'Instalment' }));
export type Instalment = z.infer<typeof instalmentSchema>;

/** A requested change of an approved bid's amount; each funder in scope approves it again. */
export const variationSchema = z
  .strictObject({
    amountPence: penceSchema,
    shares: sharesSchema,
    reason: z.string(),
    decisions: z.partialRecord(funderIdSchema, z.enum(['pending', 'approved'])),
    requestedBy: subjectSchema,
  })
  .check(z.meta({ id: 'Variation' }));
export type Variation = z.infer<typeof variationSchema>;

export const DECISION_REFERENCE_KEYS = ['board', ...FUNDER_IDS] as const;
export const decisionReferencesSchema = z
  .partialRecord(z.enum(DECISION_REFERENCE_KEYS), z.string())
  .check(z.meta({ id: 'DecisionReferences', description: "The board's minute and each funder's decision notice, the latest of each" }));
export type DecisionReferences = z.infer<typeof decisionReferencesSchema>;

export const bidIdSchema = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a bid id' }));

export const bidSchema = z
  .strictObject({
    id: bidIdSchema,
    ...bidFieldShapes,
    status: bidStatusSchema,
    proposedPence: z.nullable(penceSchema),
    recommendedPence: z.nullable(penceSchema),
    shares: sharesSchema,
    decisions: decisionsSchema,
    version: z.number().check(z.int(), z.gte(1)),
    createdAt: isoTimestampSchema,
    updatedAt: isoTimestampSchema,
    createdBy: subjectSchema,
    updatedBy: subjectSchema,
    /** Who last edited the bidder's fields, and who recommended it: neither may approve it (separation of duties). */
    editedBy: z.optional(subjectSchema),
    recommendedBy: z.optional(subjectSchema),
    /** The payment schedule finance set once the bid was approved (docs/design.md §3.1). */
    payments: z.optional(z.array(instalmentSchema)),
    /** A variation of the approved amount waiting for the funders' approvals (docs/design.md §3.1). */
    variation: z.optional(variationSchema),
    /** Per funder, what it paid beyond its varied share and is due back. */
    clawbackDue: z.optional(sharesSchema),
    /** Per funder, underspend the project returned after being paid (docs/design.md §3.1). */
    returned: z.optional(sharesSchema),
    /** The board minute and each funder's decision notice behind the latest decisions (for reports and exports). */
    decisionReferences: z.optional(decisionReferencesSchema),
  })
  .check(z.meta({ id: 'Bid' }));
export type Bid = z.infer<typeof bidSchema>;

/** The amount a bid's shares are split from: recommended once the board has set it. */
export function fundedAmount(bid: Pick<Bid, 'recommendedPence' | 'proposedPence' | 'requestedPence'>): number {
  return bid.recommendedPence ?? bid.proposedPence ?? bid.requestedPence;
}
