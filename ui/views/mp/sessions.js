// Sessions page: the waiting queue (true total, live waited time, estimated wait), the online
// agents' sessions, assign / transfer / close, messages to a customer as an agent, a customer
// lookup. Refreshed every N seconds with what changed highlighted; a desktop notification when
// the queue grows while the window is in the background.
import * as api from '../../api.js';
import { focusWithin, h, remount } from '../../lib/dom.js';
import { formatDuration, onlineLabel, charsLeftLabel, clockTime } from '../../lib/format.js';
import {
  capacity,
  estimateWait,
  diffSnapshots,
  highlightedSessions,
  sessionKey,
  shouldNotify,
  assignTargets,
  REFRESH_CHOICES,
  REFRESH_KEY,
  savedRefresh,
  quotaPause,
} from '../../lib/mp/sessions.js';
import { t, lang } from '../../i18n.js';
import { errorBox, ownerName, idChip, tableSort, sortTh, onScreen } from '../common.js';
import { sortRows } from '../../lib/sort.js';
import { customerName, snippet, noteError } from '../../lib/mp/customers.js';

/** WeChat shows "typing…" for 15 s and refuses a repeat meanwhile (45081). */
const TYPING_MS = 15_000;
/** WeChat's text limit, from Rust (`wechat::limits`). */
const textBytes = () => ctx.info.limits.text_bytes;

