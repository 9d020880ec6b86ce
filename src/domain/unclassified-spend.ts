// Unclassified new spend: lines no contract covers, in a governed category. A line is governed when
//   1. its ServiceCategory is "AI and Machine Learning", or
//   2. its ServiceCategory is listed in configuration (COSTBRIDGE_GOVERNED_CATEGORIES), or
//   3. it comes from a third-party (SaaS / marketplace) publisher whose lines first appear in this
//      billing period (no line of that publisher in any earlier period).
// A publisher is third-party when it is not the same party as the line's provider: a vendor
// reselling through a cloud marketplace (Red Hat sold by AWS). Names are compared as parties, not as
// strings: case, punctuation and legal suffixes (Inc, LLC, Ltd, GmbH, SARL ...) are ignored, a name
// that starts with the other's words is the same party ("Cortex AI Labs" / "Cortex AI"), and so is an
// acronym of the other's leading words ("AWS" / "Amazon Web Services EMEA"). A SaaS vendor that
// bills you directly is its own provider in FOCUS: govern it through its ServiceCategory (2).

/** The ServiceCategory that is always governed. */
export const aiServiceCategory = 'AI and Machine Learning';

const legalSuffixes = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'gmbh', 'sarl', 'sa', 'sas', 'ag', 'bv', 'nv', 'plc', 'corp', 'corporation', 'co', 'company', 'lp', 'llp', 'pty', 'srl', 'spa', 'ab', 'oy', 'as', 'kk']);

function words(name: string): string[] {
  const ws = name
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  while (ws.length > 1 && legalSuffixes.has(ws[ws.length - 1]!)) ws.pop();
  return ws;
}

function startsWithWords(long: readonly string[], short: readonly string[]): boolean {
  return short.length > 0 && short.length <= long.length && short.every((w, i) => long[i] === w);
}

function isAcronymOfLeadingWords(short: readonly string[], long: readonly string[]): boolean {
  if (short.length !== 1 || long.length < 2) return false;
  const acronym = short[0]!;
  if (acronym.length < 2 || acronym.length > long.length) return false;
  return long.slice(0, acronym.length).map((w) => w[0]).join('') === acronym;
}

/** Whether two vendor names name the same party (see the rule at the top of this file). */
export function sameParty(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = words(a);
  const y = words(b);
  if (x.length === 0 || y.length === 0) return false;
  if (x.join(' ') === y.join(' ')) return true;
  return startsWithWords(x, y) || startsWithWords(y, x) || isAcronymOfLeadingWords(x, y) || isAcronymOfLeadingWords(y, x);
}

/** Whether a line's publisher is a third party selling through its provider (marketplace / SaaS). */
export function isThirdPartyPublisher(providerName: string | null, publisherName: string | null): boolean {
  if (!publisherName || !providerName) return false;
  return !sameParty(publisherName, providerName);
}

/** Why uncontracted spend is governed. */
export type GovernedReason = 'ai-category' | 'governed-category' | 'new-marketplace-publisher';

/** The governed reason of an uncontracted line group, or null when it is not governed. */
export function governedReason(
  line: { serviceCategory: string | null; providerName: string | null; publisherName: string | null },
  governedCategories: readonly string[],
  publisherSeenBefore: boolean,
): GovernedReason | null {
  if (line.serviceCategory === aiServiceCategory) return 'ai-category';
  if (line.serviceCategory !== null && governedCategories.includes(line.serviceCategory)) return 'governed-category';
  if (isThirdPartyPublisher(line.providerName, line.publisherName) && !publisherSeenBefore) return 'new-marketplace-publisher';
  return null;
}
