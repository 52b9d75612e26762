/**
 * The alliance as configuration data: who funds, who bids, and the default cost share.
 * Adding a funder or a lead organisation is an edit here and nowhere else; every enum,
 * schema, sheet column and split derives from these lists.
 */

export const FUNDERS = [
  { id: 'west-mercia', name: 'West Mercia', defaultWeightBp: 6900 },
  { id: 'warwickshire', name: 'Warwickshire', defaultWeightBp: 3100 },
] as const;

export const LEAD_ORGANISATIONS = [
  { id: 'herefordshire', name: 'Herefordshire CSP', funder: 'west-mercia' },
  { id: 'shropshire', name: 'Shropshire CSP', funder: 'west-mercia' },
  { id: 'telford-and-wrekin', name: 'Telford & Wrekin CSP', funder: 'west-mercia' },
  { id: 'north-worcestershire', name: 'North Worcestershire CSP', funder: 'west-mercia' },
  { id: 'south-worcestershire', name: 'South Worcestershire CSP', funder: 'west-mercia' },
  { id: 'warwickshire', name: 'Warwickshire', funder: 'warwickshire' },
] as const;

/**
 * Bodies a governance board member may represent besides a lead organisation (the board's
 * affiliations): a member affiliated with a bid's lead organisation may not decide on it.
 */
export const BOARD_BODIES = [
  { id: 'nfu', name: 'National Farmers Union' },
  { id: 'fsb', name: 'Federation of Small Businesses' },
  { id: 'chamber', name: 'Chamber of Commerce' },
  { id: 'police', name: 'Police' },
] as const;

/** The scope that covers every funder's area. */
export const ALLIANCE_SCOPE = 'alliance';

export const CRIME_TYPES = ['rural', 'business', 'cyber'] as const;

/** The 4 Ps of the cyber strategy; a bid that covers cyber names one or more. */
export const CYBER_STRANDS = ['pursue', 'prevent', 'prepare', 'protect'] as const;

/** The fund both PCCs set aside each financial year unless an admin sets another. */
export const DEFAULT_FUND_PENCE = 150_000_000;

export type FunderId = (typeof FUNDERS)[number]['id'];
export type LeadOrganisationId = (typeof LEAD_ORGANISATIONS)[number]['id'];
export type Scope = typeof ALLIANCE_SCOPE | FunderId;
export type Affiliation = LeadOrganisationId | (typeof BOARD_BODIES)[number]['id'];
export type CrimeType = (typeof CRIME_TYPES)[number];
export type CyberStrand = (typeof CYBER_STRANDS)[number];

/** Tuples for zod enums (which need at least one literal). */
export const FUNDER_IDS = FUNDERS.map((f) => f.id) as unknown as readonly [FunderId, ...FunderId[]];
export const LEAD_ORGANISATION_IDS = LEAD_ORGANISATIONS.map((o) => o.id) as unknown as readonly [
  LeadOrganisationId,
  ...LeadOrganisationId[],
];
export const SCOPES = [ALLIANCE_SCOPE, ...FUNDER_IDS] as unknown as readonly [Scope, ...Scope[]];
export const AFFILIATIONS = [...LEAD_ORGANISATION_IDS, ...BOARD_BODIES.map((b) => b.id)] as unknown as readonly [
  Affiliation,
  ...Affiliation[],
];
