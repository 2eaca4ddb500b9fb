// Conversations 会话 (WeCom): customers of the last 3 days grouped by session state, refreshed
// as the live reader archives new messages; one conversation in full with its state, the moves
// that state allows (assign to a receiving servicer, queue, smart assistant, end with ending
// words), a composer that says why it cannot send instead of failing, and the customer panel.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { formatDuration } from '../../lib/format.js';
import { cstTimeOfDay } from '../../lib/days.js';
import { eventWords } from '../../lib/wecom/messages.js';
import { convKey, STATE } from '../../lib/wecom/conversations.js';
import { t, lang } from '../../i18n.js';
import { errorBox, onScreen, profileKey } from '../common.js';
import { listPane } from './conversations/list.js';
import { conversationHead, movePanel, eventWordsPanel } from './conversations/moves.js';
import { customerPanel, messagesBox } from './conversations/messages.js';
import { sendPanel } from './conversations/send.js';
import { view, ui, nowSecs, selectedKey, ACCOUNT_KEY, SELECTED_KEY } from './conversations/state.js';

const POLL_MS = 2000;
let poller = null;
let loading = false;

const here = () => view.root?.querySelector('#conversations-page');

export async function render(el, appCtx) {
  view.root = el;
  view.ctx = appCtx;
  Object.assign(view, { draw, reload, loadDetail, select });
  const key = profileKey(view.ctx);
  if (key !== ui.profile) {
    // A switch (not the first visit, which keeps the conversation chosen before a restart).
    if (ui.profile !== null) ui.selected = null;
    Object.assign(ui, {
      profile: key,
      list: null,
      listError: null,
      live: null,
      detail: null,
      detailError: null,
      servicers: new Map(),
      move: null,
      eventWords: null,
    });
  }
  // A notice belongs to the visit it was made in (and its language).
  ui.notice = null;
  draw();
  try {
    ui.accounts = await api.listKfAccounts();
    if (ui.account && !ui.accounts.some((a) => a.open_kfid === ui.account)) ui.account = '';
  } catch (err) {
    ui.listError = err;
  }
  await reload();
  clearInterval(poller);
  poller = setInterval(watch, POLL_MS);
}

/** Reloads the list (and the open conversation) when the live reader archived something new. */
async function watch() {
  if (!here()) {
    clearInterval(poller);
    return;
  }
  try {
    const reader = await api.readerStatus();
    const changed = reader.revision !== ui.reader?.revision;
    ui.reader = reader;
    if (changed) await reload();
    else drawLive();
  } catch {
    // The status line keeps the last answer; the next tick tries again.
  }
}

async function reload() {
  if (loading) return;
  loading = true;
  // A list asked for before a switch to another profile is that profile's: dropped, and the
  // new profile's asked instead.
  const key = ui.profile;
  try {
    const list = await api.listConversations(ui.account || null);
    if (key !== ui.profile) {
      loading = false;
      return reload();
    }
    ui.list = list;
    ui.reader = list.reader;
    ui.listError = null;
    await loadServicers(new Set(list.rows.filter((r) => r.state?.state === STATE.servicer).map((r) => r.open_kfid)));
    view.ctx?.refreshed?.();
  } catch (err) {
    if (key !== ui.profile) {
      loading = false;
      return reload();
    }
    ui.listError = err;
  }
  if (ui.selected) await loadDetail();
  loading = false;
  if (here()) draw();
}

/** Servicer names and statuses of these accounts (once per visit each). */
async function loadServicers(accounts) {
  for (const k of accounts) {
    if (ui.servicers.has(k)) continue;
    try {
      ui.servicers.set(k, await api.listServicers(k));
    } catch {
      ui.servicers.set(k, { rows: [] });
    }
  }
}

async function loadDetail() {
  const s = ui.selected;
  try {
    const d = await api.openConversation(s.open_kfid, s.external_userid);
    if (selectedKey() !== convKey(s.open_kfid, s.external_userid)) return;
    ui.detail = d;
    ui.detailError = null;
    await loadServicers(new Set([s.open_kfid]));
  } catch (err) {
    ui.detailError = err;
  }
}

