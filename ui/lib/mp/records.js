// The Records page's order: the table's sort handed to the app with the names the page shows,
// so that the app ranks agents and customers the way people read them. Pure, tested under node.

import { sortRows } from '../sort.js';

/**
 * The order to ask the app for: the table's sort, and for agents or customers the IDs the page
 * names (agents by nickname, customers by the staff's note) ranked by those names — the app
 * puts the others after them, by ID, as the page shows them.
 */
export function recordOrder(sort, agents, notes) {
  const byName = (pairs) => sortRows(pairs, { key: 'name', desc: false }, { name: (p) => p[1] }).map((p) => p[0]);
  const ranked =
    sort.key === 'agent' ? byName((agents ?? []).map((a) => [a.kf_account, a.nickname])) : sort.key === 'customer' ? byName(Object.entries(notes ?? {})) : [];
  return { key: sort.key, desc: Boolean(sort.desc), ranked };
}
