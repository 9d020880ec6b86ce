import { searchClaimableCostCenters } from '../../app/claimable-cost-centers.js';
import { optionSources } from '../../messages/views/interaction-ids.js';
import type { OptionsSource } from './options-source.js';

/** `claimable-cost-centers`: the claim form's cost centers, only those the person may claim for (Slack external select, Teams Data.Query). */
export const claimableCostCenterOptions: OptionsSource = {
  id: optionSources.claimableCostCenters,
  async search(query, request) {
    const person = request.requester.person;
    if (!person) return [];
    const rows = await searchClaimableCostCenters(request.store, person, query, 100);
    return rows.map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }));
  },
};
