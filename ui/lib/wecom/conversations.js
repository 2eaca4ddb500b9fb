// Pure logic of the WeCom Conversations page: grouping by session state, names, the actions a
// state allows, send failures attached to their messages, msgids for safe retries. Tested
// under node.

import { CST_SECS } from '../days.js';

/**
 * WeCom's session states (document/path/94669) as the app sends them (Rust's `SessionState`):
 * the one place the page names the numbers.
 */
export const STATE = Object.freeze({ untreated: 0, assistant: 1, queue: 2, servicer: 3, ended: 4 });

/**
 * The order groups are shown in: what needs someone first. `null` = state not known yet.
 * @type {(number|null)[]}
 */
export const STATE_ORDER = [STATE.untreated, STATE.queue, STATE.servicer, STATE.assistant, STATE.ended, null];

/**
 * Rows grouped by their session state, in STATE_ORDER, each group newest first; empty groups
 * are left out.
 * @param {{state: {state: number}|null, last_time: number}[]} rows
 */
export function groupByState(rows) {
  const groups = new Map(STATE_ORDER.map((s) => [s, []]));
  for (const r of rows) {
    const s = r.state?.state ?? null;
    groups.get(STATE_ORDER.includes(s) ? s : null).push(r);
  }
  return STATE_ORDER.map((state) => ({ state, rows: groups.get(state).sort((a, b) => b.last_time - a.last_time) })).filter((g) => g.rows.length > 0);
}

/** The customer's name, or words saying WeCom did not tell it (the ID shows beside). */
export function customerName(row, t) {
  const c = row.customer;
  if (c?.nickname) return c.nickname;
  return c?.invalid ? t('conv.customer.unknown') : t('conv.customer.unnamed');
}

/** A conversation's key (account + customer). */
export const convKey = (openKfid, externalUserid) => `${openKfid}|${externalUserid}`;

/**
 * The actions offered for the moves a state allows (`moves` from the app), in the order shown:
 * assign or transfer to a servicer, queue, smart assistant, end.
 */
export function actionsFor(state, moves) {
  const order = [STATE.servicer, STATE.queue, STATE.assistant, STATE.ended];
  const key = {
    [STATE.servicer]: state === STATE.servicer ? 'transfer' : 'assign',
    [STATE.queue]: 'queue',
    [STATE.assistant]: 'assistant',
    [STATE.ended]: 'end',
  };
  return order.filter((to) => moves.includes(to)).map((to) => ({ to, key: key[to] }));
}

/** Servicers that can take a session now (接待中), by name. */
export function receivingServicers(rows) {
  return rows.filter((r) => r.userid && r.status === 'receiving').map((r) => ({ userid: r.userid, name: r.name || r.userid }));
}

/**
 * The msg_send_fail events of a conversation, by the msgid of the message they concern.
 * @returns {Map<string, object>} msgid → the event
 */
export function failures(messages) {
  const out = new Map();
  for (const m of messages) {
    const e = m.raw?.event;
    if (m.msgtype === 'event' && e?.event_type === 'msg_send_fail' && e.fail_msgid) out.set(e.fail_msgid, e);
  }
  return out;
}

/** A msgid for one message being written: ≤ 32 of [0-9a-zA-Z_-]; kept across retries. */
export function newMsgid(random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))) {
  return `kd${[...random(15)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** UTF-8 length (WeCom counts bytes). */
/** The words WeCom's event code allows after a move: queue notice, accept words, ending words. */
export function eventWordsKind(to) {
  return { 2: 'queue', 3: 'accept', 4: 'end' }[to] ?? null;
}

/** How a customer entered (enter_session_context) as short parts: scene, its parameter, Channels. */
export function entryParts(context) {
  if (!context) return [];
  const parts = [];
  if (context.scene) parts.push(['scene', context.scene]);
  if (context.scene_param) parts.push(['param', decodeURIComponentSafe(context.scene_param)]);
  if (context.wechat_channels?.nickname) parts.push(['channels', context.wechat_channels.nickname]);
  return parts;
}

function decodeURIComponentSafe(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The dates of date inputs ('YYYY-MM-DD', either may be empty) as a Unix-seconds range of China
 * Standard Time days, as WeChat, the records and the CSV count them wherever the computer is:
 * from the start of the first day to the end of the last (CST has no daylight saving).
 */
export function dayRange(from, to) {
  const start = (d) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
    return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 - CST_SECS : null;
  };
  const a = start(from);
  const b = start(to);
  return { from: a, to: b === null ? null : b + 86_400 };
}

/** `text` split around case-insensitive matches of `needle`: [[piece, isMatch], …]. */
export function highlight(text, needle) {
  const n = (needle ?? '').trim();
  if (!n) return [[text, false]];
  const out = [];
  const lower = text.toLowerCase();
  const ln = n.toLowerCase();
  let i = 0;
  for (let at = lower.indexOf(ln); at !== -1; at = lower.indexOf(ln, i)) {
    if (at > i) out.push([text.slice(i, at), false]);
    out.push([text.slice(at, at + n.length), true]);
    i = at + n.length;
  }
  if (i < text.length) out.push([text.slice(i), false]);
  return out;
}
