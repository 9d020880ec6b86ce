// The DuckDB anchor of `bench -- ingest`: a typed load of a CSV file into a new DuckDB database file
// (read_csv with type detection, CREATE TABLE AS), in a process of its own so it is timed from
// process start to exit like the costbridge import. Plain JavaScript so no TypeScript loader adds
// to its start. Prints the loaded row count.
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, database] = process.argv.slice(2);
if (!csv || !database) throw new Error('usage: duckdb-load.mjs CSV DATABASE');
const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
const quoted = (s) => `'${s.replaceAll("'", "''")}'`;
await connection.run(`CREATE TABLE focus AS SELECT * FROM read_csv(${quoted(csv)}, header = true, sample_size = 20480)`);
const reader = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM focus');
process.stdout.write(`${reader.getRowObjects()[0].n}\n`);
connection.closeSync();
instance.closeSync();
