import type { ColumnType } from 'kysely';

// Row types of the showback area's tables (the glossary). Queried through `db.withTables<ShowbackTables>()`
// so this area's schema needs no edit of the shared `Database` interface.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A glossary term: the vocabulary FinOps and ITFM share. */
export interface GlossaryTermTable {
  /** The term trimmed, blanks collapsed, lower-cased. */
  term_key: string;
  term: string;
  definition: string;
  created_by: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_by: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}

/** A name a term answers to (the term itself or an alias); a name belongs to one term only. */
export interface GlossaryNameTable {
  name_key: string;
  name: string;
  term_key: string;
  is_alias: boolean;
}

/** The showback area's tables, by table name (a type alias, as `withTables` needs an indexable type). */
export type ShowbackTables = {
  glossary_term: GlossaryTermTable;
  glossary_name: GlossaryNameTable;
};
