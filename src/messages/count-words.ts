/** `n` with its noun in the right number: `1 line`, `30 lines`, `1 entry`/`2 entries` with the plural given. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
