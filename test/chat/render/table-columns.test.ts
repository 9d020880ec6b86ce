import { describe, expect, it } from 'vitest';
import { renderSlackMessage } from '../../../src/chat/slack/render.js';
import { renderTeamsCard, renderTeamsCards } from '../../../src/chat/teams/render.js';
import { header, list, message, table, text } from '../../../src/messages/message-blocks.js';
import { maxChatTableColumns } from '../../../src/messages/model-limits.js';
import { teamsCardViolations, slackMessageViolations } from './platform-limit-checks.js';

const wide = table(
  [{ header: 'Cost center' }, { header: 'Budget', align: 'right' }, { header: 'Actual', align: 'right' }, { header: 'Forecast', align: 'right' }, { header: 'Variance', align: 'right' }, { header: 'Owner' }],
  Array.from({ length: 12 }, (_, i) => [`CC-${100 + i}`, '$1,000.00', '$1,250.50', '$1,300.00', '+$250.50', `owner${i}@acme.example`]),
);
const narrow = table([{ header: 'Month' }, { header: 'Estimate', align: 'right' }, { header: 'Measured', align: 'right' }], [['2026-10', '$400.00', '$380.00']]);

/** Column counts of every Adaptive Card Table in a value. */
function teamsTableWidths(x: unknown, out: number[] = []): number[] {
  if (Array.isArray(x)) x.forEach((y) => teamsTableWidths(y, out));
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.type === 'Table') out.push((o.columns as unknown[]).length);
    Object.values(o).forEach((y) => teamsTableWidths(y, out));
  }
  return out;
}

describe(`tables in chat messages have at most ${maxChatTableColumns} columns on both platforms`, () => {
  it('a wider table becomes one section per row: the first cell as its title, the others as labelled fields', () => {
    const m = message('Budget by cost center', [header('Budget by cost center'), wide]);
    const slack = renderSlackMessage(m);
    const blocks = JSON.stringify(slack.blocks);
    expect(blocks).not.toContain('```');
    expect(blocks).toContain('*Cost center: CC-100*');
    expect(blocks).toContain('*Forecast*');
    expect(blocks).toContain('owner11@acme.example');
    expect(slackMessageViolations(slack as never)).toEqual([]);
    const card = renderTeamsCard(m);
    expect(teamsTableWidths(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('Cost center: CC-111');
    expect(teamsCardViolations(card as never)).toEqual([]);
  });

  it('a table of four columns or fewer stays a table', () => {
    const m = message('Savings', [narrow]);
    expect(JSON.stringify(renderSlackMessage(m).blocks)).toContain('```');
    expect(teamsTableWidths(renderTeamsCard(m))).toEqual([3]);
  });

  it('inside list items too, and rows of a long wide table are counted like items when they do not fit', () => {
    const m = message('Items', [list([[text('entry'), wide]])]);
    expect(teamsTableWidths(renderTeamsCards(m))).toEqual([]);
    expect(JSON.stringify(renderSlackMessage(m).blocks)).not.toContain('```');
    const many = table(wide.columns, Array.from({ length: 200 }, (_, i) => [`CC-${i}`, '1', '2', '3', '4', '5']));
    const cut = renderSlackMessage(message('Many', [many], 'report budget'));
    expect(cut.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(cut.blocks)).toMatch(/and \d+ more items/);
  });
});
