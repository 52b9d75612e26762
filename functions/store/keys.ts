/** How each item is keyed in the single table. */
export const keys = {
  bid: (id: string) => ({ pk: `BID#${id}`, sk: 'BID' }),
  audit: (bidId: string, version: number) => ({ pk: `BID#${bidId}`, sk: `AUDIT#${String(version).padStart(10, '0')}` }),
  auditPrefix: 'AUDIT#',
  budget: (fy: string) => ({ pk: `FY#${fy}`, sk: 'BUDGET' }),
  budgetEvent: (fy: string, requestId: string) => ({ pk: `FY#${fy}`, sk: `BUDGET-EVENT#${requestId}` }),
  budgetEventPrefix: 'BUDGET-EVENT#',
  /** A year's close (docs/design.md §3.1), beside its budget. */
  yearClose: (fy: string) => ({ pk: `FY#${fy}`, sk: 'CLOSE' }),
  declaration: (fy: string, id: string) => ({ pk: `FY#${fy}`, sk: `DECLARATION#${id}` }),
  declarationPrefix: 'DECLARATION#',
  /** A monitoring return, under its year: RETURN#<bid>#<quarter> sorts by bid, then quarter. */
  monitoringReturn: (fy: string, bidId: string, quarter: string) => ({ pk: `FY#${fy}`, sk: `RETURN#${bidId}#${quarter}` }),
  returnPrefix: 'RETURN#',
  returnPrefixOfBid: (bidId: string) => `RETURN#${bidId}#`,
  ledger: (fy: string, funder: string) => ({ pk: `FY#${fy}`, sk: `LEDGER#${funder}` }),
  ledgerPrefix: 'LEDGER#',
  year: (fy: string) => ({ pk: 'YEARS', sk: `FY#${fy}` }),
  yearsPartition: 'YEARS',
  bidCounter: { pk: 'COUNTER', sk: 'BID' },
  idempotency: (scope: string, key: string) => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
  /** GSI: bids by FY, ordered by last change. */
  fyIndexKey: (fy: string) => `FY#${fy}`,
  changedIndexKey: (updatedAt: string, id: string) => `${updatedAt}#${id}`,
};

/** Bid ids are short and readable for finance staff: FS-000042. */
export const formatBidId = (n: number): string => `FS-${String(n).padStart(6, '0')}`;
