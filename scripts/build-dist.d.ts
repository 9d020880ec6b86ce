// Types of build-dist.js (plain JavaScript, so it runs before anything is compiled).
export function newestSourceMtime(dir?: string): number;
export function distState(): 'fresh' | 'stale' | 'missing';
export function buildDist(): Promise<void>;
export function ensureDist(say?: (line: string) => void): Promise<void>;
