import { searchCostCenters } from '../../store/cost-center-search.js';
import type { OptionsSource } from './options-source.js';

/** `cost-centers`: the ITFM master data, searched by code or name (Slack external selects allow 100 options). */
export const costCenterOptions: OptionsSource = {
  id: 'cost-centers',
  async search(query, { store }) {
    const rows = await searchCostCenters(store.db, query, 100);
    return rows.map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }));
  },
};
