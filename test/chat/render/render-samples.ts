// Realistic inputs for every view, shared by the exact-JSON renderer tests and the fixture writer.
import type { Form } from '../../../src/messages/form-model.js';
import type { Message } from '../../../src/messages/message-model.js';
import { approveSavingForm } from '../../../src/messages/views/approve-saving-form.js';
import { claimForm } from '../../../src/messages/views/claim-form.js';
import { classifySpendForm } from '../../../src/messages/views/classify-spend-form.js';
import { decisionConfirmation } from '../../../src/messages/views/decision-confirmation.js';
import { errorMessage } from '../../../src/messages/views/error-message.js';
import { explainVarianceForm } from '../../../src/messages/views/explain-variance-form.js';
import { helpMessage } from '../../../src/messages/views/help-message.js';
import { notMineForm } from '../../../src/messages/views/not-mine-form.js';
import { rejectSavingForm } from '../../../src/messages/views/reject-saving-form.js';
import { savingsSignOffRequest, type SavingSignOffView } from '../../../src/messages/views/savings-sign-off-request.js';
import { unattributedSpendAlert, type UnattributedItemView } from '../../../src/messages/views/unattributed-spend-alert.js';
import { unclassifiedNewSpendAlert } from '../../../src/messages/views/unclassified-new-spend-alert.js';
import { varianceExplanationRequest } from '../../../src/messages/views/variance-explanation-request.js';

/** An open unattributed item; the service name carries characters Slack must escape. */
export const openItem: UnattributedItemView = {
  id: 'UA-2026-10-0007',
  provider: 'AWS',
  billingAccountId: '111122223333',
  subAccountId: '444455556666',
  service: 'Amazon EC2 <prod> & batch',
  effectiveCost: '12345.678901',
  billedCost: '9876.5',
  currency: 'USD',
  lines: 1532,
  reason: 'no cost-center tag',
  topResources: [
    { resourceId: 'i-0a1b2c3d4e5f', cost: '4200.1' },
    { resourceId: 'i-0f9e8d7c6b5a', cost: '1999.999' },
  ],
  status: 'open',
};

const signOff: SavingSignOffView = {
  savingId: 'SAV-0042',
  title: 'Rightsize *analytics* cluster',
  lever: 'rightsizing',
  leverKind: 'usage',
  type: 'reduction',
  costCenter: 'CC-310',
  proposer: 'finn',
  currency: 'EUR',
  estimateMonthly: '3200',
  months: [
    { month: '2026-08', estimate: '3200', measured: '2950.4' },
    { month: '2026-09', estimate: '3200', measured: '3311.25' },
    { month: '2026-10', estimate: '3200', measured: null },
  ],
  // Hand-summed over the two measured months: 6,400 estimated, 6,261.65 measured; the price effect is apart.
  totals: { estimate: '6400', measured: '6261.65', difference: '-138.35', priceEffect: '-42.32' },
  overlaps: [{ savingId: 'SAV-0031', title: 'Savings plan for EMR' }],
  evidence: [{ label: 'Utilization report', url: 'https://wiki.example.com/finops/sav-0042' }, { label: 'ticket FIN-881' }],
  status: 'proposed',
};

