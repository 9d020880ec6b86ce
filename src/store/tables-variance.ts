// Row types of the variance area's tables (variance explanations, materiality overrides); merged into `Database` in tables.ts.

/** The variance area's tables, by table name. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VarianceTables {}
