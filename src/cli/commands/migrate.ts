import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { openStore } from '../../store/database.js';
import { migrate } from '../../store/migrator.js';

/** `costbridge migrate`: applies pending schema migrations and lists them. */
export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (every other command also does this itself)')
    .action(async () => {
      const { config, io } = ctx;
      const store = config.databaseUrl
        ? await openStore({ databaseUrl: config.databaseUrl })
        : await openStore({ dataDir: config.dataDir, opener: 'costbridge migrate', notice: io.err });
      try {
        if (store.kind === 'pglite') io.err(`costbridge: using the ${store.description} (set DATABASE_URL to use PostgreSQL)`);
        const applied = await migrate(store);
        io.out(applied.length ? applied.map((n) => `applied ${n}`).join('\n') : 'the database is up to date');
      } finally {
        await store.close();
      }
    });
}
