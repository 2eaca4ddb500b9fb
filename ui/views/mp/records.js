// Records page: fetch chat records over any CST date range (progress bar, Cancel), browse the
// result in a virtualised table that stays smooth at 100 000+ rows, search it, export CSV.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { rangeEndingToday, dayCount, exportName, percent, quickRange, QUICK_RANGES } from '../../lib/days.js';
import { recordOrder } from '../../lib/mp/records.js';
import { visibleRange, RowCache } from '../../lib/virtual.js';
import { t } from '../../i18n.js';
import { errorBox, savePath, idChip, copyButton, dayInput, readDays, tableSort, sortTh, onScreen, profileKey } from '../common.js';

const ROW_H = 34;
const COLS = ['time', 'agent', 'customer', 'operation', 'text'];
/** Time order unless a header says otherwise (kept across restarts); the app sorts. */
const sorter = tableSort('records', ['time', 'agent', 'customer', 'operation'], { key: 'time', desc: false });
/**
 * The order to ask the app for, and its text for the row cache's key: worked out again only when
 * the sort, the agents or the notes change (the table asks for it on every scroll).
 */
let ordering = null;
function order() {
  const s = sorter.get();
  if (ordering?.sort !== s || ordering.agents !== ui.agents || ordering.notes !== ui.notes) {
    const value = recordOrder(s, ui.agents, ui.notes);
    ordering = { sort: s, agents: ui.agents, notes: ui.notes, value, text: JSON.stringify(value) };
  }
  return ordering.value;
}

// Kept across visits to the page (the result itself lives in the app, not here).
const ui = {
  /** The profile the result belongs to. */
  profile: null,
  form: { ...rangeEndingToday(Date.now()), agent: '', customer: '' },
  /** The staff's customer notes, by openid. */
  notes: {},
  /** One customer's records as a chat: {openid, at, rows, filter, error} */
  chat: null,
  agents: null,
  /** {windows_done, windows_total, records} while fetching */
  progress: null,
  summary: null,
  error: null,
  notice: null,
  search: '',
  matching: 0,
};
const cache = new RowCache(200);
/** Counts fetches, so that rows of an earlier result are never shown under a new one. */
let generation = 0;
let root = null;
let ctx = null;
let searchTimer = null;

/** What the cached rows depend on: the result, the search and the order (names arriving later can change it). */
const cacheKey = () => {
  order();
  return `${generation}|${ui.search.trim()}|${ordering.text}`;
};
function resetCache() {
  cache.reset(cacheKey());
}

export async function render(el, context) {
  root = el;
  ctx = context;
  // Another profile: the previous account's result, agents and messages go (the app keeps its
  // records per profile too).
  const key = profileKey(ctx);
  if (key !== ui.profile) {
    Object.assign(ui, { profile: key, agents: null, progress: null, summary: null, error: null, notice: null, search: '', matching: 0, chat: null, notes: {} });
    generation += 1;
    resetCache();
  }
  // Opened for one customer (their "chat records" link): the last 7 days of that customer.
  const customer = ctx?.params?.customer;
  if (customer) {
    ctx.params = null;
    Object.assign(ui.form, quickRange(Date.now(), 'last7'), { agent: '', customer });
  }
  draw();
  api
    .customerNotes()
    .then((notes) => {
      ui.notes = notes;
      if (onScreen(ctx, 'records') && ui.summary) refreshTable(false);
    })
    .catch(() => {});
  if (customer && !ui.progress) fetchRange();
  if (!ui.agents) {
    ui.agents = await api.listAgents().catch(() => []);
    draw();
  }
}

function draw() {
  if (!onScreen(ctx, 'records')) return;
  mount(
    root,
    h(
      'section',
      { class: 'page', id: 'records-page' },
      h('header', { class: 'page-head' }, h('div', {}, h('h1', {}, t('records.title')), h('p', { class: 'subtitle' }, t('records.subtitle')))),
      rangeForm(),
      ui.progress && progressBar(),
      ui.error && errorBox(ui.error),
      ui.notice && h('div', { class: 'action-notice ok', id: 'records-notice', role: 'status' }, ui.notice),
      ui.chat && chatPanel(),
      ui.summary && resultView(),
    ),
  );
  if (ui.summary) refreshTable(true);
}

