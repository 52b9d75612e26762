/**
 * The FUND.* functions as plain TypeScript: argument checks, money through the domain core (pounds
 * in → parsePounds → pence → split → pounds out), and two kinds of failure the Excel edge maps
 * to error values: bad input (#VALUE!) and an unavailable service (#N/A).
 */
import {
  bigLargestRemainderSplit,
  checkAllocation,
  checkScope,
  defaultCostShare,
  formatPounds,
  FUNDER_IDS,
  funderChoicesText,
  fundersCoveredBy,
  funderName,
  instalmentParts,
  isFunderId,
  isLeadOrganisationId,
  isScope,
  normaliseFinancialYear,
  organisationChoicesText,
  parsePounds,
  penceToPoundsNumber,
  scopeChoicesText,
  splitAmount,
  splitter,
  type Budget,
  type CostShare,
  type FunderId,
  type LeadOrganisationId,
  type Pence,
  type Scope,
} from '../../domain';

/** Bad arguments: shown as #VALUE! with the message. */
export class FunctionInputError extends Error {
  readonly kind = 'invalid-input';
}

/** The service could not answer: shown as #N/A with the message; never a number. */
export class ServiceUnavailableError extends Error {
  readonly kind = 'service-unavailable';
}

/** Where the functions get a year's budget (batched and cached in the add-in). */
export type BudgetSource = (fy: string) => Promise<Budget>;

export const SCOPE_MESSAGE = `scope must be ${scopeChoicesText()}`;
export const FUNDER_MESSAGE = `funder must be ${funderChoicesText()}`;

const argText = (value: unknown): string => (typeof value === 'string' ? value.trim().toLowerCase() : '');

export function scopeArg(value: unknown): Scope {
  const text = argText(value);
  if (!isScope(text)) throw new FunctionInputError(SCOPE_MESSAGE);
  return text;
}

export function funderArg(value: unknown): FunderId {
  const text = argText(value);
  if (!isFunderId(text)) throw new FunctionInputError(FUNDER_MESSAGE);
  return text;
}

export function leadOrganisationArg(value: unknown): LeadOrganisationId {
  const text = argText(value);
  if (!isLeadOrganisationId(text)) throw new FunctionInputError(`lead organisation must be ${organisationChoicesText()}`);
  return text;
}

/** An optional financial year: blank or omitted gives null. */
export function fyArg(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new FunctionInputError('fy must be a financial year like 2026/27');
  const fy = normaliseFinancialYear(value);
  if (!fy.ok) throw new FunctionInputError(fy.error.message);
  return fy.value;
}

/** Pounds as typed in Excel → exact pence; more than 2 decimal places, negatives and text are refused. */
export function poundsArg(value: unknown, name = 'amount'): Pence {
  if (typeof value !== 'number' && typeof value !== 'string') throw new FunctionInputError(`${name} must be an amount in pounds`);
  if (value === '') return 0;
  const pence = parsePounds(value);
  if (!pence.ok) throw new FunctionInputError(`${name}: ${pence.error.message}`);
  return pence.value;
}

/** The cost share for a year: the configured default without a year, else the year's model from the service. */
export async function costShareFor(fy: string | null, budgets: BudgetSource): Promise<CostShare> {
  if (fy === null) return defaultCostShare();
  return (await budgetFor(fy, budgets)).costShare;
}

export async function budgetFor(fy: string, budgets: BudgetSource): Promise<Budget> {
  try {
    return await budgets(fy);
  } catch (error) {
    if (error instanceof FunctionInputError) throw error;
    const detail = error instanceof Error ? error.message : 'unknown failure';
    throw new ServiceUnavailableError(`Fundshare could not read the ${fy} budget: ${detail}`);
  }
}