// Kept across visits to the page, per profile.
const ui = {
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
let root = null;
let ctx = null;
let timer = null;
let ticker = null;
let typingAt = 0;

const here = () => root?.querySelector('#sessions-page');
const nowSecs = () => Math.floor(Date.now() / 1000);
const bytes = (s) => new TextEncoder().encode(s.trim()).length;
const nick = (account) => ui.data?.agents.find((a) => a.kf_account === account)?.nickname || account;
/** A customer in a sentence: their note, what they wrote, or a short openid. */
const who = (openid) => customerName(openid, ui.notes, ui.data?.last_words, t);
/** Customers sort by note, then by what they wrote; the unknown last. */
const customerKey = (openid) => {
  const note = ui.notes[openid];
  const said = ui.data?.last_words?.[openid]?.text;
  return note ? [0, note] : said ? [1, said] : '';
};

// Each table's sort survives a restart; the queue starts in WeChat's order.
const queueSort = tableSort('queue', ['position', 'customer', 'waited', 'requested'], { key: 'position', desc: false });
const sessionSort = tableSort('sessions', ['customer', 'age'], { key: 'age', desc: true });
const QUEUE_COLUMNS = {
  position: (w) => w.position,
  customer: (w) => customerKey(w.openid),
  waited: (w) => -w.latest_time,
  requested: (w) => (w.kf_account ? nick(w.kf_account) : ''),
};
const SESSION_COLUMNS = { customer: (s) => customerKey(s.openid), age: (s) => -s.createtime };

export function render(el, appCtx) {
  root = el;
  ctx = appCtx;
  const p = ctx?.info?.profile;
  const key = p ? `${p.kind}:${p.name}:${p.base_url}` : '';
  if (key !== ui.profile)
    Object.assign(ui, { profile: key, data: null, diff: null, error: null, actionError: null, notice: null, panel: null, notes: {}, noteEdit: null });
  api
    .customerNotes()
    .then((notes) => {
      ui.notes = notes;
      draw();
    })
    .catch(() => {});
  draw();
  refresh();
  clearInterval(ticker);
  ticker = setInterval(tick, 1000);
}

/** Fetches a new overview, works out what changed, notifies, redraws, schedules the next one. */
async function refresh() {
  clearTimeout(timer);
  if (ui.loading) return;
  ui.loading = true;
  ui.held = false;
  const head = root?.querySelector('#sessions-refresh');
  if (head) head.disabled = true;
  try {
    const next = await api.sessionOverview();
    const prev = ui.data;
    ui.diff = prev ? diffSnapshots(prev, next) : null;
    ui.data = next;
    ui.error = null;
    const waiting = new Set(next.waiting.map((w) => w.openid));
    for (const openid of ui.choices.keys()) if (!waiting.has(openid)) ui.choices.delete(openid);
    if (shouldNotify(prev ? prev.waiting_count : null, next.waiting_count, inBackground())) notify(next.waiting_count, next.waiting_count - prev.waiting_count);
    ui.quota = null;
    ctx?.refreshed?.();
  } catch (err) {
    ui.error = err;
    // Out of quota: refreshing would only spend more of it.
    ui.quota = quotaPause(err, Date.now()) ?? ui.quota;
  }
  ui.loading = false;
  if (here()) draw();
  schedule();
}

function schedule() {
  clearTimeout(timer);
  // When the next automatic refresh is due (ms), for whoever watches the page (the E2E tests).
  if (root) delete root.dataset.nextRefresh;
  if (!here() || ui.paused || ui.interval <= 0) return;
  // After a quota error, the next automatic refresh waits until the quota is back.
  const wait = Math.min(ui.quota ? Math.max(ui.interval * 1000, ui.quota.until - Date.now()) : ui.interval * 1000, 2 ** 31 - 1);
  root.dataset.nextRefresh = String(Date.now() + wait);
  timer = setTimeout(autoRefresh, wait);
}

function autoRefresh() {
  if (!here()) return;
  // A redraw could take away the session a message is being written for, or the menu being
  // chosen from: wait for the panel to close and the menu to be left.
  const menuOpen = document.activeElement?.tagName === 'SELECT' && root.contains(document.activeElement) && document.activeElement.id !== 'sessions-interval';
  if (ui.panel || ui.noteEdit || menuOpen) {
    if (!ui.held) {
      ui.held = true;
      const hint = root.querySelector('#sessions-held');
      if (hint) hint.hidden = false;
    }
    timer = setTimeout(autoRefresh, 2000);
    return;
  }
  refresh();
}

/** Live "waiting for" and "in session for" times. */
function tick() {
  if (!here()) {
    clearInterval(ticker);
    return;
  }
  // Old data does not keep counting as if it were live.
  if (stale()) return;
  const now = nowSecs();
  for (const el of root.querySelectorAll('[data-since]')) el.textContent = formatDuration(now - Number(el.dataset.since), t);
}

function inBackground() {
  const forced = window.__kefudesk?.background;
  if (typeof forced === 'boolean') return forced;
  return document.hidden || !document.hasFocus();
}

async function notify(n, added) {
  const title = t('sessions.notify.title');
  const body = t('sessions.notify.body', { n, added });
  // Kept for the end-to-end tests, which cannot see the desktop's notifications.
  if (window.__kefudesk) (window.__kefudesk.notifications ??= []).push({ title, body });
  await api.notifyDesktop(title, body);
}

/** The overview on screen is from an earlier refresh that failed since: shown greyed, its actions off. */
const stale = () => Boolean(ui.data && ui.error);

function draw() {
  if (!root || !onScreen(ctx, 'sessions')) return;
  // Redraws replace the DOM: keep the focus and caret (and, through remount, every scroll position) where the user left them.
  const focus = focusWithin(root);
  const d = ui.data;
  remount(
    root,
    h(
      'section',
      { class: 'page', id: 'sessions-page' },
      header(),
      ui.error && errorBox(ui.error, refresh),
      ui.actionError && errorBox(ui.actionError),
      ui.notice && h('div', { class: `action-notice ${ui.notice.kind}`, id: 'sessions-notice', role: 'status' }, ui.notice.text),
      stale() &&
        h(
          'p',
          { class: 'notice stale-data', id: 'sessions-stale', role: 'status' },
          t('sessions.stale', { time: clockTime(new Date(d.fetched_at * 1000), lang()) }),
        ),
      !stale() && changesLine(),
      lookupCard(),
      !d && !ui.error && h('p', { class: 'loading' }, t('common.loading')),
      d &&
        h(
          'div',
          { class: stale() ? 'overview stale' : 'overview', id: 'sessions-overview', inert: stale() || null, 'aria-disabled': String(stale()) },
          queueCard(d),
          agentsCard(d),
        ),
    ),
  );
  focus.restore();
}

function header() {
  return h(
    'header',
    { class: 'page-head' },
    h('div', {}, h('h1', {}, t('sessions.title')), h('p', { class: 'subtitle' }, t('sessions.subtitle'))),
    h(
      'div',
      { class: 'head-actions live-controls' },
      h(
        'label',
        { class: 'refresh-every' },
        t('sessions.autoRefresh'),
        ' ',
        h(
          'select',
          {
            id: 'sessions-interval',
            onchange: (e) => {
              ui.interval = Number(e.target.value);
              window.localStorage.setItem(REFRESH_KEY, String(ui.interval));
              ui.paused = false;
              draw();
              schedule();
            },
          },
          REFRESH_CHOICES.map((s) => h('option', { value: s, selected: s === ui.interval }, s ? t('sessions.every', { s }) : t('sessions.off'))),
        ),
      ),
      ui.interval > 0 &&
        h(
          'button',
          {
            type: 'button',
            class: `btn${ui.paused ? ' on' : ''}`,
            id: 'sessions-pause',
            'aria-pressed': String(ui.paused),
            onclick: () => {
              ui.paused = !ui.paused;
              draw();
              schedule();
            },
          },
          t(ui.paused ? 'sessions.resume' : 'sessions.pause'),
        ),
      h('button', { type: 'button', class: 'btn', id: 'sessions-refresh', disabled: ui.loading, onclick: () => refresh() }, t('common.refresh')),
    ),
    h('p', { class: 'held hint', id: 'sessions-held', hidden: !ui.held }, t('sessions.heldWhileEditing')),
    ui.quota && h('p', { class: 'notice', id: 'sessions-quota', role: 'status' }, t(ui.quota.key, { time: new Date(ui.quota.until).toLocaleTimeString() })),
  );
}

/** "Since the last refresh: 2 new waiting · 1 assigned · …" — the kf_create/close/switch events. */
function changesLine() {
  const d = ui.diff;
  if (!d) return null;
  const parts = [
    ['newWaiting', d.arrived, d.newWaiting.join('\n')],
    ['opened', d.opened.length, d.opened.map((o) => `${o.openid} → ${nick(o.agent)}`).join('\n')],
    ['closed', d.closed.length, d.closed.map((o) => `${o.openid} ✕ ${nick(o.agent)}`).join('\n')],
    ['transferred', d.transferred.length, d.transferred.map((o) => `${o.openid}: ${nick(o.from)} → ${nick(o.to)}`).join('\n')],
  ].filter(([, n]) => n > 0);
  return h(
    'p',
    { class: `changes${parts.length ? ' some' : ''}`, id: 'sessions-changes', role: 'status' },
    t('sessions.changes'),
    ' ',
    parts.length
      ? parts.map(([k, n, detail], i) => [
          i > 0 && ' · ',
          h('span', { class: `chg ${k}`, dataset: { kind: k }, title: detail }, t(`sessions.change.${k}`, { n })),
        ])
      : t('sessions.change.none'),
  );
}

function queueCard(d) {
  const cap = capacity(d.agents);
  const avg = d.avg_session_secs;
  const basis =
    cap.total <= 0
      ? t('sessions.estimate.noAgents')
      : !(avg > 0)
        ? t('sessions.estimate.noAverage')
        : t('sessions.estimate.basis', {
            free: cap.free,
            total: cap.total,
            avg: formatDuration(avg, t),
            n: d.avg_basis_sessions,
            every: formatDuration(avg / cap.total, t),
          });
  const total =
    d.waiting_count > d.waiting.length
      ? t('sessions.queue.partial', { shown: d.waiting.length, n: d.waiting_count })
      : t('sessions.queue.count', { n: d.waiting_count });
  const targets = assignTargets(d.agents);
  const requested = d.waiting.some((w) => w.kf_account);
  const fresh = new Set(ui.diff?.newWaiting ?? []);
  const now = nowSecs();
  return h(
    'div',
    { class: 'card wide', id: 'queue' },
    h(
      'div',
      { class: 'card-head' },
      h('h2', {}, t('sessions.queue')),
      h('span', { class: `badge${d.waiting_count ? ' warn' : ''}`, id: 'queue-total' }, total),
    ),
    // Free places while customers wait is a thing to act on, not a detail.
    cap.free > 0 &&
      d.waiting_count > 0 &&
      h(
        'div',
        { class: 'banner warn', id: 'queue-banner', role: 'status' },
        h('p', {}, t('sessions.banner.freeAndWaiting', { free: cap.free, n: d.waiting_count })),
        batchForm(Math.min(cap.free, d.waiting_count, 100)),
      ),
    batchResults(),
    h(
      'p',
      { class: 'hint capacity', id: 'queue-capacity', title: basis },
      t('sessions.capacity', { free: cap.free, total: cap.total, agents: d.agents.length }),
      ' · ',
      avg > 0 ? t('sessions.avg', { avg: formatDuration(avg, t) }) : t('sessions.avg.none'),
    ),
    d.waiting.length === 0
      ? h('p', { class: 'empty', id: 'queue-empty' }, t('sessions.queue.empty'))
      : h(
          'div',
          { class: 'table-wrap queue-scroll', dataset: { scroll: 'queue' } },
          h(
            'table',
            { class: 'grid', id: 'queue-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['position', 'customer', 'waited', 'estimate', requested && 'requested', 'assign']
                  .filter(Boolean)
                  .map((c) => (QUEUE_COLUMNS[c] ? sortTh(queueSort, c, t(`sessions.col.${c}`), draw) : h('th', { class: `c-${c}` }, t(`sessions.col.${c}`)))),
              ),
            ),
            // The estimate and the menu's id follow the place in WeChat's queue, whatever the order shown.
            h(
              'tbody',
              {},
              sortRows(
                d.waiting.map((w, i) => ({ ...w, position: i })),
                queueSort.get(),
                QUEUE_COLUMNS,
              ).map((w) => {
                const i = w.position;
                const est = estimateWait(i, cap, avg);
                return h(
                  'tr',
                  { dataset: { openid: w.openid }, class: fresh.has(w.openid) ? 'changed' : null },
                  h('td', { class: 'pos' }, i + 1),
                  h('td', { class: 'customer' }, customerCell(w.openid)),
                  h('td', { class: 'waited', dataset: { since: w.latest_time } }, formatDuration(now - w.latest_time, t)),
                  h(
                    'td',
                    { class: 'estimate', title: basis },
                    est === null
                      ? t('sessions.estimate.unknown')
                      : est === 0
                        ? t('sessions.estimate.now')
                        : t('sessions.estimate.value', { d: formatDuration(est, t) }),
                  ),
                  requested && h('td', { class: 'requested' }, w.kf_account ? nick(w.kf_account) : '—'),
                  h(
                    'td',
                    { class: 'assign' },
                    targets.length
                      ? h(
                          'div',
                          { class: 'inline-form' },
                          h(
                            'select',
                            {
                              'aria-label': t('sessions.col.assign'),
                              id: `assign-${i}`,
                              onchange: (e) => ui.choices.set(w.openid, e.target.value),
                            },
                            targets.map((g) => targetOption(g, g.kf_account === ui.choices.get(w.openid))),
                          ),
                          h(
                            'button',
                            {
                              type: 'button',
                              class: 'btn small assign-btn',
                              onclick: (e) => {
                                const to = e.target.closest('td').querySelector('select').value;
                                ui.choices.delete(w.openid);
                                act(
                                  () => api.assignSession(to, w.openid),
                                  () => t('sessions.assigned', { openid: who(w.openid), agent: nick(to) }),
                                );
                              },
                            },
                            t('sessions.assign'),
                          ),
                        )
                      : '—',
                  ),
                );
              }),
            ),
          ),
        ),
    h('p', { class: 'hint' }, t('sessions.assignHint')),
  );
}

