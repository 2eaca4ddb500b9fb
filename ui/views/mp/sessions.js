// Sessions page: the waiting queue (true total, live waited time, estimated wait), the online
// agents' sessions, assign / transfer / close, messages to a customer as an agent, a customer
// lookup. Refreshed every N seconds with what changed highlighted; a desktop notification when
// the queue grows while the window is in the background.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { formatDuration, clockTime } from '../../lib/format.js';
import { diffSnapshots, shouldNotify, REFRESH_CHOICES, REFRESH_KEY, quotaPause } from '../../lib/mp/sessions.js';
import { t, lang } from '../../i18n.js';
import { errorBox, onScreen } from '../common.js';
import { queueCard } from './sessions/queue.js';
import { agentsCard } from './sessions/agents.js';
import { panel } from './sessions/panel.js';
import { lookupCard } from './sessions/customers.js';
import { view, ui, nowSecs, nick, stale } from './sessions/state.js';

let timer = null;
let ticker = null;

const here = () => view.root?.querySelector('#sessions-page');

export function render(el, appCtx) {
  view.root = el;
  view.ctx = appCtx;
  view.draw = draw;
  view.refresh = refresh;
  const p = view.ctx?.info?.profile;
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
  const head = view.root?.querySelector('#sessions-refresh');
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
    view.ctx?.refreshed?.();
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
  if (view.root) delete view.root.dataset.nextRefresh;
  if (!here() || ui.paused || ui.interval <= 0) return;
  // After a quota error, the next automatic refresh waits until the quota is back.
  const wait = Math.min(ui.quota ? Math.max(ui.interval * 1000, ui.quota.until - Date.now()) : ui.interval * 1000, 2 ** 31 - 1);
  view.root.dataset.nextRefresh = String(Date.now() + wait);
  timer = setTimeout(autoRefresh, wait);
}

function autoRefresh() {
  if (!here()) return;
  // A redraw could take away the session a message is being written for, or the menu being
  // chosen from: wait for the panel to close and the menu to be left.
  const menuOpen =
    document.activeElement?.tagName === 'SELECT' && view.root.contains(document.activeElement) && document.activeElement.id !== 'sessions-interval';
  if (ui.panel || ui.noteEdit || menuOpen) {
    if (!ui.held) {
      ui.held = true;
      const hint = view.root.querySelector('#sessions-held');
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
  for (const el of view.root.querySelectorAll('[data-since]')) el.textContent = formatDuration(now - Number(el.dataset.since), t);
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

function draw() {
  if (!view.root || !onScreen(view.ctx, 'sessions')) return;
  const d = ui.data;
  mount(
    view.root,
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
