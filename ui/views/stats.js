// Statistics 数据统计, both platforms: a date range (quick ranges, any range with progress and
// Cancel), the key figures against the period before (▲▼), charts people would rather look at
// than read (Chart.js, vendored) with the same numbers in a table under each, and exports: each
// table to CSV, each chart to PNG. The Official Account's figures are computed from its chat
// records; WeCom's come from its statistics calls (one account or all).
import * as api from '../api.js';
import { h, mount } from '../lib/dom.js';
import { t } from '../i18n.js';
import { errorBox, savePath, dayInput, readDays, onScreen, profileKey } from './common.js';
import { STAT_RANGES, statRange, change, changeText, colourOf, mpTables, mpCell, wecomTables, wecomTotal, pct, dayText } from '../lib/stats.js';
import { percent, cstDate } from '../lib/days.js';
import { loadChart, drawChart, destroyCharts } from './charts.js';

/** What the Official Account's summary cards show (and whether more is better). */
/** @type {[string, boolean][]} */
const MP_CARDS = [
  ['sessions', true],
  ['customers', true],
  ['received', true],
  ['sent', true],
  ['first_reply_median', false],
  ['first_reply_p90', false],
  ['session_avg', null],
  ['wait_avg', false],
];
/** @type {[string, boolean][]} */
const WECOM_CARDS = [
  ['session_cnt', true],
  ['customer_cnt', true],
  ['customer_msg_cnt', true],
  ['ai_transfer_rate', null],
  ['msg_rejected_customer_cnt', false],
];

// Kept across visits, per profile.
const ui = { profile: null, form: null, account: '', view: null, error: null, notice: null, progress: null, names: {} };
let root = null;
let ctx = null;

const platform = () => ctx.platform();

export async function render(el, context) {
  root = el;
  ctx = context;
  const key = profileKey(ctx);
  if (key !== ui.profile) {
    Object.assign(ui, {
      profile: key,
      form: statRange(Date.now(), 'last7', platform()),
      account: '',
      view: null,
      error: null,
      notice: null,
      progress: null,
      names: {},
      accounts: [],
    });
  }
  draw();
  // Names for IDs: agents' nicknames, accounts' names.
  if (platform() === 'mp') {
    api
      .listAgents()
      .then((agents) => {
        ui.names = Object.fromEntries(agents.map((a) => [a.kf_account, a.nickname]));
        draw();
      })
      .catch(() => {});
  } else {
    api
      .listKfAccounts()
      .then((accounts) => {
        ui.accounts = accounts;
        draw();
      })
      .catch(() => {});
  }
  if (!ui.view && !ui.progress) run();
}

function draw() {
  if (!root || !onScreen(ctx, 'stats')) return;
  destroyCharts();
  mount(
    root,
    h(
      'section',
      { class: 'page', id: 'stats-page', dataset: { platform: platform() } },
      h('header', { class: 'page-head' }, h('div', {}, h('h1', {}, t('stats.title')), h('p', { class: 'subtitle' }, t(`stats.subtitle.${platform()}`)))),
      rangeForm(),
      ui.progress && progressBar(),
      ui.error && errorBox(ui.error, run),
      ui.notice && h('div', { class: 'action-notice ok', id: 'stats-notice', role: 'status' }, ui.notice),
      ui.view && (platform() === 'mp' ? mpResult(ui.view) : wecomResult(ui.view)),
    ),
  );
  if (ui.view) paintCharts();
}

function rangeForm() {
  const f = ui.form;
  const field = (name, label, input) => h('label', { class: 'field inline', for: `st-${name}` }, h('span', { class: 'label' }, label), input);
  const quick = (kind) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        dataset: { range: kind },
        onclick: () => {
          ui.form = statRange(Date.now(), kind, platform());
          run();
        },
      },
      t(`records.range.${kind}`),
    );
  return h(
    'form',
    {
      class: 'card records-form',
      id: 'stats-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        run();
      },
    },
    h(
      'div',
      { class: 'form-row' },
      field(
        'from',
        t('records.from'),
        dayInput('st-from', f.from, (v) => {
          f.from = v;
        }),
      ),
      field(
        'to',
        t('records.to'),
        dayInput('st-to', f.to, (v) => {
          f.to = v;
        }),
      ),
      h('div', { class: 'quick' }, STAT_RANGES.map(quick)),
    ),
    h(
      'div',
      { class: 'form-row' },
      platform() === 'wecom' &&
        field(
          'account',
          t('stats.account'),
          h(
            'select',
            {
              id: 'st-account',
              onchange: (e) => {
                ui.account = e.target.value;
                run();
              },
            },
            h('option', { value: '' }, t('stats.allAccounts')),
            (ui.accounts ?? []).map((a) => h('option', { value: a.open_kfid, selected: a.open_kfid === ui.account }, a.name)),
          ),
        ),
      h('button', { type: 'submit', class: 'btn primary', id: 'st-run', disabled: !!ui.progress }, t('stats.run')),
    ),
  );
}

