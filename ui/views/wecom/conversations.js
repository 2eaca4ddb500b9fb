// Conversations 会话 (WeCom): customers of the last 3 days grouped by session state, refreshed
// as the live reader archives new messages; one conversation in full with its state, the moves
// that state allows (assign to a receiving servicer, queue, smart assistant, end with ending
// words), a composer that says why it cannot send instead of failing, and the customer panel.
import * as api from '../../api.js';
import { focusWithin, h, mount } from '../../lib/dom.js';
import { formatDuration, charsLeftLabel } from '../../lib/format.js';
import { cstDateTime, cstTimeOfDay } from '../../lib/days.js';
import { messageWords, eventWords, stateWords } from '../../lib/wecom/messages.js';
import {
  groupByState,
  customerName,
  convKey,
  actionsFor,
  receivingServicers,
  failures,
  newMsgid,
  byteLength,
  eventWordsKind,
  entryParts,
  STATE,
} from '../../lib/wecom/conversations.js';
import { t, lang } from '../../i18n.js';
import { errorBox, idChip, savePath, ownerName, onScreen, profileKey } from '../common.js';
import { chooseFile } from '../avatar-picker.js';

const ACCOUNT_KEY = 'kefudesk.wecom.conv.account';
const SELECTED_KEY = 'kefudesk.wecom.conv.selected';
const POLL_MS = 2000;
/** WeChat's text limit, from Rust (`wechat::limits`). */
const textBytes = () => ctx.info.limits.text_bytes;
/** A state checked longer ago than this looks stale. */
const STALE_SECS = 300;

