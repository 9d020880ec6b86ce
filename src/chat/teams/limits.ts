// Microsoft Teams / Adaptive Cards limits, the one table the Teams renderer obeys. Sources
// (checked 2026-11): Teams "Format your bot messages" (a bot message may be at most 40 KB on older
// documentation, 100 KB with 80 KB recommended on the current one, both counted in UTF-16 and
// answered with 413 MessageSizeTooBig beyond it); the Teams/Graph connector note that a posted
// message is limited to about 28 KB; Adaptive Cards schema 1.5 (Table, Action.Execute); Teams
// typeahead search (dynamic choices, 15 shown). Teams shows at most 6 actions of an action set
// (observed, not documented), so actions are grouped by 6.

/** The limits the Teams renderer keeps to. */
export const teamsLimits = {
  /** Adaptive Card schema version: 1.5 brings Table and Universal Actions (Action.Execute). */
  cardVersion: '1.5',
  /**
   * Budget for the card JSON, counted as UTF-16 bytes (2 per code unit) like Teams counts: ~28 KB, the
   * smallest documented ceiling, which also leaves room under the 40 KB message limit for the
   * activity envelope and fallback text.
   */
  cardBytes: 28 * 1024,
  /** Actions per ActionSet that Teams clients display. */
  actionsPerSet: 6,
  /** costbridge's own cap on one text block, as on Slack (no platform limit; keeps cards readable within the byte budget). */
  textChars: 3000,
  /** costbridge's own cap on a button title (Teams truncates long titles visually). */
  buttonTitle: 75,
  /** costbridge's own cap on a table element's JSON, so one table cannot crowd out the rest of a card. */
  tableBytes: 12 * 1024,
  /**
   * costbridge's own cap on the cards one long message is split into (each within `cardBytes`, each
   * item whole with its buttons): beyond it the last card says how many items are left and where to see them.
   */
  cardsPerMessage: 10,
} as const;

/** Bytes a JSON value takes in UTF-16, as Teams measures message size. */
export function utf16Bytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}