function progressBar() {
  const p = ui.progress;
  return h(
    'div',
    { class: 'card progress', id: 'stats-progress', role: 'status' },
    h('progress', { max: Math.max(1, p.total), value: p.done }),
    h('span', { class: 'progress-text' }, t('stats.progress', { pct: percent(p.done, p.total) })),
    h(
      'button',
      {
        type: 'button',
        'data-close': true,
        class: 'btn',
        id: 'stats-cancel',
        onclick: () => {
          cancelAsked = true;
          api.cancelStatistics();
        },
      },
      t('common.cancel'),
    ),
  );
}

/** Counts reads: an answer to a read the user has since replaced (another range or account) is dropped. */
let runs = 0;
/** The user pressed Cancel (a read is also stopped when another starts: that one is not theirs to report). */
let cancelAsked = false;

async function run() {
  const f = ui.form;
  ui.error = readDays(f, [
    ['from', t('records.from')],
    ['to', t('records.to')],
  ]);
  if (ui.error) return draw();
  ui.notice = null;
  cancelAsked = false;
  const seq = ++runs;
  // A bar (with Cancel) only when it takes more than a moment.
  const slow = setTimeout(() => {
    if (seq !== runs) return;
    ui.progress ??= { done: 0, total: 1 };
    draw();
  }, 400);
  const unlisten = await api.listen('stats-progress', (p) => {
    ui.progress = p;
    const bar = root.querySelector('#stats-progress');
    if (bar) bar.replaceWith(progressBar());
  });
  const { from, to } = f;
  let view = null;
  let error = null;
  try {
    view = platform() === 'mp' ? await api.mpStatistics(from, to) : await api.wecomStatistics(from, to, ui.account);
  } catch (err) {
    error = err;
  }
  clearTimeout(slow);
  unlisten?.();
  if (seq !== runs) return;
  // The app stops a read when another starts; if an earlier one started last there, this one
  // (the user's latest choice) was stopped by it: ask again.
  if (error?.code === 'cancelled' && !cancelAsked) return run();
  ui.progress = null;
  if (view) ui.view = Object.assign(view, { from, to });
  else if (error.code === 'cancelled') ui.notice = error.message;
  else ui.error = error;
  draw();
}

const agentName = (account) => ui.names[account] || account;

/** A figure with its change against the period before (`better`: whether up is good). */
function card(id, label, value, c, better) {
  const tone = !c || c.dir === 'same' || better === null ? '' : (c.dir === 'up') === better ? ' good' : ' bad';
  return h(
    'div',
    { class: 'stat-card', dataset: { figure: id } },
    h('span', { class: 'label' }, label),
    h('strong', { class: 'value' }, value),
    h('span', { class: `change${tone}` }, changeText(c, t)),
  );
}

function compareLine(v) {
  // Today is not over: its figures (and so the range's) are lower than they will be.
  const today = v.to >= cstDate(Date.now());
  return h(
    'p',
    { class: 'hint', id: 'stats-compare' },
    t('stats.compare.with', { from: dayText(v.previous_from), to: dayText(v.previous_to) }),
    today ? ` ${t('stats.compare.today')}` : '',
  );
}

function mpResult(v) {
  const tables = mpTables(v, agentName, t);
  const total = v.current.total;
  return [
    compareLine(v),
    h(
      'div',
      { class: 'stat-cards', id: 'stats-cards' },
      MP_CARDS.map(([k, better]) => card(k, t(`stats.mp.${k}`), mpCell(total, k, t), change(total[k], v.previous[k]), better)),
    ),
    chartCard('trend', t('stats.chart.trend'), tables.days, 'days'),
    chartCard('agents', t('stats.chart.agents'), tables.agents, 'agents'),
    chartCard('replies', t('stats.chart.replies'), replyTable(v), 'replies'),
    how('mp'),
  ];
}

const BUCKETS = ['b30', 'b60', 'b180', 'b600', 'b1800', 'b3600', 'bmore'];
function replyTable(v) {
  return {
    header: [t('stats.col.firstReply'), t('stats.col.sessions')],
    rows: BUCKETS.map((b, i) => [t(`stats.bucket.${b}`), String(v.current.reply_buckets[i] ?? 0)]),
  };
}