/** Rows of a scope's split: one column per funder (0 for funders outside the scope), in pounds. */
export function splitRows(scope: Scope, costShare: CostShare): (pence: Pence) => number[] {
  const resolved = splitter(scope, costShare);
  if (!resolved.ok) throw new FunctionInputError(resolved.error.message);
  const { funders, parts } = resolved.value;
  const columns = funders.map((f) => FUNDER_IDS.indexOf(f));
  // Every funder takes part, in column order (the alliance): the parts are the row already.
  const everyColumn = columns.length === FUNDER_IDS.length && columns.every((c, i) => c === i);
  const toPounds = penceToPoundsNumber; // looked up once, not once per amount
  return (pence) => {
    if (!Number.isSafeInteger(pence) || pence < 0) throw new FunctionInputError('amount to split must be whole, non-negative pence');
    const split = parts(pence); // a fresh array each call: ours to reuse
    const row = everyColumn ? split : new Array<number>(FUNDER_IDS.length).fill(0);
    for (let i = 0; i < columns.length; i++) row[columns[i] as number] = toPounds(split[i] as number);
    return row;
  };
}

/** One amount split for a scope: a row with one column per funder (0 for funders outside the scope). */
export function splitRow(pence: Pence, scope: Scope, costShare: CostShare): number[] {
  return splitRows(scope, costShare)(pence);
}

/** SPLIT over a cell or a range: one row per amount (row by row), one column per funder. */
export async function split(
  amounts: readonly (readonly unknown[])[],
  scopeValue: unknown,
  fyValue: unknown,
  budgets: BudgetSource,
): Promise<number[][]> {
  const scope = scopeArg(scopeValue);
  const fy = fyArg(fyValue);
  const pence: Pence[] = [];
  for (const row of amounts) for (const amount of row) pence.push(poundsArg(amount));
  if (pence.length === 0) throw new FunctionInputError('amount must be a number or a range of numbers');
  const costShare = await costShareFor(fy, budgets);
  // Funders and weights resolved once per call, not once per amount.
  return pence.map(splitRows(scope, costShare));
}

export async function share(
  amountValue: unknown,
  scopeValue: unknown,
  funderValue: unknown,
  fyValue: unknown,
  budgets: BudgetSource,
): Promise<number> {
  const pence = poundsArg(amountValue);
  const scope = scopeArg(scopeValue);
  const funder = funderArg(funderValue);
  const fy = fyArg(fyValue);
  const costShare = await costShareFor(fy, budgets);
  const row = splitRow(pence, scope, costShare);
  return row[FUNDER_IDS.indexOf(funder)] ?? 0;
}

/** The funder's weight as a fraction (0.69 for 6,900 basis points), to format as a percentage. */
export async function costShare(funderValue: unknown, fyValue: unknown, budgets: BudgetSource): Promise<number> {
  const funder = funderArg(funderValue);
  const weights = await costShareFor(fyArg(fyValue), budgets);
  return weights[funder] / 10_000;
}

async function funderBudget(funderValue: unknown, fyValue: unknown, budgets: BudgetSource, currentFy: () => string) {
  const funder = funderArg(funderValue);
  const fy = fyArg(fyValue) ?? currentFy();
  const budget = await budgetFor(fy, budgets);
  const line = budget.funders.find((f) => f.funder === funder);
  if (!line) throw new ServiceUnavailableError(`the ${fy} budget has no line for ${funderName(funder)}`);
  return line;
}

export async function remaining(funderValue: unknown, fyValue: unknown, budgets: BudgetSource, currentFy: () => string): Promise<number> {
  return penceToPoundsNumber((await funderBudget(funderValue, fyValue, budgets, currentFy)).remainingPence);
}

export async function committed(funderValue: unknown, fyValue: unknown, budgets: BudgetSource, currentFy: () => string): Promise<number> {
  return penceToPoundsNumber((await funderBudget(funderValue, fyValue, budgets, currentFy)).committedPence);
}

/**
 * Checks 3 and 5 for one bid from its cells: the proposal within the request, and the scope
 * allowed for the lead organisation. "OK", or the problems found.
 */
