#!/usr/bin/env -S node --max-semi-space-size=32
// A 32 MB young generation: measured ~25% faster FOCUS imports (fewer promotions of each batch's
// short-lived rows) for ~10 MB more memory. npm scripts pass the same flag.
// Runs the TypeScript sources directly (tsx), so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv);
