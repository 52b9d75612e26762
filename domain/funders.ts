/** Questions about funders, organisations and scopes, answered from the alliance data. */
import { ALLIANCE_SCOPE, FUNDERS, FUNDER_IDS, LEAD_ORGANISATIONS, SCOPES } from './alliance';
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

/** Human name of a scope: "Alliance (West Mercia and Warwickshire)", "West Mercia only". */
export function scopeName(scope: Scope): string {
  if (scope === ALLIANCE_SCOPE) return `Alliance (${FUNDER_IDS.map(funderName).join(' and ')})`;
  return `${funderName(scope)} only`;
}

/**
 * Scope consistency (budget check 5): an organisation may file for its own area or the whole
 * alliance, never for another funder's area alone.
 */
export function scopeAllowedFor(organisation: LeadOrganisationId, scope: Scope): boolean {
  return scope === ALLIANCE_SCOPE || scope === organisationFunder(organisation);
}