/** "Assign the first N waiting to the agents with the most free places". */
function batchForm(most) {
  const b = ui.batch;
  return h(
    'form',
    {
      class: 'batch inline-form',
      id: 'batch-assign',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        batchAssign(most);
      },
    },
    h('label', { for: 'batch-count' }, t('sessions.batch.label')),
    h('input', {
      type: 'number',
      id: 'batch-count',
      min: 1,
      max: most,
      value: b.count ?? most,
      oninput: (e) => {
        b.count = e.target.value === '' ? '' : Number(e.target.value);
      },
    }),
    h('span', {}, t('sessions.batch.unit')),
    h('button', { type: 'submit', class: 'btn primary small', id: 'batch-go', disabled: b.busy }, t('sessions.batch.go')),
  );
}

async function batchAssign(most) {
  const b = ui.batch;
  const n = Number(b.count ?? most);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    b.results = null;
    ui.actionError = { code: 'invalid_input', message: t('sessions.batch.err', { most }) };
    return draw();
  }
  b.busy = true;
  ui.actionError = null;
  ui.notice = null;
  draw();
  try {
    b.results = await api.assignWaiting(n);
  } catch (err) {
    ui.actionError = err;
  }
  b.busy = false;
  b.count = null;
  refresh();
}

/** Each customer of the last batch: to whom, or why not. */
function batchResults() {
  const r = ui.batch.results;
  if (!r) return null;
  const failed = r.filter((i) => i.error).length;
  return h(
    'div',
    { class: `action-notice ${failed ? 'partial' : 'ok'}`, id: 'batch-results', role: 'status' },
    h('span', {}, t('sessions.batch.done', { ok: r.length - failed, failed })),
    h(
      'ul',
      { class: 'batch-list' },
      r.map((i) =>
        h(
          'li',
          { class: i.error ? 'failed' : 'done', dataset: { openid: i.openid, agent: i.kf_account } },
          i.error
            ? t('sessions.batch.itemFailed', { customer: who(i.openid), agent: nick(i.kf_account), error: i.error.message })
            : t('sessions.batch.item', { customer: who(i.openid), agent: nick(i.kf_account) }),
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        'data-close': true,
        class: 'btn small',
        onclick: () => {
          ui.batch.results = null;
          draw();
        },
      },
      t('common.close'),
    ),
  );
}

/** An agent offered for assigning or transferring, with their free places (or "full"). */
function targetOption(g, selected) {
  return h(
    'option',
    { value: g.kf_account, selected, dataset: { full: String(g.full) } },
    t(g.full ? 'sessions.full' : 'sessions.free', { nick: g.nickname || g.kf_account, n: g.free }),
  );
}

function agentsCard(d) {
  const marked = ui.diff ? highlightedSessions(ui.diff) : new Set();
  const now = nowSecs();
  return h(
    'div',
    { class: 'card wide', id: 'agent-sessions' },
    h('h2', {}, t('sessions.agents')),
    d.agents.length === 0 && h('p', { class: 'empty' }, t('sessions.agents.none')),
    d.agents.map((a) =>
      h(
        'div',
        { class: 'agent-block', dataset: { account: a.kf_account } },
        h(
          'div',
          { class: 'agent-head' },
          h('strong', { class: 'nick' }, a.nickname || a.kf_account),
          h('span', { class: 'account' }, a.kf_account),
          h('span', { class: 'load' }, t('sessions.agent.load', { status: onlineLabel(a.status, t), accepted: a.accepted_case, limit: a.auto_accept })),
          h(
            'button',
            { type: 'button', class: 'link message-agent', onclick: () => openPanel('agent', 'message', a.kf_account, '') },
            t('sessions.messageAgent'),
          ),
        ),
        panelIn('agent', a.kf_account, null),
        a.sessions.length === 0
          ? h('p', { class: 'hint' }, t('sessions.agent.noSessions'))
          : h(
              'table',
              { class: 'grid sessions' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  sortTh(sessionSort, 'customer', t('sessions.col.customer'), draw),
                  sortTh(sessionSort, 'age', t('sessions.col.age'), draw),
                  h('th', {}),
                ),
              ),
              h(
                'tbody',
                {},
                sortRows(a.sessions, sessionSort.get(), SESSION_COLUMNS).map((s) => [
                  h(
                    'tr',
                    { dataset: { openid: s.openid }, class: marked.has(sessionKey(a.kf_account, s.openid)) ? 'changed' : null },
                    h('td', { class: 'customer' }, customerCell(s.openid)),
                    h('td', { class: 'age', dataset: { since: s.createtime } }, formatDuration(now - s.createtime, t)),
                    h('td', { class: 'row-actions' }, sessionButtons(a.kf_account, s.openid, 'session')),
                  ),
                  ui.panel?.place === 'session' &&
                    ui.panel.agent === a.kf_account &&
                    ui.panel.openid === s.openid &&
                    h('tr', { class: 'action-row' }, h('td', { colspan: 3 }, panel())),
                ]),
              ),
            ),
      ),
    ),
  );
}

