// Message archive 消息存档 (WeCom): what the live reader kept on this computer, beyond WeCom's 3
// days. Search Chinese (or any) text, narrow by account, servicer and dates, export the result
// as CSV for a spreadsheet. The search is remembered across refreshes and restarts.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { messageWords } from '../../lib/wecom/messages.js';
import { dayRange, highlight } from '../../lib/wecom/conversations.js';
import { cstDateTime } from '../../lib/days.js';
import { t, lang } from '../../i18n.js';
import { errorBox, idChip, savePath, dayInput, readDays, tableSort, sortTh, onScreen, profileKey } from '../common.js';
import { sortRows } from '../../lib/sort.js';

const KEY = 'kefudesk.wecom.archive.search';

const blank = { text: '', account: '', servicer: '', from: '', to: '', customer: null };
/** The search is remembered per profile: another corp's customer or account means nothing here. */
const storeKey = (profile) => `${KEY}:${profile}`;
function savedForm(profile) {
  try {
    return { ...blank, ...JSON.parse(window.localStorage.getItem(storeKey(profile)) || '{}') };
  } catch {
    return { ...blank };
  }
}
/** The profile the page's search, results and lists belong to. */
let profile = null;
let form = { ...blank };
let root = null;
let ctx = null;
let accounts = [];
let servicers = [];
let found = null;
let error = null;
let busy = false;
let notice = null;

export async function render(el, appCtx) {
  root = el;
  ctx = appCtx;
  notice = null;
  // Another profile: nothing of the previous one's search, results or lists stays on screen.
  const key = profileKey(ctx);
  if (key !== profile) {
    profile = key;
    form = savedForm(key);
    found = null;
    error = null;
    busy = false;
    accounts = [];
    servicers = [];
  }
  // Opened from a conversation: that customer's messages.
  if (ctx?.params?.external_userid) {
    form = { ...blank, account: ctx.params.open_kfid ?? '', customer: { id: ctx.params.external_userid, name: ctx.params.name ?? '' } };
    ctx.params = null;
  }
  draw();
  try {
    const listed = await api.listKfAccounts();
    if (key !== profile) return;
    accounts = listed;
    if (form.account && !accounts.some((a) => a.open_kfid === form.account)) form.account = '';
    await loadServicers();
  } catch (err) {
    if (key !== profile) return;
    error = err;
  }
  await search();
}

async function loadServicers() {
  servicers = [];
  if (!form.account) return;
  const key = profile;
  try {
    const rows = (await api.listServicers(form.account)).rows.filter((r) => r.userid);
    if (key === profile) servicers = rows;
  } catch {
    // Filtering by servicer is then not offered.
  }
}

/** The search as the app takes it. */
function query() {
  const range = dayRange(form.from, form.to);
  return {
    text: form.text.trim(),
    open_kfid: form.account || null,
    external_userid: form.customer?.id ?? null,
    servicer_userid: form.servicer || null,
    from: range.from,
    to: range.to,
  };
}

async function search() {
  const bad = readDays(
    form,
    [
      ['from', t('archive.from')],
      ['to', t('archive.to')],
    ],
    true,
  );
  if (bad) {
    error = bad;
    return draw();
  }
  window.localStorage.setItem(storeKey(profile), JSON.stringify(form));
  // An answer that comes after a switch to another profile is another corp's: dropped.
  const key = profile;
  busy = true;
  draw();
  try {
    const answer = await api.searchArchive(query());
    if (key !== profile) return;
    found = answer;
    error = null;
    ctx?.refreshed?.();
  } catch (err) {
    if (key !== profile) return;
    error = err;
  }
  busy = false;
  draw();
}

async function exportCsv() {
  const path = await savePath(t('archive.exportName'), 'CSV', 'csv');
  if (!path) return;
  const key = profile;
  busy = true;
  draw();
  try {
    const out = await api.exportArchive(query(), path);
    if (key !== profile) return;
    notice = { kind: 'ok', text: t('archive.exported', { n: out.rows, path }) };
    error = null;
  } catch (err) {
    if (key !== profile) return;
    error = err;
  }
  busy = false;
  draw();
}

function draw() {
  if (!root || !onScreen(ctx, 'archive')) return;
  mount(
    root,
    h(
      'section',
      { class: 'page archive', id: 'archive-page' },
      h(
        'header',
        { class: 'page-head' },
        h(
          'div',
          {},
          h('h1', {}, t('archive.title')),
          h('p', { class: 'subtitle', id: 'archive-count' }, found ? t('archive.subtitle', { n: found.archived }) : t('archive.subtitle.loading')),
        ),
      ),
      searchForm(),
      error && errorBox(error, search),
      notice && h('div', { class: `action-notice ${notice.kind}`, id: 'archive-notice', role: 'status' }, notice.text),
      results(),
    ),
  );
}

