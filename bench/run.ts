// `npm run bench -- <name> [flags]`: benchmarks that print one JSON line each (see README, Benchmarks).
const [name, ...args] = process.argv.slice(2);
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  ingest: () => import('./ingest.js'),
  reattribute: () => import('./reattribute.js'),
  chat: () => import('./chat.js'),
  variance: () => import('./variance.js'),
  digest: () => import('./digest.js'),
  startup: () => import('./startup.js'),
  start: () => import('./start.js'),
};
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [flags]`);
  process.exit(2);
}
await (await load()).run(args);