function sessionButtons(agent, openid, place) {
  return [
    h('button', { type: 'button', class: 'link message', onclick: () => openPanel(place, 'message', agent, openid) }, t('sessions.message')),
    h('button', { type: 'button', class: 'link transfer', onclick: () => openPanel(place, 'transfer', agent, openid) }, t('sessions.transfer')),
    h('button', { type: 'button', class: 'link danger close', onclick: () => openPanel(place, 'close', agent, openid) }, t('sessions.close')),
  ];
}

function panelIn(place, agent, openid) {
  const p = ui.panel;
  return p && p.place === place && p.agent === agent && (openid === null || p.openid === openid) ? panel() : null;
}

function openPanel(place, kind, agent, openid) {
  const targets = assignTargets(ui.data?.agents ?? [], agent);
  ui.panel = {
    place,
    kind,
    agent,
    openid,
    free: place === 'agent',
    text: '',
    to: targets.find((g) => !g.full)?.kf_account ?? targets[0]?.kf_account ?? '',
    error: null,
    busy: false,
    noteSent: false,
  };
  ui.notice = null;
  ui.actionError = null;
  draw();
  const panelEl = root.querySelector('#session-panel');
  panelEl?.querySelector('input, textarea, select')?.focus({ preventScroll: true });
  panelEl?.scrollIntoView({ block: 'nearest' });
}

