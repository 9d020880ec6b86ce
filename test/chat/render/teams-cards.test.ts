import { describe, expect, it } from 'vitest';
import { renderTeamsCard, renderTeamsCards, renderTeamsForm } from '../../../src/chat/teams/render.js';
import { actions, button, message } from '../../../src/messages/message-blocks.js';
import { form, textInput } from '../../../src/messages/form-model.js';
import { teamsLimits } from '../../../src/chat/teams/limits.js';
import { unattributedSpendAlert } from '../../../src/messages/views/unattributed-spend-alert.js';
import { actionIds } from '../../../src/messages/views/interaction-ids.js';
import { openItem } from './render-samples.js';
import { teamsCardViolations } from './platform-limit-checks.js';

/** The item ids of every Claim button in a card. */
function claims(card: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === actionIds.claimItem) out.push(String((o.data as { itemId: string }).itemId));
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

const alert = (n: number) =>
  unattributedSpendAlert({ period: '2026-10', items: Array.from({ length: n }, (_, i) => ({ ...openItem, id: `UA-${i + 1}`, topResources: openItem.topResources })) });

describe('a long message on Teams becomes as many cards as it needs', () => {
  it('keeps every listed item with its buttons, each card within the card budget', () => {
    const message = alert(60);
    // One card cannot hold them: it drops items (buttons and all), which is what splitting avoids.
    expect(claims(renderTeamsCard(message)).length).toBeLessThan(60);
    const cards = renderTeamsCards(message);
    expect(cards.length).toBeGreaterThan(1);
    expect(cards.length).toBeLessThanOrEqual(teamsLimits.cardsPerMessage);
    expect(cards.flatMap(claims)).toEqual(Array.from({ length: 60 }, (_, i) => `UA-${i + 1}`));
    for (const card of cards) expect(teamsCardViolations(card as never)).toEqual([]);
    expect(JSON.stringify(cards[1])).toContain(`continued (2 of ${cards.length})`);
    // Nothing says items were left out: none were.
    expect(JSON.stringify(cards)).not.toContain('more items');
  });

  it('a short message stays one card, the same as the single-card renderer', () => {
    const message = alert(2);
    expect(renderTeamsCards(message)).toEqual([renderTeamsCard(message)]);
  });

  it('beyond the card cap, the last card says how many items are left and how to see them', () => {
    const cards = renderTeamsCards(alert(600));
    expect(cards).toHaveLength(teamsLimits.cardsPerMessage);
    const shown = cards.flatMap(claims);
    expect(shown.length).toBeLessThan(600);
    expect(new Set(shown).size).toBe(shown.length);
    expect(JSON.stringify(cards.at(-1))).toContain(`and ${600 - shown.length} more items`);
    expect(JSON.stringify(cards.at(-1))).toContain('unattributed 2026-10');
    for (const card of cards) expect(teamsCardViolations(card as never)).toEqual([]);
  });

  it('an update keeps the cards the message has (maxCards), cutting only what no longer fits', () => {
    const cards = renderTeamsCards(alert(60), { maxCards: 2 });
    expect(cards).toHaveLength(2);
    expect(JSON.stringify(cards[1])).toMatch(/and \d+ more items/);
  });
});

describe('dialogs (task modules) on Teams', () => {
  const viewAll = button('digest.view-all.unattributed', 'View all unattributed (12)', { period: '2026-11', asOf: '2026-11-30', scope: '' });
  const claim = button('unattributed.claim', 'Claim', { itemId: '7' }, { style: 'primary' });

  it('View all is an Action.Submit that opens a dialog (task/fetch) with the neutral action id and payload; other buttons stay Action.Execute', () => {
    const card = renderTeamsCard(message('digest', [actions(viewAll, claim)]));
    const set = card.body.find((e) => e.type === 'ActionSet')!.actions as Record<string, unknown>[];
    expect(set[0]).toEqual({ type: 'Action.Submit', title: viewAll.label, data: { msteams: { type: 'task/fetch' }, verb: viewAll.actionId, payload: viewAll.payload } });
    expect(set[1]).toMatchObject({ type: 'Action.Execute', verb: 'unattributed.claim', data: { itemId: '7' }, style: 'positive' });
  });

  it('in a dialog every button and a form\'s submit are Action.Submit carrying { verb, payload } (Universal Actions do not run there)', () => {
    const card = renderTeamsCard(message('list', [actions(claim)]), { dialog: true });
    expect(card.body.find((e) => e.type === 'ActionSet')!.actions).toEqual([{ type: 'Action.Submit', title: 'Claim', data: { verb: 'unattributed.claim', payload: { itemId: '7' } }, style: 'positive' }]);
    const f = renderTeamsForm(form({ callbackId: 'unattributed.claim.submit', title: 'Claim', submitLabel: 'Claim', privateMetadata: 'fs_1', intro: [], inputs: [textInput('note', 'Note')] }), { dialog: true });
    expect(f.actions).toEqual([expect.objectContaining({ type: 'Action.Submit', data: { verb: 'unattributed.claim.submit', metadata: 'fs_1' } })]);
    expect(JSON.stringify(f)).not.toContain('Action.Execute');
  });
});
