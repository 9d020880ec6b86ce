// Slack Block Kit limits, the one table the Slack renderer obeys. Each number is from Slack's
// reference (docs.slack.dev/reference/block-kit/..., checked 2026-11): blocks, block elements,
// composition objects, modal views, and chat.postMessage. Lengths are characters; the renderer
// counts UTF-16 code units, which is never fewer.

/** Slack's documented limits, by what they limit. */
export const slackLimits = {
  /** Blocks in one message (Blocks reference: "up to 50 blocks in each message"). */
  messageBlocks: 50,
  /** Blocks in a modal view (Modal views: "Max of 100 blocks"). */
  modalBlocks: 100,
  /** Blocks in an App Home view (Home tabs: "Max of 100 blocks", like modals). */
  homeBlocks: 100,
  /** Top-level message `text` (chat.postMessage truncates after 40,000 characters). */
  messageText: 40_000,
  /** Section block `text` (Section block: 3000). */
  sectionText: 3000,
  /** Fields in one section block (Section block: "Maximum number of items is 10"). */
  sectionFields: 10,
  /** Text of each section field (Section block: 2000). */
  fieldText: 2000,
  /** Header block text (Header block: 150). */
  headerText: 150,
  /** Elements of a context block (Context block: 10). */
  contextElements: 10,
  /** A text object in general, e.g. a context element (Text object: 3000). */
  textObject: 3000,
  /** Elements of an actions block (Actions block: 25). */
  actionsElements: 25,
  /** Button text (Button element: 75). */
  buttonText: 75,
  /** Button value (Button element: 2000). */
  buttonValue: 2000,
  /** action_id, block_id and callback_id (255 each). */
  identifier: 255,
  /** Confirmation dialog title (Confirmation dialog object: 100). */
  confirmTitle: 100,
  /** Confirmation dialog text (300). */
  confirmText: 300,
  /** Confirmation dialog confirm/deny button text (30 each). */
  confirmButton: 30,
  /** Image block/element `image_url` (3000). */
  imageUrl: 3000,
  /** Image `alt_text` (2000). */
  imageAltText: 2000,
  /** Image block `title` (2000). */
  imageTitle: 2000,
  /** Modal title, submit and close texts (Modal views: 24 each). */
  modalTitle: 24,
  /** Modal `private_metadata` (3000). */
  privateMetadata: 3000,
  /** Input block `label` (Input block: 2000). */
  inputLabel: 2000,
  /** Input block `hint` (Input block: 2000). */
  inputHint: 2000,
  /** Element `placeholder` (150). */
  placeholder: 150,
  /** Options of a static select (Select menu: 100). */
  selectOptions: 100,
  /** Options of a radio button group (Radio button group: 10). */
  radioOptions: 10,
  /** Option `text` (Option object: 75). */
  optionText: 75,
  /** Option `value` (Option object: 150). */
  optionValue: 150,
  /** plain_text_input `max_length` ceiling (Plain-text input: 3000). */
  textInputLength: 3000,
} as const;
