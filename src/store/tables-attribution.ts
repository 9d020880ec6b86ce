// Row types of the attribution area's tables (contracts, attribution rules, unattributed items and claims, shared-cost pools, glossary); merged into `Database` in tables.ts.

/** The attribution area's tables, by table name. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AttributionTables {}