const ui = {
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
let root = null;
let ctx = null;
let poller = null;
let loading = false;

const here = () => root?.querySelector('#conversations-page');
const nowSecs = () => Math.floor(Date.now() / 1000);
const accountName = (k) => ui.accounts.find((a) => a.open_kfid === k)?.name ?? k;
const selectedKey = () => (ui.selected ? convKey(ui.selected.open_kfid, ui.selected.external_userid) : null);

function servicerName(openKfid, userid) {
  const rows = ui.servicers.get(openKfid)?.rows ?? [];
  return rows.find((r) => r.userid === userid)?.name || userid;
}

export async function render(el, appCtx) {
  root = el;
  ctx = appCtx;
  const key = profileKey(ctx);
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
    ctx?.refreshed?.();
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
  const box = root?.querySelector('#conv-messages');
  if (box) box.scrollTop = box.scrollHeight;
}

function draw() {
  if (!root || !onScreen(ctx, 'conversations')) return;
  const focus = focusWithin(root);
  const box = root.querySelector('#conv-messages');
  const atEnd = !box || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const keep = box?.scrollTop;
  const listBox = root.querySelector('#conv-list');
  const listScroll = listBox?.scrollTop;
  mount(
    root,
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
  const newBox = root.querySelector('#conv-messages');
  if (newBox) newBox.scrollTop = atEnd ? newBox.scrollHeight : keep;
  const newList = root.querySelector('#conv-list');
  if (newList && listScroll) newList.scrollTop = listScroll;
  focus.restore();
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
  const el = root?.querySelector('#conv-live');
  if (el) el.textContent = liveWords();
}

function listPane() {
  const list = ui.list;
  if (!list) return h('p', { class: 'loading' }, t('common.loading'));
  const stale = list.stale && h('p', { class: 'notice stale', id: 'conv-stale' }, t('conv.stale', { message: list.stale.message }));
  if (!list.rows.length) return [stale, h('p', { class: 'empty', id: 'conv-empty' }, t('conv.empty'))];
  return [
    stale,
    groupByState(list.rows).map((g) =>
      h(
        'div',
        { class: 'conv-group', dataset: { state: g.state ?? 'unknown' } },
        h('h2', {}, g.state === null ? t('conv.state.unknown') : stateWords(g.state, t), ' ', h('span', { class: 'count' }, g.rows.length)),
        g.rows.map((r) => listItem(r, list.now)),
      ),
    ),
  ];
}

function listItem(r, now) {
  const name = customerName(r, t);
  const words = messageWords({ ...r.last.raw, origin: r.last.origin }, t);
  const selected = selectedKey() === convKey(r.open_kfid, r.external_userid);
  const state = r.state;
  const by = state?.state === STATE.servicer && state.servicer_userid ? t('conv.by', { name: servicerName(r.open_kfid, state.servicer_userid) }) : null;
  const old = state && now - state.checked_at > STALE_SECS;
  return h(
    'button',
    {
      type: 'button',
      class: `conv-item${selected ? ' selected' : ''}`,
      dataset: { customer: r.external_userid, account: r.open_kfid },
      'aria-current': selected ? 'true' : 'false',
      onclick: () => select(r),
    },
    avatar(r.customer),
    h('span', { class: 'who' }, h('span', { class: `name${r.customer?.nickname ? '' : ' unknown'}` }, name), h('span', { class: 'last' }, words.text)),
    h(
      'span',
      { class: 'meta' },
      h('span', { class: 'ago', title: cstDateTime(r.last_time, lang()) }, formatDuration(Math.max(0, now - r.last_time), t)),
      !ui.account && h('span', { class: 'acct' }, accountName(r.open_kfid)),
      by && h('span', { class: 'by' }, by),
      old && h('span', { class: 'stale-mark', title: t('conv.checked', { ago: formatDuration(now - state.checked_at, t) }) }, t('conv.staleMark')),
    ),
  );
}

function avatar(c, size = 32) {
  return c?.avatar
    ? h('img', { class: 'avatar', src: api.avatarSrc(c.avatar), alt: '', width: size, height: size, loading: 'lazy' })
    : h('span', { class: 'avatar placeholder', style: `width:${size}px;height:${size}px` }, (c?.nickname || '?').slice(0, 1));
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
    composer(d),
  ];
}

function conversationHead(d) {
  const c = d.customer;
  const name = customerName({ customer: c }, t);
  const s = d.state.state;
  const by = s === STATE.servicer && d.state.servicer_userid ? servicerName(d.open_kfid, d.state.servicer_userid) : null;
  return h(
    'div',
    { class: 'conv-head' },
    avatar(c, 40),
    h(
      'div',
      { class: 'who' },
      h('strong', { id: 'conv-name' }, name),
      ' ',
      idChip(d.external_userid, name),
      h(
        'div',
        { class: 'state-line' },
        h('span', { class: `state-badge s${s}`, id: 'conv-state', dataset: { state: s } }, stateWords(s, t), by ? ` · ${by}` : ''),
        ' ',
        h('span', { class: 'hint' }, t('conv.with', { account: accountName(d.open_kfid) })),
      ),
    ),
    h(
      'div',
      { class: 'conv-actions', id: 'conv-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          id: 'conv-search',
          onclick: () => ctx.open('archive', { open_kfid: d.open_kfid, external_userid: d.external_userid, name }),
        },
        t('conv.searchCustomer'),
      ),
      h('button', { type: 'button', class: 'btn small', id: 'conv-export', onclick: () => exportConversation(d, name) }, t('conv.export')),
      actionsFor(s, d.moves).map((a) =>
        h(
          'button',
          {
            type: 'button',
            class: `btn small${a.to === STATE.ended ? ' danger' : ''}${ui.move?.to === a.to ? ' on' : ''}`,
            dataset: { to: a.to },
            id: `conv-move-${a.to}`,
            onclick: () => openMove(a.to),
          },
          t(`conv.action.${a.key}`),
        ),
      ),
    ),
  );
}

/** The whole conversation from the archive as CSV. */
async function exportConversation(d, name) {
  const path = await savePath(t('conv.exportName', { name }), 'CSV', 'csv');
  if (!path) return;
  try {
    const out = await api.exportArchive({ open_kfid: d.open_kfid, external_userid: d.external_userid }, path);
    ui.notice = { kind: 'ok', text: t('archive.exported', { n: out.rows, path }) };
  } catch (err) {
    ui.notice = { kind: 'partial', text: err.message };
  }
  draw();
}

function openMove(to) {
  ui.move = { to, servicer: '', words: to === STATE.ended ? t('conv.words.end.default') : '', busy: false, error: null };
  ui.eventWords = null;
  ui.notice = null;
  draw();
  root.querySelector('#move-panel select, #move-panel textarea')?.focus();
}

