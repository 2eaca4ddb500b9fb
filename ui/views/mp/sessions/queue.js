// The Sessions page's waiting queue: each customer with their wait and the agent to assign
// them to (free places shown), and assigning the first N at once, each result in words.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { formatDuration } from '../../../lib/format.js';
import { capacity, estimateWait, assignTargets } from '../../../lib/mp/sessions.js';
import { t } from '../../../i18n.js';
import { tableSort, sortTh } from '../../common.js';
import { sortRows } from '../../../lib/sort.js';
import { view, ui, nowSecs, nick, who, customerKey } from './state.js';
import { act } from './panel.js';
import { customerCell } from './customers.js';

// The queue's sort survives a restart; it starts in WeChat's order.
const queueSort = tableSort('queue', ['position', 'customer', 'waited', 'requested'], { key: 'position', desc: false });
const QUEUE_COLUMNS = {
  position: (w) => w.position,
  customer: (w) => customerKey(w.openid),
  waited: (w) => -w.latest_time,
  requested: (w) => (w.kf_account ? nick(w.kf_account) : ''),
};

export function queueCard(d) {
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
          { class: 'table-wrap queue-scroll' },
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
                  .map((c) =>
                    QUEUE_COLUMNS[c] ? sortTh(queueSort, c, t(`sessions.col.${c}`), () => view.draw()) : h('th', { class: `c-${c}` }, t(`sessions.col.${c}`)),
                  ),
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
                  { key: `waiting:${w.openid}`, dataset: { openid: w.openid }, class: fresh.has(w.openid) ? 'changed' : null },
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
    return view.draw();
  }
  b.busy = true;
  ui.actionError = null;
  ui.notice = null;
  view.draw();
  try {
    b.results = await api.assignWaiting(n);
  } catch (err) {
    ui.actionError = err;
  }
  b.busy = false;
  b.count = null;
  view.refresh();
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
          view.draw();
        },
      },
      t('common.close'),
    ),
  );
}

/** An agent offered for assigning or transferring, with their free places (or "full"). */
export function targetOption(g, selected) {
  return h(
    'option',
    { value: g.kf_account, selected, dataset: { full: String(g.full) } },
    t(g.full ? 'sessions.full' : 'sessions.free', { nick: g.nickname || g.kf_account, n: g.free }),
  );
}
