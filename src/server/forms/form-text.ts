/** One submitted value as text: the first of a multi-select, trimmed; undefined when empty. */
export function formText(value: string | readonly string[] | undefined): string | undefined {
  const v = typeof value === 'string' ? value : value?.[0];
  const t = v?.trim();
  return t ? t : undefined;
}