function movePanel(d) {
  const m = ui.move;
  if (!m) return null;
  const name = customerName({ customer: d.customer }, t);
  const cancel = h(
    'button',
    {
      type: 'button',
      'data-close': true,
      class: 'btn',
      onclick: () => {
        ui.move = null;
        draw();
      },
    },
    t('common.cancel'),
  );
  const error = m.error && h('p', { class: 'error-message', role: 'alert', id: 'move-error', dataset: { errcode: m.error.errcode ?? '' } }, m.error.message);
  let body;
  if (m.to === STATE.servicer) {
    const people = receivingServicers(ui.servicers.get(d.open_kfid)?.rows ?? []).filter((p) => p.userid !== d.state.servicer_userid);
    if (!m.servicer && people.length) m.servicer = people[0].userid;
    body = people.length
      ? [
          h(
            'label',
            {},
            t('conv.move.to'),
            ' ',
            h(
              'select',
              {
                id: 'move-servicer',
                onchange: (e) => {
                  m.servicer = e.target.value;
                },
              },
              people.map((p) => h('option', { value: p.userid, selected: p.userid === m.servicer }, p.name === p.userid ? p.name : `${p.name} (${p.userid})`)),
            ),
          ),
          h('p', { class: 'hint' }, t('conv.move.onlyReceiving')),
          h(
            'div',
            { class: 'form-actions' },
            h(
              'button',
              { type: 'button', class: 'btn primary', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) },
              t(d.state.state === STATE.servicer ? 'conv.action.transfer' : 'conv.action.assign'),
            ),
            cancel,
          ),
        ]
      : [h('p', { class: 'hint', id: 'move-nobody' }, t('conv.move.nobody')), cancel];
  } else if (m.to === STATE.ended) {
    body = [
      h('p', {}, t('conv.move.endConfirm', { name, oa: ownerName(ctx) })),
      h(
        'label',
        { class: 'field' },
        h('span', { class: 'label' }, t('conv.words.end')),
        h(
          'textarea',
          {
            id: 'move-words',
            rows: 2,
            oninput: (e) => {
              m.words = e.target.value;
            },
          },
          m.words,
        ),
      ),
      h('p', { class: 'hint' }, t('conv.words.end.hint')),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn danger', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) }, t('conv.action.end')),
        cancel,
      ),
    ];
  } else {
    body = [
      h('p', {}, t(`conv.move.explain.${m.to}`, { name })),
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          { type: 'button', class: 'btn primary', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) },
          t(m.to === STATE.queue ? 'conv.action.queue' : 'conv.action.assistant'),
        ),
        cancel,
      ),
    ];
  }
  return h('div', { class: 'session-panel move', id: 'move-panel', dataset: { to: m.to } }, body, error);
}

async function doMove(d) {
  const m = ui.move;
  m.busy = true;
  m.error = null;
  draw();
  const name = customerName({ customer: d.customer }, t);
  try {
    const out = await api.moveConversation(d.open_kfid, d.external_userid, m.to, m.to === STATE.servicer ? m.servicer : null);
    const kind = eventWordsKind(m.to);
    ui.move = null;
    ui.notice = { kind: 'ok', text: t(`conv.moved.${m.to}`, { name, servicer: m.to === STATE.servicer ? servicerName(d.open_kfid, m.servicer) : '' }) };
    if (out.msg_code && m.to === STATE.ended && m.words.trim()) {
      // The ending code lasts 20 seconds: the words go at once.
      await sendWords(d, out.msg_code, m.words);
    } else if (out.msg_code && kind) {
      ui.eventWords = { code: out.msg_code, kind, text: t(`conv.words.${kind}.default`), busy: false, error: null };
    }
  } catch (err) {
    m.busy = false;
    m.error = err;
  }
  await loadDetail();
  draw();
  reload();
}

async function sendWords(d, code, text) {
  try {
    await api.sendEventMessage(d.open_kfid, d.external_userid, code, newMsgid(), text.trim());
    ui.notice = { kind: 'ok', text: `${ui.notice?.text ?? ''} ${t('conv.words.sent')}`.trim() };
    ui.eventWords = null;
  } catch (err) {
    ui.notice = { kind: 'partial', text: `${ui.notice?.text ?? ''} ${t('conv.words.failed', { message: err.message })}`.trim() };
  }
}

