// Sessions page logic: the estimated wait of each queued customer, what changed between two
// snapshots (the desktop equivalent of WeChat's kf_create / kf_close / kf_switch events), and
// when to notify. Pure functions, unit-tested under node.

import { nextCstMidnight } from '../days.js';

/** An agent's free places: auto-accept limit minus sessions being served (never negative). */
const freePlaces = (a) => Math.max(0, a.auto_accept - a.accepted_case);

/**
 * Free places right now and total places, over the online agents.
 * @param {{auto_accept: number, accepted_case: number}[]} agents
 */
export function capacity(agents) {
  let free = 0;
  let total = 0;
  for (const a of agents) {
    total += Math.max(0, a.auto_accept);
    free += freePlaces(a);
  }
  return { free, total };
}

/**
 * Estimated seconds until the customer at `position` (0 = first in line) is served, or null when
 * there is no basis (nobody online, or no recent session length). The first `free` customers are
 * served as soon as an agent picks them; the rest wait for places to free up: with `total` places
 * each lasting `avgSecs` on average, one frees up every avgSecs / total seconds.
 */
export function estimateWait(position, { free, total }, avgSecs) {
  if (total <= 0 || !(avgSecs > 0)) return null;
  const ahead = position - free + 1;
  if (ahead <= 0) return 0;
  return Math.round((ahead * avgSecs) / total);
}

const key = (agent, openid) => `${agent}\u0000${openid}`;

/**
 * What changed from `prev` to `next` snapshots ({waiting_count, waiting: [{openid}], agents:
 * [{kf_account, sessions: [{openid}]}]}): how many customers joined the queue and which of them
 * are listed, sessions opened (assigned), closed, and customers moved from one agent to another
 * (transfers).
 */
export function diffSnapshots(prev, next) {
  const out = { arrived: 0, newWaiting: [], opened: [], closed: [], transferred: [] };
  if (!prev) return out;
  const waitingBefore = new Set(prev.waiting.map((w) => w.openid));
  const waitingNow = new Set(next.waiting.map((w) => w.openid));
  out.newWaiting = next.waiting.filter((w) => !waitingBefore.has(w.openid)).map((w) => w.openid);
  // Only the earliest 100 are listed, so arrivals come from the true totals: growth plus those
  // who left the front of the queue (exact while the queue lists everyone; a floor beyond).
  const left = prev.waiting.filter((w) => !waitingNow.has(w.openid)).length;
  const count = (snap) => snap.waiting_count ?? snap.waiting.length;
  out.arrived = Math.max(out.newWaiting.length, count(next) - count(prev) + left);
  const servedBy = (snap) => {
    const m = new Map();
    for (const a of snap.agents) for (const s of a.sessions) m.set(s.openid, a.kf_account);
    return m;
  };
  const before = servedBy(prev);
  const after = servedBy(next);
  for (const [openid, agent] of after) {
    const was = before.get(openid);
    if (was === undefined) out.opened.push({ openid, agent });
    else if (was !== agent) out.transferred.push({ openid, from: was, to: agent });
  }
  for (const [openid, agent] of before) {
    if (!after.has(openid)) out.closed.push({ openid, agent });
  }
  return out;
}

/** Keys of the session rows to highlight after a refresh. */
export function highlightedSessions(diff) {
  return new Set([...diff.opened.map((o) => key(o.agent, o.openid)), ...diff.transferred.map((t) => key(t.to, t.openid))]);
}

export { key as sessionKey };

/** Notify when the queue grew while the user is looking elsewhere. */
export function shouldNotify(prevCount, nextCount, windowHidden) {
  return windowHidden && prevCount !== null && prevCount !== undefined && nextCount > prevCount;
}

/**
 * The online agents a customer can be given to, most free places first; an agent at their
 * auto-accept limit can still be chosen (kfsession/create is not bound by it) but is marked full.
 * @returns {{kf_account: string, nickname: string, free: number, full: boolean}[]}
 */
export function assignTargets(agents, except = null) {
  return agents
    .filter((a) => a.kf_account !== except)
    .map((a) => {
      const free = freePlaces(a);
      return { kf_account: a.kf_account, nickname: a.nickname, free, full: free === 0 };
    })
    .sort((x, y) => y.free - x.free || x.kf_account.localeCompare(y.kf_account));
}

/** Refresh intervals offered (seconds; 0 = off) and the one used until the user picks. */
export const REFRESH_CHOICES = [0, 10, 30, 60];
export const DEFAULT_REFRESH = 30;
/** Where the chosen interval is remembered (localStorage). */
export const REFRESH_KEY = 'kefudesk.sessions.refresh';

/** The saved interval, if it is one of the choices. */
export function savedRefresh(storage) {
  const saved = storage?.getItem?.(REFRESH_KEY);
  // Number(null) is 0 ("off"): a missing value must not read as a choice.
  return saved != null && REFRESH_CHOICES.includes(Number(saved)) ? Number(saved) : DEFAULT_REFRESH;
}

/**
 * When WeChat refuses for quota, auto-refresh must stop spending more of it: until the next CST
 * midnight for the daily quota (45009), a minute for the per-minute one (45011). Returns the
 * time (ms) to resume and the message key, or null for any other error.
 */
export function quotaPause(err, nowMs) {
  if (err?.errcode === 45009) {
    return { until: nextCstMidnight(nowMs), key: 'sessions.quota.daily' };
  }
  if (err?.errcode === 45011) return { until: nowMs + 60_000, key: 'sessions.quota.minute' };
  return null;
}
