import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSlackMessage, renderSlackModal } from '../../../src/chat/slack/render.js';
import { renderTeamsCard, renderTeamsForm } from '../../../src/chat/teams/render.js';
import { renderText } from '../../../src/messages/render-text.js';
import { slackMessageViolations, slackModalViolations, teamsCardViolations } from './platform-limit-checks.js';
import { viewSamples } from './render-samples.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/chat/${name}`, import.meta.url), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as unknown;

describe('every view renders to the exact JSON in test/fixtures/chat', () => {
  for (const sample of viewSamples) {
    if ('message' in sample) {
      it(`${sample.name}: Slack, Teams and plain text`, () => {
        const m = sample.message();
        const slack = renderSlackMessage(m);
        const teams = renderTeamsCard(m);
        expect(slack).toStrictEqual(json(`${sample.name}.slack.json`));
        expect(teams).toStrictEqual(json(`${sample.name}.teams.json`));
        expect(`${renderText(m)}\n`).toBe(fixture(`${sample.name}.txt`));
        expect(slackMessageViolations(slack)).toEqual([]);
        expect(teamsCardViolations(teams)).toEqual([]);
      });
    } else {
      it(`${sample.name}: Slack modal and Teams form card`, () => {
        const f = sample.form();
        const slack = renderSlackModal(f);
        const teams = renderTeamsForm(f);
        expect(slack).toStrictEqual(json(`${sample.name}.slack.json`));
        expect(teams).toStrictEqual(json(`${sample.name}.teams.json`));
        expect(slackModalViolations(slack)).toEqual([]);
        expect(teamsCardViolations(teams)).toEqual([]);
      });
    }
  }
});