/** After a move into the queue or to a servicer: the one message WeCom allows for it. */
function eventWordsPanel(d) {
  const w = ui.eventWords;
  if (!w) return null;
  return h(
    'div',
    { class: 'session-panel words', id: 'words-panel' },
    h('p', {}, t(`conv.words.${w.kind}.offer`)),
    h(
      'textarea',
      {
        id: 'words-text',
        rows: 2,
        oninput: (e) => {
          w.text = e.target.value;
        },
      },
      w.text,
    ),
    w.error && h('p', { class: 'error-message', role: 'alert' }, w.error.message),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          id: 'words-send',
          disabled: w.busy || !w.text.trim(),
          onclick: async () => {
            w.busy = true;
            draw();
            await sendWords(d, w.code, w.text);
            w.busy = false;
            await loadDetail();
            draw();
          },
        },
        t('conv.words.send'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () => {
            ui.eventWords = null;
            draw();
          },
        },
        t('conv.words.skip'),
      ),
    ),
  );
}

function customerPanel(d) {
  const c = d.customer;
  const gender = { 1: 'male', 2: 'female' }[c?.gender] ?? 'unknown';
  const when = (s) => (s ? cstDateTime(s, lang()) : '—');
  const entry = entryParts(c?.context);
  // Open or closed as the user left it: a new message redraws the page.
  return h(
    'details',
    {
      class: 'customer-panel',
      id: 'customer-panel',
      open: ui.customerOpen || null,
      ontoggle: (e) => {
        ui.customerOpen = e.target.open;
      },
    },
    h('summary', {}, t('conv.customer.title')),
    h(
      'dl',
      {},
      h('dt', {}, t('conv.customer.gender')),
      h('dd', {}, t(`conv.gender.${gender}`)),
      c?.unionid && [h('dt', {}, 'UnionID'), h('dd', {}, idChip(c.unionid, 'UnionID'))],
      h('dt', {}, t('conv.customer.entry')),
      h('dd', { id: 'customer-entry' }, entry.length ? entry.map(([k, v]) => h('span', { class: 'tag' }, t(`conv.entry.${k}`, { v }))) : t('conv.entry.none')),
      h('dt', {}, t('conv.customer.first')),
      h('dd', {}, when(d.first_contact)),
      h('dt', {}, t('conv.customer.last')),
      h('dd', {}, when(d.last_contact)),
    ),
    c?.invalid && h('p', { class: 'hint' }, t('conv.customer.invalidHint')),
  );
}

function messagesBox(d) {
  const failed = failures(d.messages);
  return h(
    'div',
    { class: 'conv-messages', id: 'conv-messages' },
    d.messages.length === 0 && h('p', { class: 'empty' }, t('conv.noMessages')),
    d.messages
      .filter((m) => !(m.msgtype === 'event' && m.raw?.event?.event_type === 'msg_send_fail' && failed.has(m.raw.event.fail_msgid)))
      .map((m) => {
        const w = messageWords({ ...m.raw, origin: m.origin }, t);
        const time = cstDateTime(m.send_time, lang());
        if (w.kind === 'event') return h('p', { class: 'event-line', dataset: { msgid: m.msgid } }, w.text, ' · ', time);
        const fail = failed.get(m.msgid);
        const sender = w.who === 'servicer' ? servicerName(d.open_kfid, m.servicer_userid) : w.who === 'kf' ? accountName(d.open_kfid) : null;
        return h(
          'div',
          { class: `bubble ${w.who}${fail ? ' failed' : ''}`, dataset: { msgid: m.msgid, who: w.who } },
          sender && h('span', { class: 'sender' }, sender),
          h('span', { class: 'text' }, w.text),
          mediaControls(m),
          h('span', { class: 'time' }, time),
          fail && h('span', { class: 'fail', role: 'note' }, eventWords(fail, t)),
        );
      }),
  );
}

