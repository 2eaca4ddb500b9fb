// The Conversations page's state (kept across visits, per profile) and what its parts share:
// the page's element and context, its redraw and loads, and how accounts and servicers are named.
import { convKey } from '../../../lib/wecom/conversations.js';

export const ACCOUNT_KEY = 'kefudesk.wecom.conv.account';
export const SELECTED_KEY = 'kefudesk.wecom.conv.selected';
/** A state checked longer ago than this looks stale. */
export const STALE_SECS = 300;

/**
 * The page on screen: its element, the app's context, and its redraw and loads (set by
 * `views/wecom/conversations.js` when it renders).
 */
export const view = {
  root: null,
  ctx: null,
  draw() {},
  /** @type {() => Promise<void>} */
  async reload() {},
  /** @type {() => Promise<void>} */
  async loadDetail() {},
  /** @type {(r: any) => Promise<void>} */
  async select(r) {},
};

export const ui = {
  profile: null,
  accounts: [],
  /** '' = all accounts */
  account: window.localStorage.getItem(ACCOUNT_KEY) ?? '',
  list: null,
  listError: null,
  live: null,
  selected: JSON.parse(window.localStorage.getItem(SELECTED_KEY) || 'null'),
  detail: null,
  detailError: null,
  /** Servicers per account: open_kfid → rows of list_servicers */
  servicers: new Map(),
  /** Pictures shown or files being fetched: media_id → {url, busy, error} */
  media: new Map(),
  /** Drafts per conversation: key → {text, msgid, error, busy} (kept while the app runs) */
  drafts: new Map(),
  /** The open move panel: {to, servicer, words, busy, error} */
  move: null,
  /** Words an event code allows after a move: {code, kind, text, busy, error} */
  eventWords: null,
  notice: null,
  /** Whether the customer details are unfolded (kept across redraws and conversations) */
  customerOpen: false,
};

/** WeChat's text limit, from Rust (`wechat::limits`). */
export const textBytes = () => view.ctx.info.limits.text_bytes;
export const nowSecs = () => Math.floor(Date.now() / 1000);
export const accountName = (k) => ui.accounts.find((a) => a.open_kfid === k)?.name ?? k;
export const selectedKey = () => (ui.selected ? convKey(ui.selected.open_kfid, ui.selected.external_userid) : null);

export function servicerName(openKfid, userid) {
  const rows = ui.servicers.get(openKfid)?.rows ?? [];
  return rows.find((r) => r.userid === userid)?.name || userid;
}