function closePanel() {
  const p = ui.panel;
  if (p?.kind === 'message' && typingAt && p.openid) api.setTyping(p.openid, false).catch(() => {});
  typingAt = 0;
  ui.panel = null;
  draw();
  if (ui.held) refresh();
}

/** The open panel: write a message, choose the agent to transfer to, or confirm closing. */
function panel() {
  const p = ui.panel;
  const cancel = h('button', { type: 'button', 'data-close': true, class: 'btn', id: 'panel-cancel', onclick: closePanel }, t('common.cancel'));
  const error =
    p.error &&
    h('p', { class: 'error-message', role: 'alert', id: 'panel-error', dataset: { code: p.error.code, errcode: p.error.errcode ?? '' } }, p.error.message);
  let body;
  if (p.kind === 'message') {
    body = [
      p.free &&
        h(
          'label',
          { class: 'field' },
          h('span', { class: 'label' }, t('sessions.compose.to')),
          h('input', {
            id: 'compose-openid',
            value: p.openid,
            autocomplete: 'off',
            spellcheck: 'false',
            oninput: (e) => {
              p.openid = e.target.value;
            },
          }),
        ),
      h('p', { class: 'hint' }, t('sessions.compose.as', { agent: `${nick(p.agent)} (${p.agent})` })),
      h('textarea', { id: 'compose-text', rows: 3, placeholder: t('sessions.compose.placeholder'), oninput: onCompose }, p.text),
      h(
        'div',
        { class: 'compose-foot' },
        h('span', { class: `bytes${bytes(p.text) > textBytes() ? ' over' : ''}`, id: 'compose-bytes' }, charsLeftLabel(p.text.trim(), t, textBytes())),
        h('span', { class: 'hint' }, t('sessions.compose.rules')),
      ),
      error,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn primary', id: 'compose-send', disabled: p.busy, onclick: send }, t('sessions.send')),
        cancel,
      ),
    ];
  } else if (p.kind === 'transfer') {
    const targets = assignTargets(ui.data?.agents ?? [], p.agent);
    body = [
      h('p', { class: 'explain', id: 'transfer-explain' }, t('sessions.transfer.explain', { from: nick(p.agent) })),
      targets.length
        ? h(
            'div',
            { class: 'inline-form' },
            h(
              'label',
              {},
              t('sessions.transfer.to'),
              ' ',
              h(
                'select',
                {
                  id: 'transfer-to',
                  onchange: (e) => {
                    p.to = e.target.value;
                  },
                },
                targets.map((g) => targetOption(g, g.kf_account === p.to)),
              ),
            ),
            h('button', { type: 'button', class: 'btn primary', id: 'transfer-go', disabled: p.busy, onclick: transfer }, t('sessions.transfer')),
            cancel,
          )
        : [h('p', { class: 'hint' }, t('sessions.transfer.noTarget')), cancel],
      error,
    ];
  } else {
    body = [
      h('p', {}, t('sessions.close.confirm', { openid: who(p.openid), agent: nick(p.agent), oa: ownerName(ctx) })),
      h(
        'label',
        { class: 'field' },
        h('span', { class: 'label' }, t('sessions.close.note')),
        h(
          'textarea',
          {
            id: 'close-note',
            rows: 2,
            oninput: (e) => {
              p.text = e.target.value;
            },
          },
          p.text,
        ),
      ),
      error,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn danger', id: 'close-go', disabled: p.busy, onclick: () => closeSession(!p.noteSent) }, t('sessions.close')),
        p.error?.noteFailed &&
          h(
            'button',
            { type: 'button', class: 'btn', id: 'close-without-note', disabled: p.busy, onclick: () => closeSession(false) },
            t('sessions.close.withoutNote'),
          ),
        cancel,
      ),
    ];
  }
  return h('div', { class: `session-panel ${p.kind}`, id: 'session-panel', dataset: { kind: p.kind, agent: p.agent, openid: p.openid } }, body);
}