async function select(r) {
  ui.selected = { open_kfid: r.open_kfid, external_userid: r.external_userid };
  window.localStorage.setItem(SELECTED_KEY, JSON.stringify(ui.selected));
  ui.detail = null;
  ui.move = null;
  ui.eventWords = null;
  ui.notice = null;
  draw();
  await loadDetail();
  draw();
  scrollToEnd();
}

function scrollToEnd() {
  const box = view.root?.querySelector('#conv-messages');
  if (box) box.scrollTop = box.scrollHeight;
}

function draw() {
  if (!view.root || !onScreen(view.ctx, 'conversations')) return;
  // A reader at the newest message stays there as messages arrive; one reading back stays put.
  const box = view.root.querySelector('#conv-messages');
  const atEnd = !box || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  mount(
    view.root,
    h(
      'section',
      { class: 'page conversations', id: 'conversations-page' },
      header(),
      ui.listError && errorBox(ui.listError, reload),
      h(
        'div',
        { class: 'conv-layout' },
        h('div', { class: 'conv-list', id: 'conv-list' }, listPane()),
        h('div', { class: 'conv-view', id: 'conv-view' }, viewPane()),
      ),
    ),
  );
  if (atEnd) scrollToEnd();
}

function header() {
  return h(
    'header',
    { class: 'page-head' },
    h('div', {}, h('h1', {}, t('conv.title')), h('p', { class: 'subtitle', id: 'conv-live', role: 'status' }, liveWords())),
    h(
      'div',
      { class: 'head-actions' },
      h(
        'label',
        { class: 'account-filter' },
        t('conv.account'),
        ' ',
        h(
          'select',
          {
            id: 'conv-account',
            onchange: (e) => {
              ui.account = e.target.value;
              window.localStorage.setItem(ACCOUNT_KEY, ui.account);
              ui.list = null;
              draw();
              reload();
            },
          },
          h('option', { value: '', selected: ui.account === '' }, t('conv.allAccounts')),
          ui.accounts.map((a) => h('option', { value: a.open_kfid, selected: a.open_kfid === ui.account }, a.name)),
        ),
      ),
      h('button', { type: 'button', class: 'btn', id: 'conv-read-now', 'data-refresh': true, onclick: readNow }, t('conv.readNow')),
    ),
  );
}

async function readNow() {
  const ids = ui.account ? [ui.account] : ui.accounts.filter((a) => a.manage_privilege !== false).map((a) => a.open_kfid);
  try {
    ui.reader = await api.readNow(ids);
  } catch (err) {
    ui.listError = err;
  }
  await reload();
}

/** "Live · read 3 s ago", or the 45009 block with its end, or the last failure. */
function liveWords() {
  const l = ui.reader;
  if (!l) return t('conv.reader.starting');
  const now = nowSecs();
  if (l.blocked_until && l.blocked_until > now) {
    return t('conv.reader.blocked', { time: cstTimeOfDay(l.blocked_until, lang()), s: l.blocked_until - now });
  }
  if (l.error) return t('conv.reader.error', { message: l.error.message });
  const how = t(l.relay ? 'conv.reader.relay' : 'conv.reader.polling');
  return l.last_read ? t('conv.reader.read', { how, ago: formatDuration(Math.max(0, now - l.last_read), t) }) : t('conv.reader.reading', { how });
}

function drawLive() {
  const el = view.root?.querySelector('#conv-live');
  if (el) el.textContent = liveWords();
}

function viewPane() {
  if (!ui.selected) return h('p', { class: 'empty' }, t('conv.pick'));
  if (ui.detailError && !ui.detail) return errorBox(ui.detailError, () => select(ui.selected));
  const d = ui.detail;
  if (!d) return h('p', { class: 'loading' }, t('common.loading'));
  return [
    conversationHead(d),
    ui.detailError && errorBox(ui.detailError),
    ui.notice && h('div', { class: `action-notice ${ui.notice.kind}`, id: 'conv-notice', role: 'status' }, ui.notice.text),
    movePanel(d),
    eventWordsPanel(d),
    customerPanel(d),
    messagesBox(d),
    sendPanel(d),
  ];
}

export { handleDrop } from './conversations/send.js';