function rangeForm() {
  const f = ui.form;
  const field = (name, label, input) => h('label', { class: 'field inline', for: `rf-${name}` }, h('span', { class: 'label' }, label), input);
  const date = (name) =>
    dayInput(`rf-${name}`, f[name], (v) => {
      f[name] = v;
    });
  const quick = (kind) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        dataset: { range: kind },
        onclick: () => {
          Object.assign(f, quickRange(Date.now(), kind));
          draw();
        },
      },
      t(`records.range.${kind}`),
    );
  return h(
    'form',
    {
      class: 'card records-form',
      id: 'records-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        fetchRange();
      },
    },
    h(
      'div',
      { class: 'form-row' },
      field('from', t('records.from'), date('from')),
      field('to', t('records.to'), date('to')),
      h('div', { class: 'quick' }, QUICK_RANGES.map(quick)),
    ),
    h(
      'div',
      { class: 'form-row' },
      field(
        'agent',
        t('records.agent'),
        h(
          'select',
          {
            id: 'rf-agent',
            onchange: (e) => {
              f.agent = e.target.value;
            },
          },
          h('option', { value: '' }, t('records.allAgents')),
          (ui.agents ?? []).map((a) => h('option', { value: a.kf_account, selected: a.kf_account === f.agent }, `${a.nickname} (${a.kf_account})`)),
        ),
      ),
      field(
        'customer',
        t('records.customer'),
        h('input', {
          id: 'rf-customer',
          value: f.customer,
          placeholder: t('records.customer.placeholder'),
          autocomplete: 'off',
          spellcheck: 'false',
          oninput: (e) => {
            f.customer = e.target.value;
          },
        }),
      ),
      h('button', { type: 'submit', class: 'btn primary', id: 'rf-fetch', disabled: !!ui.progress }, t('records.fetch')),
    ),
    h('p', { class: 'hint' }, t('records.hint')),
  );
}

function progressBar() {
  const p = ui.progress;
  return h(
    'div',
    { class: 'card progress', id: 'records-progress', role: 'status' },
    h('progress', { max: Math.max(1, p.windows_total), value: p.windows_done }),
    h(
      'span',
      { class: 'progress-text' },
      t('records.progress', {
        done: p.windows_done,
        total: p.windows_total,
        records: p.records.toLocaleString(),
        pct: percent(p.windows_done, p.windows_total),
      }),
    ),
    h('button', { type: 'button', 'data-close': true, class: 'btn', id: 'records-cancel', onclick: () => api.cancelRecords() }, t('common.cancel')),
  );
}

async function fetchRange() {
  const f = ui.form;
  ui.error = readDays(f, [
    ['from', t('records.from')],
    ['to', t('records.to')],
  ]);
  if (ui.error) return draw();
  const days = dayCount(f.from, f.to);
  if (!days) {
    ui.error = { code: 'invalid_input', message: t('records.err.range') };
    return draw();
  }
  ui.error = null;
  ui.notice = null;
  ui.progress = { windows_done: 0, windows_total: days, records: 0 };
  draw();
  const unlisten = await api
    .listen('records-progress', (progress) => {
      if (!ui.progress) return;
      ui.progress = progress;
      const bar = root.querySelector('#records-progress');
      if (bar) bar.replaceWith(progressBar());
    })
    .catch(() => null);
  try {
    ui.chat = null;
    ui.summary = { ...(await api.fetchRecords(f.from, f.to, f.agent, f.customer.trim())), from: f.from, to: f.to };
    ui.search = '';
    ui.matching = ui.summary.total;
    generation += 1;
    resetCache();
  } catch (err) {
    if (err.code !== 'cancelled') ui.error = err;
    else ui.notice = err.message;
  } finally {
    unlisten?.();
    ui.progress = null;
    draw();
  }
}

// 'search' fires on the field's own clear button, 'change' when it is cleared programmatically.
function onSearch(e) {
  if (e.target.value === ui.search) return;
  ui.search = e.target.value;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    resetCache();
    refreshTable(true);
  }, 150);
}

