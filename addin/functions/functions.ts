/**
 * The FUND.* worksheet functions (FUNDDEV.* in the dev add-in). Their metadata (functions.json)
 * is generated from this JSDoc by custom-functions-metadata at build time; never edit it by hand.
 * The JSDoc names no funder or organisation: a {{placeholder}} in a description is filled from
 * domain/alliance.ts by the build (addin/build/function-docs.ts lists them), so the metadata
 * follows the alliance data.
 * Each function only checks its arguments, calls the engine, and maps failures to Excel errors.
 */
import { financialYearOf } from '../../domain';
import { budgetSource } from './budget-source';
import * as engine from './engine';
import { toExcelError } from './excel-errors';

const currentFy = () => financialYearOf(new Date());

async function guarded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toExcelError(error);
  }
}

/**
 * Splits amounts in pounds among the funders by the cost-share model: one row per amount, one column per funder ({{funderNames}}).
 * @customfunction SPLIT
 * @param amount Amount in pounds, or a range of amounts.
 * @param scope The scope: {{scopes}}.
 * @param [fy] Financial year such as 2026/27 for that year's model; omitted, the default {{defaultCostShare}} model.
 * @returns Each funder's share in pounds.
 */
export function split(amount: number[][], scope: string, fy?: string): Promise<number[][]> {
  return guarded(() => engine.split(amount, scope, fy, budgetSource()));
}

/**
 * One funder's share in pounds of an amount for a scope.
 * @customfunction SHARE
 * @param amount Amount in pounds.
 * @param scope The scope: {{scopes}}.
 * @param funder The funder: {{funders}}.
 * @param [fy] Financial year such as 2026/27 for that year's model; omitted, the default {{defaultCostShare}} model.
 * @returns The funder's share in pounds.
 */
export function share(amount: number, scope: string, funder: string, fy?: string): Promise<number> {
  return guarded(() => engine.share(amount, scope, funder, fy, budgetSource()));
}

/**
 * A funder's weight in the cost-share model, as a fraction (0.69 for 69 %).
 * @customfunction COSTSHARE
 * @param funder The funder: {{funders}}.
 * @param [fy] Financial year such as 2026/27; omitted, the default model.
 * @returns The funder's weight as a fraction.
 */
export function costshare(funder: string, fy?: string): Promise<number> {
  return guarded(() => engine.costShare(funder, fy, budgetSource()));
}

/**
 * What remains of a funder's pot in pounds (pot minus committed), from the Fundshare service.
 * @customfunction REMAINING
 * @param funder The funder: {{funders}}.
 * @param [fy] Financial year such as 2026/27; omitted, the current one.
 * @returns Remaining pounds.
 */
export function remaining(funder: string, fy?: string): Promise<number> {
  return guarded(() => engine.remaining(funder, fy, budgetSource(), currentFy));
}

/**
 * What a funder has committed in pounds (approved shares), from the Fundshare service.
 * @customfunction COMMITTED
 * @param funder The funder: {{funders}}.
 * @param [fy] Financial year such as 2026/27; omitted, the current one.
 * @returns Committed pounds.
 */
export function committed(funder: string, fy?: string): Promise<number> {
  return guarded(() => engine.committed(funder, fy, budgetSource(), currentFy));
}

/**
 * Checks a bid's cells: the proposal is within the request (check 3) and the scope fits the lead organisation (check 5).
 * @customfunction CHECK
 * @param requested Requested amount in pounds.
 * @param scope The scope: {{scopes}}.
 * @param leadOrganisation Lead organisation id: {{organisations}}.
 * @param [proposed] Proposed amount in pounds; blank for none.
 * @returns OK, or what is wrong.
 */
export function check(requested: number, scope: string, leadOrganisation: string, proposed?: number): Promise<string> {
  return guarded(() => engine.checkCells(requested, scope, leadOrganisation, proposed));
}

/**
 * Pays an amount in pounds in n equal instalments and splits each between the funders by running totals: n rows, one column per funder ({{funderNames}}).
 * @customfunction INSTALMENTS
 * @param amount Amount in pounds.
 * @param scope The scope: {{scopes}}.
 * @param n Number of instalments, 1 to 120.
 * @param [fy] Financial year such as 2026/27 for that year's model; omitted, the default {{defaultCostShare}} model.
 * @returns Each funder's part of each instalment in pounds.
 */
export function instalments(amount: number, scope: string, n: number, fy?: string): Promise<number[][]> {
  return guarded(() => engine.instalments(amount, scope, n, fy, budgetSource()));
}

/**
 * What a funder must pay back when it has paid more than its share of the final amount; 0 otherwise.
 * @customfunction CLAWBACK
 * @param paid What the funder has paid, in pounds.
 * @param final The final amount of the grant in pounds.
 * @param scope The scope: {{scopes}}.
 * @param funder The funder: {{funders}}.
 * @param [fy] Financial year such as 2026/27 for that year's model; omitted, the default {{defaultCostShare}} model.
 * @returns Pounds due back from the funder.
 */
export function clawback(paid: number, final: number, scope: string, funder: string, fy?: string): Promise<number> {
  return guarded(() => engine.clawback(paid, final, scope, funder, fy, budgetSource()));
}
