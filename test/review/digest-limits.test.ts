import { describe, expect, it } from 'vitest';
import type { WeeklyDigest } from '../../src/domain/digest.js';
import { weeklyDigestMessages } from '../../src/messages/views/weekly-digest.js';
import { renderSlackMessage } from '../../src/chat/slack/render.js';
import { slackLimits } from '../../src/chat/slack/limits.js';
import { renderTeamsCard } from '../../src/chat/teams/render.js';
import { teamsLimits, utf16Bytes } from '../../src/chat/teams/limits.js';
import { renderText } from '../../src/messages/render-text.js';

function largeDigest(n: number): WeeklyDigest {
  const ccs = Array.from({ length: n }, (_, i) => `CC-${String(i).padStart(4, '0')}`);
  return {
    cadence: 'weekly-digest',
    period: '2026-09',
    asOf: '2026-09-14',
    dataThrough: '2026-09-13',
    generatedAt: '2026-09-14T09:00:00.000Z',
    timezone: 'UTC',
    scope: [],
    demo: false,
    freshness: [{ provider: 'Nimbus Cloud', lastImportAt: '2026-09-13T02:00:00.000Z', lastChargeDate: '2026-09-05', staleAfterDays: 3, stale: true }],
    staleAfterDays: 3,
    headline: [{ currency: 'USD', effective: '123456.789', billed: '120000.5', lines: 5_000_000 }],
    budgets: ccs.map((cc, i) => ({ costCenter: cc, name: `Team ${i}`, currency: 'USD', monthToDate: '1000', projected: '2500', budget: '2000', itfmForecast: '2100', differenceToBudget: '500', differenceToForecast: '400', material: true })),
    moversBasis: { comparedWith: '2026-08', through: '2026-08-13' },
    movers: ccs.slice(0, 5).map((cc) => ({ costCenter: cc, currency: 'USD', variance: '100', components: [{ component: 'volume', amount: '100' }] })),
    openVariances: ccs.map((cc) => ({ costCenter: cc, currency: 'USD', components: [{ component: 'rate', amount: '1200' }] })),
    unattributed: [
      {
        currency: 'USD',
        effective: '5000',
        billed: '5000',
        share: '0.0405',
        topItems: ccs.map((cc, i) => ({ itemId: String(i + 1), provider: 'Nimbus Cloud', billingAccountId: 'BA-1', subAccountId: cc, service: 'Compute', currency: 'USD', effective: '25', billed: '25', lines: 3 })),
        openItems: n,
        unknownCostCenters: [{ value: 'CC-9999', effective: '10', lines: 1 }],
        coverageTrend: [{ period: '2026-08', share: '0.95' }, { period: '2026-09', share: '0.9595' }],
      },
    ],
    savingsAwaiting: ccs.map((cc, i) => ({ id: `SAV-${i}`, title: `Rightsize ${cc}`, costCenter: cc, type: 'reduction' as const, status: 'proposed', estimateMonthly: '300', currency: 'USD' })),
    savingsRecognized: [{ currency: 'USD', reduction: '1000', avoidance: '200' }],
    newSpend: ccs.map((cc) => ({ vendor: `Vendor ${cc}`, serviceCategory: 'AI and Machine Learning', service: 'Tokens', currency: 'USD', effective: '10', billed: '10', lines: 1, newVendor: true })),
    sinceLast: {
      previousReviewAt: '2026-09-07T09:00:00.000Z',
      decisionCount: 250,
      decisions: ccs.slice(0, 10).map((cc) => ({ at: '2026-09-08T10:00:00.000Z', actor: 'ana', surface: 'slack', action: 'unattributed.claim', subject: `item ${cc}` })),
      stillOpen: { unattributedItems: n, openVariances: n, savingsAwaiting: n, newSpend: n },
    },
    trend: { currency: 'USD', points: [{ period: '2026-09', actual: '1000', budget: '2000', projected: '2500' }] },
  };
}

describe('weekly digest with 200 cost centers', () => {
  const digest = largeDigest(200);
  const { parent, thread } = weeklyDigestMessages(digest, { chart: true });
  const all = [parent, ...thread];

  it('fits Slack Block Kit limits in the parent and every thread reply, cutting long tables with "and N more"', () => {
    for (const msg of all) {
      const { blocks, text } = renderSlackMessage(msg);
      expect(blocks.length).toBeLessThanOrEqual(slackLimits.messageBlocks);
      expect(text.length).toBeLessThanOrEqual(slackLimits.messageText);
      for (const b of blocks) {
        if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(slackLimits.sectionText);
        if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(slackLimits.actionsElements);
      }
    }
    expect(JSON.stringify(renderSlackMessage(thread[0]!).blocks)).toMatch(/…and \d+ more/);
    const { blocks } = renderSlackMessage(parent);
    expect(JSON.stringify(blocks[0])).toContain('Weekly review · 2026-09 to date');
    // However many decisions wait, the parent stays short: true counts, a few shown, View all for the rest.
    expect(blocks.length).toBeLessThanOrEqual(25);
    expect(renderText(parent).split('\n').length, renderText(parent)).toBeLessThanOrEqual(40);
    expect(renderText(parent)).toContain('200 savings to sign off, 1 shown');
    expect(renderText(parent)).toContain('[View all unattributed (200)]');
  });

  it('fits the Teams Adaptive Card budget', () => {
    for (const msg of all) {
      const card = renderTeamsCard(msg);
      expect(utf16Bytes(card)).toBeLessThanOrEqual(teamsLimits.cardBytes);
    }
    expect(JSON.stringify(renderTeamsCard(parent))).toContain('Weekly review');
  });

  it('shows every button\'s CLI equivalent in the terminal rendering', () => {
    const text = renderText(parent, { maxListItems: 3 });
    expect(text).toContain('[Explain] npx costbridge variance explain --period 2026-09 --scope CC-0000');
    expect(text).toContain('[Claim] npx costbridge claim 1 --cost-center CODE --as YOU');
    expect(text).toContain('[Approve] npx costbridge savings approve SAV-0');
    expect(text).toContain('Stale data');
  });
});

describe('data freshness', () => {
  it('gives usage-billed providers the configured days and monthly invoices a monthly cycle', async () => {
    const { isStale, staleAfterDaysFor } = await import('../../src/domain/digest.js');
    expect(staleAfterDaysFor(true, 3)).toBe(3);
    expect(staleAfterDaysFor(false, 3)).toBe(35);
    // A SaaS invoice dated the 1st is current on the 23rd; usage data from the 1st is not.
    expect(isStale('2026-11-01', '2026-11-23', staleAfterDaysFor(false, 3))).toBe(false);
    expect(isStale('2026-11-01', '2026-11-23', staleAfterDaysFor(true, 3))).toBe(true);
    expect(isStale('2026-10-01', '2026-11-23', staleAfterDaysFor(false, 3))).toBe(true);
  });
});