function searchForm() {
  const field = (id, label, control) => h('label', { class: 'field', for: id }, h('span', { class: 'label' }, label), control);
  return h(
    'form',
    {
      class: 'archive-form toolbar',
      id: 'archive-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        search();
      },
    },
    h('input', {
      type: 'search',
      id: 'archive-text',
      value: form.text,
      placeholder: t('archive.placeholder'),
      'aria-label': t('archive.placeholder'),
      oninput: (e) => {
        form.text = e.target.value;
      },
    }),
    field(
      'archive-account',
      t('conv.account'),
      h(
        'select',
        {
          id: 'archive-account',
          onchange: async (e) => {
            form.account = e.target.value;
            form.servicer = '';
            await loadServicers();
            search();
          },
        },
        h('option', { value: '' }, t('conv.allAccounts')),
        accounts.map((a) => h('option', { value: a.open_kfid, selected: a.open_kfid === form.account }, a.name)),
      ),
    ),
    form.account &&
      servicers.length > 0 &&
      field(
        'archive-servicer',
        t('archive.servicer'),
        h(
          'select',
          {
            id: 'archive-servicer',
            onchange: (e) => {
              form.servicer = e.target.value;
              search();
            },
          },
          h('option', { value: '' }, t('archive.anyServicer')),
          servicers.map((s) => h('option', { value: s.userid, selected: s.userid === form.servicer }, s.name || s.userid)),
        ),
      ),
    // Optional here: an empty day means no bound.
    field(
      'archive-from',
      t('archive.from'),
      dayInput('archive-from', form.from, (v) => {
        form.from = v;
      }),
    ),
    field(
      'archive-to',
      t('archive.to'),
      dayInput('archive-to', form.to, (v) => {
        form.to = v;
      }),
    ),
    h('button', { type: 'submit', class: 'btn primary', id: 'archive-search', disabled: busy }, t('common.search')),
    h('button', { type: 'button', class: 'btn', id: 'archive-export', disabled: busy || !found?.rows.length, onclick: exportCsv }, t('archive.export')),
    form.customer &&
      h(
        'span',
        { class: 'tag customer-filter', id: 'archive-customer' },
        t('archive.customer', { name: form.customer.name || form.customer.id }),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'btn tiny',
            'aria-label': t('archive.customer.clear'),
            onclick: () => {
              form.customer = null;
              search();
            },
          },
          '✕',
        ),
      ),
    (form.text || form.account || form.from || form.to || form.customer) &&
      h(
        'button',
        {
          type: 'button',
          class: 'btn link',
          id: 'archive-clear',
          onclick: () => {
            form = { ...blank };
            servicers = [];
            search();
          },
        },
        t('archive.clear'),
      ),
  );
}

/** Newest first unless a header says otherwise (kept across restarts). */
const sorter = tableSort('archive', ['time', 'account', 'customer', 'sender'], { key: 'time', desc: true });
const columns = (accountName) => ({
  time: (m) => m.send_time,
  account: (m) => accountName(m.open_kfid),
  customer: (m) => (m.external_userid ? (found.customers[m.external_userid] ?? m.external_userid) : ''),
  sender: (m) => sender(m, messageWords({ ...m.raw, origin: m.origin }, t)),
});

/** Who sent a message, in words (the servicer by their userid). */
const sender = (m, w) =>
  ({ customer: t('archive.sender.customer'), servicer: m.servicer_userid ?? '', kf: t('archive.sender.kf'), system: t('archive.sender.system') })[w.who];

function results() {
  if (!found) return error ? null : h('p', { class: 'loading' }, t('common.loading'));
  if (!found.rows.length) return h('p', { class: 'empty', id: 'archive-empty' }, t(form.text ? 'archive.none' : 'archive.emptyArchive'));
  const accountName = (k) => accounts.find((a) => a.open_kfid === k)?.name ?? k;
  return [
    h('p', { class: 'hint', id: 'archive-shown' }, found.more ? t('archive.more', { n: found.rows.length }) : t('archive.found', { n: found.rows.length })),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid', id: 'archive-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['time', 'account', 'customer', 'sender'].map((c) => sortTh(sorter, c, t(`archive.col.${c}`), draw)),
            h('th', { class: 'c-text' }, t('archive.col.text')),
          ),
        ),
        h(
          'tbody',
          {},
          sortRows(found.rows, sorter.get(), columns(accountName)).map((m) => {
            const w = messageWords({ ...m.raw, origin: m.origin }, t);
            const name = found.customers[m.external_userid];
            return h(
              'tr',
              { key: `msg:${m.msgid}`, dataset: { msgid: m.msgid } },
              h('td', { class: 'time' }, cstDateTime(m.send_time, lang())),
              h('td', {}, accountName(m.open_kfid)),
              h(
                'td',
                { class: 'customer' },
                m.external_userid
                  ? [h('span', { class: name ? '' : 'unknown' }, name ?? t('conv.customer.unnamed')), ' ', idChip(m.external_userid, name)]
                  : '—',
              ),
              h('td', {}, sender(m, w)),
              h(
                'td',
                { class: 'text' },
                highlight(w.text, form.text).map(([piece, hit]) => (hit ? h('mark', {}, piece) : piece)),
              ),
            );
          }),
        ),
      ),
    ),
  ];
}