/** Every view with a name, as a message or a form. */
export const viewSamples: readonly ({ name: string; message: () => Message } | { name: string; form: () => Form })[] = [
  {
    name: 'unattributed-spend-alert',
    message: () =>
      unattributedSpendAlert({
        period: '2026-10',
        items: [
          openItem,
          { ...openItem, id: 'UA-2026-10-0008', provider: 'Microsoft', service: 'Azure SQL Database', subAccountId: null, effectiveCost: '250', billedCost: '250', lines: 12, reason: 'unknown cost center value CC-9999', topResources: [], status: 'claimed', claimedBy: 'ana', claimedCostCenter: 'CC-123' },
          { ...openItem, id: 'UA-2026-10-0009', service: 'Amazon S3', effectiveCost: '0.004', billedCost: '0', lines: 3, topResources: [], status: 'dismissed', dismissedBy: 'bo', dismissReason: 'shared platform storage' },
        ],
      }),
  },
  { name: 'claim-form', form: () => claimForm({ itemId: openItem.id, provider: 'AWS', service: openItem.service, period: '2026-10', effectiveCost: openItem.effectiveCost, billedCost: openItem.billedCost, currency: 'USD', clicker: 'ana' }) },
  { name: 'not-mine-form', form: () => notMineForm({ itemId: openItem.id, provider: 'AWS', service: openItem.service, period: '2026-10' }) },
  { name: 'savings-sign-off-request', message: () => savingsSignOffRequest(signOff) },
  {
    name: 'savings-sign-off-approved',
    message: () =>
      savingsSignOffRequest({
        ...signOff,
        status: 'recognized',
        decision: { outcome: 'recognized', by: 'ida', at: '2026-11-03T14:05:09Z', recognizedMonthly: '3000', fromMonth: '2026-12', budgetRevision: { costCenter: 'CC-310', fromMonth: '2026-12', toMonth: '2026-12', monthlyAmount: '3000', currency: 'EUR' } },
      }),
  },
  { name: 'savings-sign-off-rejected', message: () => savingsSignOffRequest({ ...signOff, overlaps: [], evidence: [], status: 'rejected', decision: { outcome: 'rejected', by: 'ida', at: '2026-11-03T14:05:09Z', reason: 'counted in SAV-0031 already' } }) },
  { name: 'approve-saving-form', form: () => approveSavingForm({ savingId: 'SAV-0042', title: signOff.title, currency: 'EUR', estimateMonthly: '3200', measuredMonthly: '3130.825', suggestedAmount: '3130.82', periods: ['2026-11', '2026-12', '2027-01'], suggestedPeriod: '2026-12' }) },
  { name: 'reject-saving-form', form: () => rejectSavingForm({ savingId: 'SAV-0042', title: signOff.title }) },
  {
    name: 'variance-explanation-request',
    message: () =>
      varianceExplanationRequest({
        period: '2026-10',
        costCenter: 'CC-123',
        against: 'budget',
        basis: 'billed',
        currency: 'USD',
        actual: '61250.4',
        comparison: '50000',
        variance: '11250.4',
        components: [
          { component: 'rate', amount: '1800.25' },
          { component: 'volume', amount: '6200' },
          { component: 'new', amount: '3250.15' },
        ],
        explanations: [{ component: 'new', planned: true, text: 'New AI search pilot <approved in Q3>', by: 'ana', at: '2026-11-02T09:30:00Z' }],
      }),
  },
  { name: 'explain-variance-form', form: () => explainVarianceForm({ period: '2026-10', costCenter: 'CC-123', currency: 'USD', variance: '11250.4', components: ['rate', 'volume', 'new'], initialComponent: 'volume' }) },
  {
    name: 'unclassified-new-spend-alert',
    message: () =>
      unclassifiedNewSpendAlert({
        period: '2026-10',
        items: [
          { vendor: 'Anthropic', serviceCategory: 'AI and Machine Learning', service: 'Claude API', effectiveCost: '4100.5', billedCost: '4100.5', currency: 'USD', lines: 31 },
          { vendor: 'Snowflake', effectiveCost: '980', billedCost: '1200', currency: 'USD', lines: 4 },
        ],
      }),
  },
  { name: 'classify-spend-form', form: () => classifySpendForm({ vendor: 'Anthropic', period: '2026-10', suggestedCategory: 'ai', clicker: 'ana' }) },
  {
    name: 'decision-confirmation',
    message: () => decisionConfirmation({ decision: 'Claimed', subject: 'AWS · Amazon EC2, 2026-10', details: [{ label: 'Cost center', value: 'CC-123' }, { label: 'Scope', value: 'this and future spend' }], by: 'ana', at: '2026-11-03T14:05:09Z' }),
  },
  { name: 'error-forbidden', message: () => errorMessage({ code: 'FORBIDDEN', message: 'Only itfm people may approve savings.' }) },
  { name: 'error-unknown-user', message: () => errorMessage({ code: 'UNKNOWN_USER' }) },
  { name: 'help', message: () => helpMessage() },
];