function wecomResult(v) {
  const tables = wecomTables(v, t);
  const now = wecomTotal(v.days);
  const before = v.previous ? wecomTotal(v.previous) : null;
  const refused = v.refused ?? [];
  return [
    refused.length > 0 &&
      h(
        'div',
        { class: 'notice', id: 'stats-refused', role: 'status' },
        h('p', {}, t('stats.refused', { names: refused.map((r) => r.name || r.open_kfid).join('、'), n: v.accounts.length })),
        refused.map((r) =>
          h('p', { class: 'hint', dataset: { account: r.open_kfid } }, t('stats.refused.why', { name: r.name || r.open_kfid, reason: r.reason.message })),
        ),
      ),
    v.previous ? compareLine(v) : h('p', { class: 'hint', id: 'stats-compare' }, t('stats.compare.tooOld')),
    h(
      'div',
      { class: 'stat-cards', id: 'stats-cards' },
      WECOM_CARDS.map(([k, better]) => {
        const value = !now ? t('stats.noData') : k.endsWith('_rate') ? pct(now[k]) : String(now[k] ?? 0);
        return card(k, t(`stats.wecom.${k}`), value, now && before ? change(now[k], before[k]) : null, better);
      }),
    ),
    chartCard('trend', t('stats.chart.trend'), tables.days, 'days'),
    chartCard('servicers', t('stats.chart.servicers'), tables.servicers, 'servicers'),
    how('wecom'),
  ];
}

/** A chart, its exports and its numbers in a table under it. */
function chartCard(id, title, table, name) {
  return h(
    'div',
    { class: 'card wide stat-chart', id: `chart-${id}` },
    h(
      'div',
      { class: 'card-head' },
      h('h2', {}, title),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn small png', onclick: () => savePngOf(id) }, t('stats.export.png')),
        h('button', { type: 'button', class: 'btn small csv', onclick: () => saveCsv(table, name) }, t('stats.export.csv')),
      ),
    ),
    h('div', { class: 'chart-box' }, h('canvas', { id: `canvas-${id}`, role: 'img', 'aria-label': title })),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid stat-table', dataset: { table: name } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            table.header.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          table.rows.map((r) =>
            h(
              'tr',
              {},
              r.map((c, i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c)),
            ),
          ),
        ),
      ),
    ),
  );
}

function how(kind) {
  return h(
    'details',
    { class: 'card how', id: 'stats-how' },
    h('summary', {}, t('stats.how.title')),
    t(`stats.how.${kind}`)
      .split('\n')
      .map((line) => h('p', {}, line)),
  );
}

async function paintCharts() {
  const v = ui.view;
  if (!(await loadChart()) || ui.view !== v || !onScreen(ctx, 'stats')) return;
  const days = (platform() === 'mp' ? v.current.days : v.days).map((d) => dayText(d.day).slice(5));
  if (platform() === 'mp') {
    const series = ['sessions', 'customers', 'received', 'sent'];
    drawChart(
      'trend',
      'line',
      days,
      series.map((k) => ({ label: t(`stats.mp.${k}`), data: v.current.days.map((d) => d[k]), colour: colourOf(`mp:${k}`) })),
    );
    const agents = v.current.agents;
    drawChart(
      'agents',
      'bar',
      agents.map((a) => agentName(a.agent)),
      [{ label: t('stats.mp.sessions'), data: agents.map((a) => a.sessions), colours: agents.map((a) => colourOf(a.agent)) }],
    );
    drawChart(
      'replies',
      'bar',
      BUCKETS.map((b) => t(`stats.bucket.${b}`)),
      [{ label: t('stats.col.sessions'), data: v.current.reply_buckets, colour: colourOf('mp:replies') }],
    );
  } else {
    const series = ['session_cnt', 'customer_cnt', 'customer_msg_cnt'];
    // A day without data is a gap in the line, not a zero.
    drawChart(
      'trend',
      'line',
      days,
      series.map((k) => ({
        label: t(`stats.wecom.${k}`),
        data: v.days.map((d) => (d.figures ? (d.figures[k] ?? null) : null)),
        colour: colourOf(`wecom:${k}`),
      })),
    );
    const people = v.servicers.map((s) => ({ id: s.userid, total: wecomTotal(s.days) }));
    drawChart(
      'servicers',
      'bar',
      people.map((p) => p.id),
      [{ label: t('stats.wecom.session_cnt'), data: people.map((p) => p.total?.session_cnt ?? null), colours: people.map((p) => colourOf(p.id)) }],
    );
  }
}

async function saveCsv(table, name) {
  const path = await savePath(`kefu-stats-${name}-${ui.view.from}_${ui.view.to}.csv`, 'CSV', 'csv');
  if (!path) return;
  try {
    await api.exportTable(path, table.header, table.rows);
    ui.notice = t('stats.exported', { path });
  } catch (err) {
    ui.error = err;
  }
  draw();
}

async function savePngOf(id) {
  const canvas = root.querySelector(`#canvas-${id}`);
  const path = await savePath(`kefu-stats-${id}-${ui.view.from}_${ui.view.to}.png`, 'PNG', 'png');
  if (!path || !canvas) return;
  try {
    await api.savePng(path, canvas.toDataURL('image/png'));
    ui.notice = t('stats.exported', { path });
  } catch (err) {
    ui.error = err;
  }
  draw();
}
