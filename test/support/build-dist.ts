// vitest globalSetup: tests that spawn bin/costbridge.js run dist/, so it is brought up to date with
// src/ once, before any test file starts (not by several spawned processes at once).
import { ensureDist } from '../../scripts/build-dist.js';

export default async function setup(): Promise<void> {
  await ensureDist(() => undefined);
}