function resultView() {
  const s = ui.summary;
  const search = h('input', {
    type: 'search',
    id: 'records-search',
    placeholder: t('records.searchPlaceholder'),
    'aria-label': t('common.search'),
    value: ui.search,
    oninput: onSearch,
    onsearch: onSearch,
    onchange: onSearch,
  });
  const body = h('div', { class: 'vtable-body', id: 'records-body', onscroll: () => refreshTable(false) }, h('div', { class: 'vtable-spacer' }));
  return h(
    'div',
    { class: 'records-result' },
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'summary', id: 'records-summary' }, t('records.summary', { total: s.total.toLocaleString(), requests: s.requests, days: s.windows })),
      search,
      h('span', { class: 'matching', id: 'records-matching' }),
      h('button', { type: 'button', class: 'btn', id: 'records-export', disabled: s.total === 0, onclick: exportCsv }, t('records.export')),
    ),
    s.total === 0
      ? h('p', { class: 'empty', id: 'records-empty' }, t('records.empty'))
      : h(
          'div',
          { class: 'vtable', id: 'records-table', role: 'table' },
          h(
            'div',
            { class: 'vtable-head', role: 'row' },
            COLS.map((c) =>
              c === 'text'
                ? h('span', { role: 'columnheader', class: `c-${c}` }, t(`records.col.${c}`))
                : sortTh(sorter, c, t(`records.col.${c}`), draw, 'span'),
            ),
          ),
          body,
        ),
  );
}

/** The scrolling body of the table on screen (the page redraws around it). */
const tableBody = () => root?.querySelector('#records-body');

let pending = false;
/** Renders the rows in view; asks the app for the pages it lacks (then renders again). */
async function refreshTable(reset) {
  const body = tableBody();
  if (!body) return;
  if (reset) body.scrollTop = 0;
  if (cache.key !== cacheKey()) resetCache();
  const { first, end } = visibleRange(body.scrollTop, body.clientHeight || 600, ROW_H, ui.matching || 1, 10);
  paint(first, end);
  const missing = cache.missing(first, Math.max(end, first + 1));
  if (!missing.length || pending) return;
  pending = true;
  try {
    const search = ui.search;
    const sort = order();
    await Promise.all(
      missing.map((p) =>
        cache.load(p, async (offset, limit) => {
          const page = await api.recordRows(search, offset, limit, sort);
          ui.matching = page.matching;
          return page.rows;
        }),
      ),
    );
  } catch (err) {
    ui.error = err;
    pending = false;
    return draw();
  }
  pending = false;
  const r = visibleRange(body.scrollTop, body.clientHeight || 600, ROW_H, ui.matching, 10);
  paint(r.first, r.end);
  if (cache.missing(r.first, r.end).length) refreshTable(false);
}

function paint(first, end) {
  const spacer = tableBody()?.firstChild;
  if (!spacer) return;
  spacer.style.height = `${ui.matching * ROW_H}px`;
  const rows = [];
  for (let i = first; i < end && i < ui.matching; i++) {
    const r = cache.get(i);
    // Positioned through the CSSOM: the content security policy refuses style attributes.
    // Names, not IDs (the account and openid in the tooltip); short times (the full one too).
    const row = h(
      'div',
      {
        class: `vrow op${r ? Math.floor(r.opercode / 1000) : ''}`,
        // Rows still in view after a scroll keep their element (and a focused row its focus).
        key: `record:${i}`,
        role: 'row',
        dataset: { index: i, customer: r?.customer ?? '' },
        tabindex: r ? 0 : null,
        title: r ? t('records.openChat') : null,
        onclick: r ? () => openChat(r) : null,
        onkeydown: r
          ? (e) => {
              if (e.key === 'Enter') openChat(r);
            }
          : null,
      },
      r
        ? [
            h('span', { class: 'c-time', title: r.time_text }, shortTime(r.time_text)),
            h('span', { class: 'c-agent', title: r.agent }, agentName(r.agent)),
            h(
              'span',
              { class: 'c-customer', title: r.customer },
              h('span', { class: 'cell-text' }, ui.notes[r.customer] ?? r.customer),
              copyButton(r.customer, ui.notes[r.customer], true),
            ),
            h('span', { class: 'c-operation' }, r.operation),
            h('span', { class: 'c-text', title: r.text }, r.text),
          ]
        : h('span', { class: 'c-loading' }, '…'),
    );
    row.style.top = `${i * ROW_H}px`;
    rows.push(row);
  }
  mount(spacer, rows);
  const m = root.querySelector('#records-matching');
  if (m) m.textContent = ui.search.trim() ? t('records.matching', { n: ui.matching.toLocaleString() }) : '';
}