export function checkCells(requestedValue: unknown, scopeValue: unknown, leadValue: unknown, proposedValue: unknown): string {
  const requestedPence = poundsArg(requestedValue, 'requested');
  const scope = scopeArg(scopeValue);
  const leadOrganisation = leadOrganisationArg(leadValue);
  const proposedPence =
    proposedValue === null || proposedValue === undefined || proposedValue === '' ? null : poundsArg(proposedValue, 'proposed');
  const bid = {
    id: 'sheet',
    leadOrganisation,
    scope,
    requestedPence,
    proposedPence,
    recommendedPence: null,
    shares: {},
    status: 'submitted' as const,
    decisions: {},
  };
  const findings = [...checkAllocation(bid), ...checkScope(bid)];
  if (findings.length === 0) return 'OK';
  return findings.map((f) => f.message).join('; ');
}

/** Funders a scope covers, for help text. */
export const coveredBy = fundersCoveredBy;

/** The most instalments INSTALMENTS spills: a monthly schedule over ten years. */
export const MAX_INSTALMENTS = 120;

function instalmentCountArg(value: unknown, pence: Pence): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_INSTALMENTS) {
    throw new FunctionInputError(`n must be a whole number of instalments from 1 to ${MAX_INSTALMENTS}`);
  }
  if (n > pence) throw new FunctionInputError(`n: ${n} instalments of ${formatPounds(pence)} would leave one at £0`);
  return n;
}

/**
 * INSTALMENTS: the amount in n equal instalments (largest remainder, in pence), each split between
 * the scope's funders by running totals with the shares as weights (docs/design.md §3.1): one row
 * per instalment, one column per funder (0 outside the scope), in pounds. Rows sum to the
 * instalment and columns to the funder's share, exactly.
 */
export async function instalments(
  amountValue: unknown,
  scopeValue: unknown,
  countValue: unknown,
  fyValue: unknown,
  budgets: BudgetSource,
): Promise<number[][]> {
  const pence = poundsArg(amountValue);
  const scope = scopeArg(scopeValue);
  if (pence === 0) throw new FunctionInputError('amount must be more than £0 to pay in instalments');
  const count = instalmentCountArg(countValue, pence);
  const costShare = await costShareFor(fyArg(fyValue), budgets);
  const shares = splitAmount(pence, scope, costShare);
  if (!shares.ok) throw new FunctionInputError(shares.error.message);
  const amounts = bigLargestRemainderSplit(pence, new Array<number>(count).fill(1));
  const schedule = instalmentParts(
    shares.value,
    amounts.map((amountPence) => ({ due: '', amountPence })),
  );
  // Largest remainder is not monotone with three or more funders: refuse rather than show −1p (§3.1).
  if (schedule.some((i) => Object.values(i.parts).some((p) => (p as Pence) < 0))) {
    throw new FunctionInputError('this split would give a funder a negative part in an instalment; choose another n');
  }
  return schedule.map((i) => FUNDER_IDS.map((f) => penceToPoundsNumber(i.parts[f] ?? 0)));
}

/**
 * CLAWBACK: what the funder must pay back when it has paid more than its share of the final
 * amount (the varied or outturn amount split by the cost share), in pounds; 0 otherwise (§3.1).
 */
export async function clawback(
  paidValue: unknown,
  finalValue: unknown,
  scopeValue: unknown,
  funderValue: unknown,
  fyValue: unknown,
  budgets: BudgetSource,
): Promise<number> {
  const paidPence = poundsArg(paidValue, 'paid');
  const finalPence = poundsArg(finalValue, 'final');
  const scope = scopeArg(scopeValue);
  const funder = funderArg(funderValue);
  const costShare = await costShareFor(fyArg(fyValue), budgets);
  const shares = splitAmount(finalPence, scope, costShare);
  if (!shares.ok) throw new FunctionInputError(shares.error.message);
  const sharePence = shares.value[funder] ?? 0;
  return penceToPoundsNumber(Math.max(0, paidPence - sharePence));
}