function onCompose(e) {
  const p = ui.panel;
  p.text = e.target.value;
  const n = bytes(p.text);
  const counter = root.querySelector('#compose-bytes');
  if (counter) {
    counter.textContent = charsLeftLabel(p.text.trim(), t, textBytes());
    counter.classList.toggle('over', n > textBytes());
  }
  // "Typing…" on the customer's phone, at most once per 15 s; refused outside a recent exchange.
  const openid = p.openid.trim();
  if (openid && p.text && Date.now() - typingAt > TYPING_MS) {
    typingAt = Date.now();
    api.setTyping(openid, true).catch(() => {});
  }
}

async function send() {
  const p = ui.panel;
  if (!p.text.trim()) p.error = { code: 'invalid_input', message: t('sessions.compose.empty') };
  else if (bytes(p.text) > textBytes())
    p.error = { code: 'invalid_input', message: t('sessions.compose.tooLong', { max: textBytes(), chars: ctx.info.limits.text_chinese_chars }) };
  else {
    p.error = null;
    p.busy = true;
    draw();
    try {
      await api.sendText(p.agent, p.openid.trim(), p.text);
      typingAt = 0;
      ui.panel = null;
      ui.notice = { kind: 'ok', text: t('sessions.sent', { openid: who(p.openid.trim()), agent: nick(p.agent) }) };
    } catch (err) {
      p.error = err;
    }
    p.busy = false;
  }
  drawPanelError();
}