/** `MM-DD HH:mm` of a `YYYY-MM-DD HH:MM:SS` CST time. */
const shortTime = (text) => text.slice(5, 16);
/** An agent's nickname (their account when unknown; '' for none). */
const agentName = (account) => (account && ui.agents?.find((a) => a.kf_account === account)?.nickname) || account;

/** The customer's records in this result, as a chat: their messages left, the agents' right (by nickname), session events as quiet lines. */
async function openChat(r) {
  ui.chat = { openid: r.customer, at: r.time, rows: null, filter: 'all', error: null };
  draw();
  try {
    // Their records, page by page (at most 5 000: a conversation, not an export).
    const rows = [];
    for (let matching = Infinity; rows.length < Math.min(matching, 5000);) {
      const page = await api.recordRows(r.customer, rows.length, 1000);
      matching = page.matching;
      if (!page.rows.length) break;
      rows.push(...page.rows);
    }
    if (ui.chat?.openid === r.customer) ui.chat.rows = rows.filter((x) => x.customer === r.customer);
  } catch (err) {
    if (ui.chat) ui.chat.error = err;
  }
  draw();
  root.querySelector('#records-chat .chat-focus')?.scrollIntoView({ block: 'center' });
}

const CHAT_FILTERS = { all: () => true, messages: (x) => x.opercode >= 2000, events: (x) => x.opercode < 2000 };

function chatPanel() {
  const c = ui.chat;
  const close = h(
    'button',
    {
      type: 'button',
      'data-close': true,
      class: 'btn',
      id: 'records-chat-close',
      onclick: () => {
        ui.chat = null;
        draw();
      },
    },
    t('common.close'),
  );
  const chips = h(
    'div',
    { class: 'chips', role: 'group', 'aria-label': t('records.chat.show') },
    Object.keys(CHAT_FILTERS).map((f) =>
      h(
        'button',
        {
          type: 'button',
          class: `chip${c.filter === f ? ' on' : ''}`,
          'aria-pressed': String(c.filter === f),
          dataset: { filter: f },
          onclick: () => {
            c.filter = f;
            draw();
          },
        },
        t(`records.chat.${f}`),
      ),
    ),
  );
  const rows = (c.rows ?? []).filter(CHAT_FILTERS[c.filter]);
  let focused = false;
  const items = rows.map((x) => {
    const focus = !focused && x.time >= c.at ? (focused = true) : false;
    const cls = focus ? ' chat-focus' : '';
    if (x.opercode < 2000) {
      return h(
        'div',
        { class: `event-line${cls}`, dataset: { opercode: x.opercode } },
        `${shortTime(x.time_text)} · ${x.operation}${x.agent ? ` · ${agentName(x.agent)}` : ''}`,
      );
    }
    const agentSide = x.opercode === 2002;
    return h(
      'div',
      { class: `bubble${agentSide ? ' kf' : ''}${cls}`, dataset: { opercode: x.opercode } },
      agentSide && h('span', { class: 'sender' }, agentName(x.agent)),
      h('span', { class: 'text' }, x.text || x.operation),
      h('span', { class: 'time' }, shortTime(x.time_text)),
    );
  });
  return h(
    'div',
    { class: 'card records-chat', id: 'records-chat', role: 'dialog', 'aria-label': t('records.chat.title') },
    h('div', { class: 'chat-head' }, h('strong', {}, ui.notes[c.openid] ?? t('records.chat.title')), ' ', idChip(c.openid), chips, close),
    c.error && errorBox(c.error),
    !c.rows && !c.error && h('p', { class: 'loading' }, t('common.loading')),
    c.rows && h('div', { class: 'conv-messages chat-body' }, items.length ? items : h('p', { class: 'empty' }, t('records.chat.none'))),
  );
}

async function exportCsv() {
  const s = ui.summary;
  const path = await savePath(exportName(s.from, s.to), 'CSV', 'csv');
  if (!path) return;
  ui.error = null;
  try {
    const out = await api.exportRecords(path, ui.search, order());
    ui.notice = t('records.exported', { rows: out.rows.toLocaleString(), path });
  } catch (err) {
    ui.error = err;
  }
  draw();
}
