import { describe, expect, it } from 'vitest';
import { slackFormValues } from '../../../src/chat/slack/form-values.js';
import { teamsFormValues } from '../../../src/chat/teams/form-values.js';
import { claimForm } from '../../../src/messages/views/claim-form.js';

const f = claimForm({ itemId: 'UA-1', provider: 'AWS', service: 'EC2', period: '2026-10', effectiveCost: '1', billedCost: '1', currency: 'USD', clicker: 'ana' });

describe('submitted form values come back keyed by input id', () => {
  it('Slack view_submission state (block_id and action_id are the input id)', () => {
    const state = {
      costCenter: { costCenter: { type: 'external_select', selected_option: { value: 'CC-123' } } },
      application: { application: { type: 'plain_text_input', value: null } },
      environment: { environment: { type: 'static_select', selected_option: null } },
      project: { project: { type: 'plain_text_input', value: '' } },
      owner: { owner: { type: 'plain_text_input', value: 'ana' } },
      scope: { scope: { type: 'radio_buttons', selected_option: { value: 'future' } } },
    };
    expect(slackFormValues(f, state)).toEqual({ costCenter: 'CC-123', application: undefined, environment: undefined, project: undefined, owner: 'ana', scope: 'future' });
  });

  it('Teams Action.Execute data (inputs merged next to the metadata)', () => {
    const data = { metadata: '{"itemId":"UA-1"}', costCenter: 'CC-123', application: '', owner: 'ana', scope: 'item', extra: 'ignored' };
    expect(teamsFormValues(f, data)).toEqual({
      values: { costCenter: 'CC-123', application: undefined, environment: undefined, project: undefined, owner: 'ana', scope: 'item' },
      metadata: '{"itemId":"UA-1"}',
    });
  });
});
