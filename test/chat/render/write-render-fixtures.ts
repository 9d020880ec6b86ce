// Writes test/fixtures/chat/*: run `npx tsx test/chat/render/write-render-fixtures.ts` after an
// intended change to a view or renderer, then review the diff before committing it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSlackMessage, renderSlackModal } from '../../../src/chat/slack/render.js';
import { renderTeamsCard, renderTeamsForm } from '../../../src/chat/teams/render.js';
import { renderText } from '../../../src/messages/render-text.js';
import { viewSamples } from './render-samples.js';

const dir = fileURLToPath(new URL('../../fixtures/chat/', import.meta.url));
mkdirSync(dir, { recursive: true });
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
for (const sample of viewSamples) {
  if ('message' in sample) {
    const m = sample.message();
    writeFileSync(`${dir}${sample.name}.slack.json`, json(renderSlackMessage(m)));
    writeFileSync(`${dir}${sample.name}.teams.json`, json(renderTeamsCard(m)));
    writeFileSync(`${dir}${sample.name}.txt`, `${renderText(m)}\n`);
  } else {
    const f = sample.form();
    writeFileSync(`${dir}${sample.name}.slack.json`, json(renderSlackModal(f)));
    writeFileSync(`${dir}${sample.name}.teams.json`, json(renderTeamsForm(f)));
  }
}
console.log(`wrote ${viewSamples.length} samples to ${dir}`);
