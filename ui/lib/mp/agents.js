// Agent list logic: search, filter and sort, independent of the DOM.

/** Case-insensitive match on nickname, account, kf_id, bound or invited WeChat ID. */
export function matches(agent, query) {
  const q = String(query || '')
    .trim()
    .toLowerCase();
  if (!q) return true;
  return [agent.nickname, agent.kf_account, agent.kf_id, agent.kf_wx, agent.invite?.wx].filter(Boolean).some((v) => String(v).toLowerCase().includes(q));
}

/** 'all' | 'online' | 'offline' | 'unbound' */
export function inFilter(agent, filter) {
  switch (filter) {
    case 'online':
      return agent.online_status > 0;
    case 'offline':
      return !agent.online_status;
    case 'unbound':
      return !agent.kf_wx;
    default:
      return true;
  }
}

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });

const SORTS = {
  nickname: (a, b) => collator.compare(a.nickname, b.nickname),
  id: (a, b) => collator.compare(String(a.kf_id), String(b.kf_id)),
  // Online first (both > mobile/PC), then by nickname.
  status: (a, b) => Number(b.online_status > 0) - Number(a.online_status > 0) || SORTS.nickname(a, b),
  // Busiest first: share of the auto-accept limit in use, then absolute sessions.
  load: (a, b) => ratio(b) - ratio(a) || b.accepted_case - a.accepted_case || SORTS.nickname(a, b),
};

function ratio(a) {
  if (!a.online_status) return -1;
  return a.auto_accept > 0 ? a.accepted_case / a.auto_accept : a.accepted_case;
}

/** The names of the groups `account` belongs to. */
export function groupsOf(groups, account) {
  return (groups || []).filter((g) => g.members.includes(account)).map((g) => g.name);
}

/** `groups` with `account` added to or removed from group `name`. Never mutates. */
export function toggleMember(groups, name, account, member) {
  return groups.map((g) =>
    g.name !== name
      ? g
      : {
          ...g,
          members: member ? [...new Set([...g.members, account])] : g.members.filter((m) => m !== account),
        },
  );
}

/**
 * The agents to show, in order (`desc`: the other way round). `group`: only members of that
 * group (by name) of `groups`. Never mutates `agents`.
 */
export function visibleAgents(agents, { query = '', filter = 'all', sort = 'status', desc = false, group = '', groups = [] } = {}) {
  const members = group ? new Set(groups.find((g) => g.name === group)?.members ?? []) : null;
  const by = SORTS[sort] || SORTS.status;
  return agents.filter((a) => matches(a, query) && inFilter(a, filter) && (!members || members.has(a.kf_account))).sort(desc ? (a, b) => by(b, a) : by);
}

export function countOnline(agents) {
  return agents.filter((a) => a.online_status > 0).length;
}