/** Pictures are shown and files saved only when asked: WeCom is not asked for every file. */
function mediaControls(m) {
  const id = m.raw?.[m.msgtype]?.media_id;
  if (!id || !['image', 'voice', 'video', 'file'].includes(m.msgtype)) return null;
  const shown = ui.media.get(id);
  if (m.msgtype === 'image' && shown?.url) return h('img', { class: 'media-preview', src: shown.url, alt: t('wmsg.image') });
  return [
    m.msgtype === 'image' &&
      h('button', { type: 'button', class: 'btn tiny media-show', disabled: shown?.busy, onclick: () => showPicture(id) }, t('conv.media.show')),
    h('button', { type: 'button', class: 'btn tiny media-save', onclick: () => saveMediaFile(m, id) }, t('conv.media.save')),
    shown?.error && h('span', { class: 'error-message media-error', role: 'alert' }, shown.error.message),
  ];
}

async function showPicture(id) {
  ui.media.set(id, { busy: true });
  draw();
  try {
    ui.media.set(id, { url: await api.mediaPreview(id) });
  } catch (err) {
    ui.media.set(id, { error: err });
  }
  draw();
}

async function saveMediaFile(m, id) {
  const ext = { image: 'jpg', voice: 'amr', video: 'mp4', file: 'bin' }[m.msgtype];
  const name = m.raw?.file?.file_name || `${m.msgtype}-${m.msgid}.${ext}`;
  const path = await savePath(name, t(`wmsg.${m.msgtype}`), ext);
  if (!path) return;
  try {
    await api.saveMedia(id, path);
    ui.notice = { kind: 'ok', text: t('conv.media.saved', { path }) };
    ui.media.delete(id);
  } catch (err) {
    ui.media.set(id, { error: err });
  }
  draw();
}

function draft(d) {
  const key = convKey(d.open_kfid, d.external_userid);
  if (!ui.drafts.has(key))
    ui.drafts.set(key, {
      kind: 'text',
      text: '',
      head: '',
      items: '',
      tail: '',
      title: '',
      url: '',
      desc: '',
      picture: null,
      msgid: newMsgid(),
      error: null,
      busy: false,
    });
  return ui.drafts.get(key);
}

const KINDS = ['text', 'menu', 'image', 'link'];

function composer(d) {
  if (d.refusal) {
    return h('div', { class: 'composer refused', id: 'composer-refusal', role: 'note', dataset: { code: d.refusal.code } }, d.refusal.message);
  }
  const dr = draft(d);
  const r = d.replies;
  const input = (key, id, rows, placeholder) =>
    h(
      'textarea',
      {
        id,
        rows,
        placeholder,
        oninput: (e) => {
          dr[key] = e.target.value;
          if (key === 'text') countBytes(dr);
        },
      },
      dr[key],
    );
  let body;
  if (dr.kind === 'menu') {
    body = [
      input('head', 'composer-head', 1, t('conv.compose.menuHead')),
      input('items', 'composer-items', 3, t('conv.compose.menuItems')),
      input('tail', 'composer-tail', 1, t('conv.compose.menuTail')),
    ];
  } else if (dr.kind === 'image' || dr.kind === 'link') {
    const pick = h(
      'div',
      { class: 'picture-pick', id: 'composer-picture' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'composer-choose',
          onclick: async () => {
            const path = await chooseFile();
            if (path) {
              dr.picture = path;
              draw();
            }
          },
        },
        t('conv.compose.choosePicture'),
      ),
      h('span', { class: 'hint', id: 'composer-picture-name' }, dr.picture ? dr.picture.split(/[\\/]/).pop() : t('conv.compose.dropPicture')),
    );
    const line = (key, id, placeholder) =>
      h('input', {
        id,
        value: dr[key],
        placeholder,
        oninput: (e) => {
          dr[key] = e.target.value;
        },
      });
    body =
      dr.kind === 'link'
        ? [
            line('title', 'composer-title', t('conv.compose.linkTitle')),
            line('url', 'composer-url', 'https://'),
            line('desc', 'composer-desc', t('conv.compose.linkDesc')),
            pick,
          ]
        : pick;
  } else {
    body = input('text', 'composer-text', 3, t('conv.compose.placeholder', { account: accountName(d.open_kfid) }));
  }
  return h(
    'form',
    {
      class: 'composer',
      id: 'composer',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        send(d);
      },
    },
    h(
      'div',
      { class: 'segmented', id: 'composer-kind', role: 'group' },
      KINDS.map((k) =>
        h(
          'button',
          {
            type: 'button',
            class: dr.kind === k ? 'on' : '',
            dataset: { kind: k },
            'aria-pressed': String(dr.kind === k),
            onclick: () => {
              dr.kind = k;
              dr.error = null;
              draw();
            },
          },
          t(`conv.compose.kind.${k}`),
        ),
      ),
    ),
    body,
    h(
      'div',
      { class: 'compose-foot' },
      h(
        'span',
        { class: 'replies', id: 'composer-replies' },
        r.until ? t('conv.compose.replies', { n: r.left, until: cstDateTime(r.until, lang()) }) : t('conv.compose.repliesUnknown'),
      ),
      dr.kind === 'text' &&
        h('span', { class: `bytes${byteLength(dr.text) > textBytes() ? ' over' : ''}`, id: 'composer-bytes' }, charsLeftLabel(dr.text, t, textBytes())),
      h('button', { type: 'submit', class: 'btn primary', id: 'composer-send', disabled: dr.busy }, t(dr.busy ? 'conv.compose.sending' : 'conv.compose.send')),
    ),
    dr.error &&
      h(
        'p',
        { class: 'error-message', role: 'alert', id: 'composer-error', dataset: { code: dr.error.code, errcode: dr.error.errcode ?? '' } },
        dr.error.message,
      ),
  );
}

