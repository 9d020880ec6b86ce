// Row types of the savings area's tables (savings records, people and roles, budget revisions); merged into `Database` in tables.ts.

/** The savings area's tables, by table name. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SavingsTables {}
