// Servicers 接待人员 (WeCom): who serves an account — people (by name where the directory is
// known, the UserID beside) and whole departments — with their receiving status; add several
// at once (typed UserIDs, people ticked from the directory, departments) and remove the ones
// ticked, each person's or department's own result shown.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { parseUserids, summarise, servicerLabel, sortServicers } from '../../lib/wecom/accounts.js';
import { t } from '../../i18n.js';
import { errorBox, idChip, confirmBox, tableSort, sortTh, onScreen } from '../common.js';
import { sortRows } from '../../lib/sort.js';
import { loadChoice, accountSelect } from './account-choice.js';

let root = null;
let ctx = null;
let choice = null;
/** {rows, directory} of the chosen account */
let data = null;
let loadError = null;
/** Ticked rows to remove: keys `u:<userid>` / `d:<id>`. */
let ticked = new Set();
let confirmRemove = false;
/** The add panel: {text, people: Set, departments: Set, busy, error} */
let adding = null;
/** The last add/remove: {verb: 'add'|'remove', outcomes} */
let results = null;
let actionError = null;

export async function render(el, context) {
  root = el;
  ctx = context;
  // Opening the page (again) starts without the previous visit's results, ticks and panels.
  ticked = new Set();
  confirmRemove = false;
  adding = null;
  results = null;
  actionError = null;
  mount(root, page(h('p', { class: 'loading' }, t('common.loading'))));
  try {
    choice = await loadChoice(ctx);
    loadError = null;
  } catch (err) {
    loadError = err;
    return draw();
  }
  await reload();
}

async function reload() {
  if (!choice?.chosen) return draw();
  try {
    data = await api.listServicers(choice.chosen.open_kfid);
    loadError = null;
    ctx.refreshed();
  } catch (err) {
    loadError = err;
  }
  draw();
}

function page(...content) {
  return h(
    'section',
    { class: 'page', id: 'servicers-page' },
    h(
      'header',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, t('servicers.title')), h('p', { class: 'subtitle', id: 'servicers-summary' }, summaryText())),
      h(
        'div',
        { class: 'head-actions' },
        choice?.chosen &&
          !adding &&
          !readOnly() &&
          h('button', { type: 'button', class: 'btn primary', id: 'servicers-add', onclick: openAdd }, t('servicers.add')),
        h('button', { type: 'button', class: 'btn', id: 'servicers-refresh', onclick: () => render(root, ctx) }, t('common.refresh')),
      ),
    ),
    ...content,
  );
}

function readOnly() {
  return choice?.chosen?.manage_privilege === false;
}

function summaryText() {
  if (!data) return '';
  const people = data.rows.filter((r) => r.userid);
  return t('servicers.subtitle', {
    people: people.length,
    receiving: people.filter((r) => r.status === 'receiving').length,
    departments: data.rows.length - people.length,
  });
}

function draw() {
  if (!root || !onScreen(ctx, 'servicers')) return;
  mount(
    root,
    page(
      choice &&
        accountSelect(choice, () => {
          ticked = new Set();
          results = null;
          adding = null;
          data = null;
          reload();
        }),
      loadError && errorBox(loadError, () => render(root, ctx)),
      readOnly() && h('p', { class: 'notice' }, t('servicers.readOnly')),
      actionError && errorBox(actionError),
      results && resultsBox(),
      adding && addPanel(),
      data && list(),
    ),
  );
}

const key = (r) => (r.userid ? `u:${r.userid}` : `d:${r.department_id}`);

/** Receiving first, then by name; a header click sorts by that column instead (kept across restarts). */
const sorter = tableSort('servicers', ['who', 'status'], { key: '', desc: false });
const COLUMNS = {
  who: (r) => servicerLabel(r, t),
  status: (r) => (r.userid ? ({ receiving: 0, paused: 1, stopped: 2 }[r.status] ?? 3) : 4),
};

function statusBadge(r) {
  if (!r.userid) return h('span', { class: 'badge muted' }, t('servicers.wholeDepartment'));
  return h('span', { class: `badge status-${r.status}` }, t(`servicers.status.${r.status}`));
}

function list() {
  if (!data.rows.length) return h('p', { class: 'empty', id: 'servicers-empty' }, t('servicers.empty'));
  const rows = sortRows(sortServicers(data.rows, t), sorter.get(), COLUMNS);
  const chosen = rows.filter((r) => ticked.has(key(r)));
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'grid', id: 'servicers-table' },
      h('thead', {}, h('tr', {}, h('th', {}), sortTh(sorter, 'who', t('servicers.col.who'), draw), sortTh(sorter, 'status', t('servicers.col.status'), draw))),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            { dataset: { key: key(r) } },
            h(
              'td',
              { class: 'tick' },
              !readOnly() &&
                h('input', {
                  type: 'checkbox',
                  'aria-label': t('servicers.tick', { who: servicerLabel(r, t) }),
                  checked: ticked.has(key(r)),
                  onchange: (e) => {
                    if (e.target.checked) ticked.add(key(r));
                    else ticked.delete(key(r));
                    confirmRemove = false;
                    draw();
                  },
                }),
            ),
            h(
              'td',
              { class: 'who-cell' },
              h('div', { class: 'nick' }, servicerLabel(r, t)),
              r.userid ? idChip(r.userid, servicerLabel(r, t)) : h('span', { class: 'id' }, t('servicers.departmentId', { id: r.department_id })),
            ),
            h('td', { class: 'status' }, statusBadge(r)),
          ),
        ),
      ),
    ),
    !readOnly() &&
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn danger',
            id: 'servicers-remove',
            disabled: !chosen.length,
            onclick: () => {
              confirmRemove = true;
              draw();
            },
          },
          t('servicers.remove', { n: chosen.length }),
        ),
        confirmRemove &&
          chosen.length &&
          confirmBox(
            t('servicers.removeConfirm', { names: chosen.map((r) => servicerLabel(r, t)).join('、'), account: choice.chosen.name }),
            t('servicers.removeYes'),
            () => remove(chosen),
            () => {
              confirmRemove = false;
              draw();
            },
            'servicers-remove-confirm',
          ),
      ),
  );
}