function countBytes(dr) {
  const counter = root.querySelector('#composer-bytes');
  if (!counter) return;
  counter.textContent = charsLeftLabel(dr.text, t, textBytes());
  counter.classList.toggle('over', byteLength(dr.text) > textBytes());
}

/** A picture dropped on the window goes into the open conversation's composer. */
export function handleDrop(paths) {
  const d = ui.detail;
  if (!d || d.refusal || !paths?.length) return;
  const dr = draft(d);
  // A link card takes the picture as its thumbnail; otherwise the picture is the message.
  if (dr.kind !== 'link') dr.kind = 'image';
  dr.picture = paths[0];
  dr.error = null;
  draw();
}

/**
 * The message the draft holds, or the words saying what is missing.
 * @returns {{message?: import('../../api.js').Outgoing, error?: string}}
 */
function outgoing(dr) {
  if (dr.kind === 'menu') {
    const items = dr.items
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    if (!items.length) return { error: t('conv.compose.menuEmpty') };
    return { message: { kind: 'menu', head: dr.head, items, tail: dr.tail } };
  }
  if (dr.kind === 'image') return dr.picture ? { message: { kind: 'image', path: dr.picture } } : { error: t('conv.compose.noPicture') };
  if (dr.kind === 'link') {
    if (!dr.title.trim() || !/^https?:\/\/\S+$/.test(dr.url.trim())) return { error: t('conv.compose.linkIncomplete') };
    if (!dr.picture) return { error: t('conv.compose.noPicture') };
    return { message: { kind: 'link', title: dr.title, url: dr.url, desc: dr.desc, picture: dr.picture } };
  }
  if (!dr.text.trim()) return { error: t('conv.compose.empty') };
  if (byteLength(dr.text) > textBytes())
    return { error: t('conv.compose.tooLong', { n: byteLength(dr.text), max: textBytes(), chars: ctx.info.limits.text_chinese_chars }) };
  return { message: { kind: 'text', text: dr.text } };
}

async function send(d) {
  const dr = draft(d);
  const { message, error } = outgoing(dr);
  if (error) dr.error = { code: 'invalid_input', message: error };
  else {
    dr.error = null;
    dr.busy = true;
    draw();
    try {
      // The same msgid on every try of this message: a retry after a lost answer is not sent twice.
      const out = await api.sendKfMessage(d.open_kfid, d.external_userid, dr.msgid, message);
      ui.drafts.delete(convKey(d.open_kfid, d.external_userid));
      ui.notice = { kind: 'ok', text: t(out.already ? 'conv.compose.already' : 'conv.compose.sent') };
      await loadDetail();
    } catch (err) {
      dr.error = err;
    }
    dr.busy = false;
  }
  draw();
  root.querySelector('#composer-error')?.scrollIntoView({ block: 'nearest' });
}
