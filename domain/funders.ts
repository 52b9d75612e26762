/** Questions about funders, organisations and scopes, answered from the alliance data. */
import { ALLIANCE_SCOPE, FUNDERS, FUNDER_IDS, LEAD_ORGANISATIONS, LEAD_ORGANISATION_IDS, SCOPES } from './alliance';
import type { FunderId, LeadOrganisationId, Scope } from './alliance';

export const isFunderId = (value: unknown): value is FunderId =>
  typeof value === 'string' && (FUNDER_IDS as readonly string[]).includes(value);

export const isScope = (value: unknown): value is Scope => typeof value === 'string' && (SCOPES as readonly string[]).includes(value);

export const isLeadOrganisationId = (value: unknown): value is LeadOrganisationId =>
  typeof value === 'string' && LEAD_ORGANISATIONS.some((o) => o.id === value);

export function funderName(funder: FunderId): string {
  return FUNDERS.find((f) => f.id === funder)?.name ?? funder;
}

export function organisationName(organisation: LeadOrganisationId): string {
  return LEAD_ORGANISATIONS.find((o) => o.id === organisation)?.name ?? organisation;
}

/** The funder whose area a lead organisation sits in. */
export function organisationFunder(organisation: LeadOrganisationId): FunderId {
  const found = LEAD_ORGANISATIONS.find((o) => o.id === organisation);
  if (!found) throw new RangeError(`unknown lead organisation ${organisation}`);
  return found.funder;
}

/** Funders whose areas a scope covers, in the configured order. */
export function fundersCoveredBy(scope: Scope): FunderId[] {
  return scope === ALLIANCE_SCOPE ? [...FUNDER_IDS] : [scope];
}

/** Items as an English list: "a", "a or b", "a, b or c" (with `and` for a list of names). */
export function listText(items: readonly string[], conjunction: 'or' | 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Every scope id a user may type, in the configured order: the alliance scope, then each funder's id. */
export const scopeChoicesText = (): string => listText(SCOPES, 'or');

/** Every funder id a user may type, in the configured order. */
export const funderChoicesText = (): string => listText(FUNDER_IDS, 'or');

/** Every lead organisation id a user may type, in the configured order. */
export const organisationChoicesText = (): string => listText(LEAD_ORGANISATION_IDS, 'or');

/** The funders' names as one phrase, e.g. for "the … PCCs" and the alliance scope's name. */
export const funderNamesText = (): string => listText(FUNDER_IDS.map(funderName), 'and');

/** Human name of a scope: the alliance scope as "Alliance (<every funder's name>)", a funder's as "<funder's name> only". */
export function scopeName(scope: Scope): string {
  if (scope === ALLIANCE_SCOPE) return `Alliance (${funderNamesText()})`;
  return `${funderName(scope)} only`;
}

/**
 * Scope consistency (budget check 5): an organisation may file for its own area or the whole
 * alliance, never for another funder's area alone.
 */
export function scopeAllowedFor(organisation: LeadOrganisationId, scope: Scope): boolean {
  return scope === ALLIANCE_SCOPE || scope === organisationFunder(organisation);
}