/** Redraws with the panel's message in view. */
function drawPanelError() {
  draw();
  root.querySelector('#panel-error')?.scrollIntoView({ block: 'nearest' });
}

async function transfer() {
  const p = ui.panel;
  p.busy = true;
  p.error = null;
  draw();
  try {
    const out = await api.transferSession(p.agent, p.to, p.openid);
    const names = { openid: who(p.openid), from: nick(p.agent), to: nick(p.to) };
    ui.notice = out.create_error
      ? { kind: 'partial', text: t('sessions.transfer.half', { ...names, error: out.create_error.message }) }
      : { kind: 'ok', text: t('sessions.transferred', names) };
    panelDone();
  } catch (err) {
    p.busy = false;
    p.error = err;
    drawPanelError();
  }
}

/** After a transfer or close: the panel goes, a lookup answer is out of date, things moved. */
function panelDone() {
  if (ui.panel?.place === 'lookup') ui.lookup.result = null;
  ui.panel = null;
  refresh();
}

/** Closes, with the goodbye message first (Rust sends it; when it fails the session stays open). */
async function closeSession(withNote) {
  const p = ui.panel;
  p.busy = true;
  p.error = null;
  draw();
  try {
    const out = await api.closeSession(p.agent, p.openid, withNote ? p.text : null);
    if (out.goodbye_sent) p.noteSent = true;
    if (out.close_error) throw { ...out.close_error, message: t('sessions.close.sentNotClosed', { error: out.close_error.message }) };
    ui.notice = { kind: 'ok', text: t('sessions.closed', { openid: who(p.openid), agent: nick(p.agent) }) };
    panelDone();
  } catch (err) {
    p.busy = false;
    // An error means nothing happened: the goodbye (if any) could not be sent.
    p.error = { ...err, noteFailed: withNote && Boolean(p.text.trim()) };
    drawPanelError();
  }
}

async function act(call, okText) {
  ui.actionError = null;
  ui.notice = null;
  try {
    await call();
    ui.notice = { kind: 'ok', text: okText() };
  } catch (err) {
    ui.actionError = err;
  }
  // Refreshed either way: a refusal (65414: someone else took the customer) means things moved.
  refresh();
}

/**
 * A customer as staff recognise them: their note (or "no note", with a pencil to write one),
 * what they last wrote, the openid grey with a copy button, and their chat records.
 */