function openAdd() {
  adding = { text: '', people: new Set(), departments: new Set(), busy: false, error: null };
  results = null;
  draw();
  root.querySelector('#servicers-userids')?.focus();
}

function addPanel() {
  const dir = data?.directory;
  const serving = new Set((data?.rows ?? []).map(key));
  return h(
    'form',
    {
      class: 'card agent-form',
      id: 'servicers-add-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        add();
      },
    },
    h('h2', {}, t('servicers.add.title', { name: choice.chosen.name })),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'label', for: 'servicers-userids' }, t('servicers.userids')),
      h(
        'textarea',
        {
          id: 'servicers-userids',
          rows: 3,
          spellcheck: 'false',
          oninput: (e) => {
            adding.text = e.target.value;
          },
        },
        adding.text,
      ),
      h('span', { class: 'hint' }, t('servicers.userids.hint')),
    ),
    dir?.known &&
      h(
        'details',
        { class: 'directory', open: true },
        h('summary', {}, t('servicers.fromDirectory')),
        dir.departments
          .filter((d) => d.id !== 1)
          .map((d) =>
            h(
              'fieldset',
              { class: 'dept' },
              h(
                'legend',
                {},
                h(
                  'label',
                  {},
                  h('input', {
                    type: 'checkbox',
                    class: 'pick-dept',
                    value: d.id,
                    disabled: serving.has(`d:${d.id}`),
                    checked: adding.departments.has(d.id),
                    onchange: (e) => {
                      if (e.target.checked) adding.departments.add(d.id);
                      else adding.departments.delete(d.id);
                    },
                  }),
                  ' ',
                  t('servicers.wholeDept', { name: d.name }),
                ),
              ),
              dir.staff
                .filter((p) => p.department === d.id)
                .map((p) =>
                  h(
                    'label',
                    { class: 'person' },
                    h('input', {
                      type: 'checkbox',
                      class: 'pick-person',
                      value: p.userid,
                      disabled: serving.has(`u:${p.userid}`),
                      checked: adding.people.has(p.userid),
                      onchange: (e) => {
                        if (e.target.checked) adding.people.add(p.userid);
                        else adding.people.delete(p.userid);
                      },
                    }),
                    ' ',
                    p.name,
                    ' ',
                    h('span', { class: 'id' }, p.userid),
                  ),
                ),
            ),
          ),
      ),
    !dir?.known && h('p', { class: 'hint' }, t('servicers.noDirectory')),
    adding.error && errorBox(adding.error),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', id: 'servicers-add-submit', disabled: adding.busy }, t('servicers.add.submit')),
      h(
        'button',
        {
          type: 'button',
          'data-close': true,
          class: 'btn',
          onclick: () => {
            adding = null;
            draw();
          },
        },
        t('common.cancel'),
      ),
    ),
  );
}

async function add() {
  const userids = [...new Set([...parseUserids(adding.text), ...adding.people])];
  const departments = [...adding.departments];
  adding.busy = true;
  adding.error = null;
  draw();
  try {
    const outcomes = await api.addServicers(choice.chosen.open_kfid, userids, departments);
    results = { verb: 'add', outcomes };
    adding = null;
    await reload();
  } catch (err) {
    adding.busy = false;
    adding.error = err;
    draw();
  }
}

async function remove(rows) {
  confirmRemove = false;
  actionError = null;
  try {
    const outcomes = await api.removeServicers(
      choice.chosen.open_kfid,
      rows.filter((r) => r.userid).map((r) => r.userid),
      rows.filter((r) => !r.userid).map((r) => r.department_id),
    );
    results = { verb: 'remove', outcomes };
    ticked = new Set();
    await reload();
  } catch (err) {
    actionError = err;
    draw();
  }
}

function who(o) {
  const row = o.userid ? data?.directory?.staff.find((p) => p.userid === o.userid) : data?.directory?.departments.find((d) => d.id === o.department_id);
  const id = o.userid ?? t('servicers.departmentId', { id: o.department_id });
  return row ? t('servicers.who', { name: row.name, id }) : id;
}

function resultsBox() {
  const c = summarise(results.outcomes);
  return h(
    'div',
    { class: `action-notice ${c.failed ? 'partial' : 'ok'}`, id: 'servicers-results', role: 'status' },
    h('span', {}, t(`servicers.result.${results.verb}`, c)),
    h(
      'ul',
      {},
      results.outcomes.map((o) =>
        h(
          'li',
          { class: `outcome ${o.outcome}`, dataset: { who: o.userid ?? `d${o.department_id}` } },
          who(o),
          ' — ',
          o.outcome === 'failed' ? o.message : t(`servicers.outcome.${results.verb}.${o.outcome}`),
        ),
      ),
    ),
  );
}
