// One pattern syntax for every attribution condition, translated both to a JavaScript RegExp (import
// time) and to a SQL LIKE pattern (set-based re-attribution), so both sides match the same values.
//
// Syntax: `*` matches any run of characters (including none); a backslash makes the next character
// literal (`\*` is a star, `\\` a backslash); everything else matches itself, case-sensitively.
// The empty pattern matches only a missing or empty value. Values are matched whole, and a missing
// value is matched as the empty string (SQL: `coalesce(value, '') LIKE pattern ESCAPE '\'`).

type GlobToken = { readonly star: true } | { readonly star: false; readonly char: string };

function tokens(glob: string): GlobToken[] {
  const out: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) out.push({ star: false, char: glob[++i]! });
    else if (c === '*') out.push({ star: true });
    else out.push({ star: false, char: c });
  }
  return out;
}

/** The SQL LIKE pattern (escape character `\`) that matches what `glob` matches. */
export function globToLike(glob: string): string {
  return tokens(glob)
    .map((t) => (t.star ? '%' : /[%_\\]/.test(t.char) ? `\\${t.char}` : t.char))
    .join('');
}

/** An anchored RegExp that matches what `glob` matches. */
export function globToRegExp(glob: string): RegExp {
  const body = tokens(glob)
    .map((t) => (t.star ? '[\\s\\S]*' : t.char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** A glob that matches exactly `value` (stars and backslashes escaped). */
export function exactGlob(value: string): string {
  return value.replace(/[\\*]/g, '\\$&');
}

/** A compiled glob: the pattern as written plus its matcher. */
export interface GlobMatcher {
  readonly glob: string;
  /** Whether the value (null counts as '') matches. */
  test(value: string | null | undefined): boolean;
}

/** Compiles a glob once; exact patterns (no star) compare strings instead of running a RegExp. */
export function compileGlob(glob: string): GlobMatcher {
  const ts = tokens(glob);
  if (!ts.some((t) => t.star)) {
    const exact = ts.map((t) => (t.star ? '' : t.char)).join('');
    return { glob, test: (v) => (v ?? '') === exact };
  }
  const re = globToRegExp(glob);
  return { glob, test: (v) => re.test(v ?? '') };
}

/** The glob a LIKE pattern made by {@link globToLike} came from (`%` back to `*`, escapes undone). */
export function likeToGlob(like: string): string {
  let out = '';
  for (let i = 0; i < like.length; i++) {
    const c = like[i]!;
    if (c === '\\' && i + 1 < like.length) out += exactGlob(like[++i]!);
    else if (c === '%') out += '*';
    else out += exactGlob(c);
  }
  return out;
}
