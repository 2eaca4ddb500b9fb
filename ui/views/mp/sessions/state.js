// The Sessions page's state, kept across visits per profile, and what its parts share: the
// page's element and context, its redraw and refresh, and how agents and customers are named.
import { t } from '../../../i18n.js';
import { savedRefresh } from '../../../lib/mp/sessions.js';
import { customerName } from '../../../lib/mp/customers.js';

/** WeChat shows "typing…" for 15 s and refuses a repeat meanwhile (45081). */
export const TYPING_MS = 15_000;

/**
 * The page on screen: its element, the app's context, and its redraw and refresh (set by
 * `views/mp/sessions.js` when it renders).
 */
export const view = {
  root: null,
  ctx: null,
  draw() {},
  refresh() {},
};

// Kept across visits to the page, per profile.
export const ui = {
  profile: null,
  data: null,
  diff: null,
  error: null,
  actionError: null,
  /** {kind: 'ok'|'partial', text} after an action */
  notice: null,
  loading: false,
  interval: savedRefresh(window.localStorage),
  paused: false,
  /** Auto-refresh is waiting for the open panel to close. */
  held: false,
  /** Auto-refresh stopped by a quota error: {until (ms), key} */
  quota: null,
  /** The open message / transfer / close panel: {place, kind, agent, openid, text, to, error, busy} */
  panel: null,
  /** The agent chosen in each waiting customer's assign menu (openid → kf_account): kept across refreshes. */
  choices: new Map(),
  /** The staff's notes on customers, by openid. */
  notes: {},
  /** The note being written: {openid, text, error, busy} */
  noteEdit: null,
  /** Batch assignment: {count, busy, results: [{openid, kf_account, error}]} */
  batch: { count: null, busy: false, results: null },
  lookup: { openid: '', result: null, error: null, busy: false },
};

/** WeChat's text limit, from Rust (`wechat::limits`). */
export const textBytes = () => view.ctx.info.limits.text_bytes;
export const nowSecs = () => Math.floor(Date.now() / 1000);
export const nick = (account) => ui.data?.agents.find((a) => a.kf_account === account)?.nickname || account;
/** A customer in a sentence: their note, what they wrote, or a short openid. */
export const who = (openid) => customerName(openid, ui.notes, ui.data?.last_words, t);
/** Customers sort by note, then by what they wrote; the unknown last. */
export const customerKey = (openid) => {
  const note = ui.notes[openid];
  const said = ui.data?.last_words?.[openid]?.text;
  return note ? [0, note] : said ? [1, said] : '';
};
/** The overview on screen is from an earlier refresh that failed since: shown greyed, its actions off. */
export const stale = () => Boolean(ui.data && ui.error);