function customerCell(openid) {
  const note = ui.notes[openid];
  const said = ui.data?.last_words?.[openid]?.text;
  const e = ui.noteEdit?.openid === openid ? ui.noteEdit : null;
  return h(
    'div',
    { class: 'customer-cell', dataset: { customer: openid } },
    e
      ? h(
          'form',
          {
            class: 'note-edit inline-form',
            novalidate: true,
            onsubmit: (ev) => {
              ev.preventDefault();
              saveNote();
            },
          },
          h('input', {
            class: 'note-input',
            id: 'note-input',
            value: e.text,
            maxlength: 60,
            placeholder: t('customer.note.placeholder'),
            'aria-label': t('customer.note'),
            oninput: (ev) => {
              e.text = ev.target.value;
              e.error = null;
            },
          }),
          h('button', { type: 'submit', class: 'btn small primary note-save', disabled: e.busy }, t('common.save')),
          h(
            'button',
            {
              type: 'button',
              'data-close': true,
              class: 'btn small',
              onclick: () => {
                ui.noteEdit = null;
                draw();
              },
            },
            t('common.cancel'),
          ),
          e.error && h('span', { class: 'error-message', role: 'alert' }, e.error),
        )
      : h(
          'div',
          { class: 'cust-name' },
          note ? h('strong', { class: 'note' }, note) : h('span', { class: 'no-note' }, t('customer.noNote')),
          h(
            'button',
            {
              type: 'button',
              class: 'link tiny edit-note',
              title: t('customer.note.edit'),
              'aria-label': t('customer.note.edit'),
              onclick: () => {
                ui.noteEdit = { openid, text: note ?? '', error: null, busy: false };
                draw();
                root.querySelector('#note-input')?.focus();
              },
            },
            '✎',
          ),
        ),
    said && h('div', { class: 'said', title: said }, `“${snippet(said, 30)}”`),
    h(
      'div',
      { class: 'cust-id' },
      idChip(openid),
      h('button', { type: 'button', class: 'link tiny records-link', onclick: () => ctx?.open?.('records', { customer: openid }) }, t('customer.records')),
    ),
  );
}

async function saveNote() {
  const e = ui.noteEdit;
  const rule = noteError(e.text);
  if (rule) {
    e.error = t(rule);
    return draw();
  }
  e.busy = true;
  draw();
  try {
    ui.notes = await api.setCustomerNote(e.openid, e.text.trim());
    ui.noteEdit = null;
  } catch (err) {
    e.busy = false;
    e.error = err.message;
  }
  draw();
}

function lookupCard() {
  const q = ui.lookup;
  let result = null;
  if (q.result) {
    const { openid, session } = q.result;
    const name = who(openid);
    if (session) {
      result = [
        h(
          'p',
          { id: 'lookup-result', class: 'served' },
          t('sessions.lookup.served', { openid: name, agent: nick(session.kf_account), age: formatDuration(nowSecs() - session.createtime, t) }),
        ),
        customerCell(openid),
        h('div', { class: 'row-actions' }, sessionButtons(session.kf_account, openid, 'lookup')),
        panelIn('lookup', session.kf_account, openid),
      ];
    } else {
      const pos = ui.data?.waiting.findIndex((w) => w.openid === openid) ?? -1;
      result = [
        h(
          'p',
          { id: 'lookup-result', class: 'none' },
          pos >= 0 ? t('sessions.lookup.waiting', { openid: name, pos: pos + 1 }) : t('sessions.lookup.none', { openid: name }),
        ),
        customerCell(openid),
      ];
    }
  }
  return h(
    'form',
    {
      class: 'card wide lookup',
      id: 'lookup',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        lookup();
      },
    },
    h(
      'div',
      { class: 'inline-form' },
      h('label', { for: 'lookup-openid' }, t('sessions.lookup')),
      h('input', {
        id: 'lookup-openid',
        'data-find': true,
        value: q.openid,
        placeholder: t('sessions.lookup.placeholder'),
        autocomplete: 'off',
        spellcheck: 'false',
        oninput: (e) => {
          q.openid = e.target.value;
        },
      }),
      h('button', { type: 'submit', class: 'btn', id: 'lookup-find', disabled: q.busy }, t('sessions.lookup.find')),
    ),
    q.error && h('p', { class: 'error-message', role: 'alert' }, q.error.message),
    result,
  );
}

async function lookup() {
  const q = ui.lookup;
  q.busy = true;
  q.error = null;
  q.result = null;
  draw();
  try {
    q.result = { openid: q.openid.trim(), session: await api.findSession(q.openid) };
  } catch (err) {
    q.error = err;
  }
  q.busy = false;
  draw();
}
