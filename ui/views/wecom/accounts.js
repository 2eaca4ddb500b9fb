// Kf accounts 客服账号 (WeCom): every account with its avatar, ID, whether this app may manage
// it, and its servicers; add (name + required avatar, dropped or chosen), rename, change the
// avatar by dropping a picture onto a row, delete after a confirmation naming the account.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { accountNameError } from '../../lib/wecom/accounts.js';
import { t } from '../../i18n.js';
import { errorBox, idChip, confirmBox, ownerName, tableSort, sortTh, onScreen } from '../common.js';
import { sortRows } from '../../lib/sort.js';
import { pickerState, loadPreview, setFile, previewBox, pickerControls } from '../avatar-picker.js';

let root = null;
let ctx = null;
let accounts = [];
/** The add panel: {name, error, busy, fieldError, pic} */
let adding = null;
/** An action on one row: {id, kind: 'rename'|'avatar'|'delete', value, error, busy, pic} */
let rowAction = null;
/** The outcome of the last action: {kind: 'ok'|'error', text?, err?} */
let notice = null;
let loadError = null;
/** Welcome words by open_kfid, and whether news is read at once (a callback relay). */
let welcome = { words: {}, relay: false };

export async function render(el, context) {
  root = el;
  ctx = context;
  // Opening the page (again) starts without the previous visit's notice and panels.
  notice = null;
  rowAction = null;
  if (!accounts.length) mount(root, page(h('p', { class: 'loading' }, t('common.loading'))));
  await reload();
}

async function reload() {
  try {
    accounts = await api.listKfAccounts();
    welcome = await api.welcomeWords().catch(() => welcome);
    loadError = null;
    ctx.refreshed();
  } catch (err) {
    loadError = err;
  }
  draw();
}

function page(...content) {
  const managed = accounts.filter((a) => a.manage_privilege !== false).length;
  return h(
    'section',
    { class: 'page', id: 'kfaccounts-page' },
    h(
      'header',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, t('kf.title')), h('p', { class: 'subtitle', id: 'kfaccounts-summary' }, t('kf.subtitle', { count: accounts.length, managed }))),
      h(
        'div',
        { class: 'head-actions' },
        !adding && h('button', { type: 'button', class: 'btn primary', id: 'kf-add', onclick: openAdd }, t('kf.add')),
        h('button', { type: 'button', class: 'btn', id: 'kf-refresh', onclick: reload }, t('common.refresh')),
      ),
    ),
    ...content,
  );
}

function draw() {
  if (!root || !onScreen(ctx, 'kfaccounts')) return;
  mount(root, page(loadError && errorBox(loadError, reload), noticeBox(), adding && addPanel(), h('div', { class: 'table-wrap' }, table())));
}

function noticeBox() {
  if (!notice) return null;
  if (notice.kind === 'error') return errorBox(notice.err);
  return h('div', { class: `action-notice ${notice.kind}`, id: 'kf-notice', role: 'status' }, notice.text);
}

function openAdd() {
  adding = { name: '', error: null, fieldError: null, busy: false, pic: pickerState() };
  notice = null;
  draw();
  root.querySelector('#kf-name')?.focus();
}

function addPanel() {
  const p = adding.pic;
  return h(
    'form',
    {
      class: 'card agent-form',
      id: 'kf-add-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        create();
      },
    },
    h('h2', {}, t('kf.add.title')),
    h(
      'div',
      { class: `field${adding.fieldError ? ' invalid' : ''}`, dataset: { field: 'name' } },
      h('label', { class: 'label', for: 'kf-name' }, t('kf.field.name')),
      h('input', {
        id: 'kf-name',
        value: adding.name,
        autocomplete: 'off',
        maxlength: 32,
        oninput: (e) => {
          adding.name = e.target.value;
          if (adding.fieldError) {
            adding.fieldError = null;
            e.target.closest('.field').classList.remove('invalid');
            e.target.closest('.field').querySelector('.field-error')?.remove();
          }
        },
      }),
      h('span', { class: 'hint' }, t('kf.field.name.hint')),
      adding.fieldError && h('span', { class: 'field-error', role: 'alert' }, t(adding.fieldError)),
    ),
    h(
      'div',
      { class: `field avatar-field${p.error || adding.avatarError ? ' invalid' : ''}`, id: 'kf-avatar' },
      h('span', { class: 'label' }, t('kf.field.avatar')),
      h('div', { class: 'avatar-pick' }, previewBox(p, 'kf-avatar-preview'), h('div', { class: 'avatar-controls' }, pickerControls(p, draw, 'kf-avatar'))),
      h('span', { class: 'hint' }, t('kf.field.avatar.hint')),
      p.error && h('span', { class: 'field-error', role: 'alert' }, p.error.message),
      adding.avatarError && !p.error && h('span', { class: 'field-error', role: 'alert' }, t(adding.avatarError)),
    ),
    adding.error && errorBox(adding.error),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', id: 'kf-create', disabled: adding.busy || p.busy }, t('kf.create')),
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

async function create() {
  adding.fieldError = accountNameError(adding.name);
  adding.avatarError = adding.pic.path && adding.pic.preview ? null : 'kf.err.avatar';
  adding.error = null;
  if (adding.fieldError || adding.avatarError) return draw();
  adding.busy = true;
  draw();
  try {
    const name = adding.name.trim();
    await api.addKfAccount(name, { path: adding.pic.path, nudge: adding.pic.nudge });
    adding = null;
    notice = { kind: 'ok', text: t('kf.created', { name }) };
    await reload();
  } catch (err) {
    adding.busy = false;
    adding.error = err;
    draw();
  }
}

function servicersText(a) {
  if (a.servicer_users == null) return t('kf.servicers.unknown');
  return t('kf.servicers.count', { users: a.servicer_users, departments: a.servicer_departments });
}

/** The table starts in WeCom's order; a header click sorts (kept across restarts). */
const sorter = tableSort('kf-accounts', ['account', 'manage', 'servicers'], { key: '', desc: false });
const COLUMNS = {
  account: (a) => a.name,
  manage: (a) => (a.manage_privilege === false ? 1 : 0),
  servicers: (a) => a.servicer_users ?? '',
};

function table() {
  if (!accounts.length) return h('p', { class: 'empty' }, loadError ? '' : t('kf.empty'));
  return h(
    'table',
    { class: 'grid', id: 'kf-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['account', 'manage', 'servicers'].map((c) => sortTh(sorter, c, t(`kf.col.${c}`), draw)),
        h('th', {}),
      ),
    ),
    h(
      'tbody',
      {},
      sortRows(accounts, sorter.get(), COLUMNS).flatMap((a) => {
        const readOnly = a.manage_privilege === false;
        const tr = h(
          'tr',
          { key: `kf:${a.open_kfid}`, dataset: { kfid: a.open_kfid }, class: readOnly ? 'read-only' : '' },
          h(
            'td',
            { class: 'agent' },
            h(
              'div',
              { class: 'who' },
              a.avatar_url
                ? h('img', { class: 'avatar', src: api.avatarSrc(a.avatar_url), alt: '', width: 36, height: 36 })
                : h('span', { class: 'avatar placeholder' }),
              h('div', { class: 'name-id' }, h('div', { class: 'nick' }, a.name), idChip(a.open_kfid, a.name)),
            ),
          ),
          h(
            'td',
            { class: 'manage' },
            readOnly
              ? h('span', { class: 'badge muted', title: t('kf.readOnly.why') }, t('kf.readOnly'))
              : h('span', { class: 'badge ok' }, t(a.manage_privilege === true ? 'kf.managed' : 'kf.managedUnknown')),
          ),
          h('td', { class: 'servicers' }, servicersText(a)),
          h(
            'td',
            { class: 'row-actions' },
            h('button', { type: 'button', class: 'link get-link', onclick: () => ctx.open('kflinks', { open_kfid: a.open_kfid }) }, t('kf.action.link')),
            h(
              'button',
              { type: 'button', class: 'link servicers', onclick: () => ctx.open('servicers', { open_kfid: a.open_kfid }) },
              t('kf.action.servicers'),
            ),
            !readOnly &&
              h(
                'button',
                {
                  type: 'button',
                  class: 'link welcome',
                  title: welcome.words[a.open_kfid] ?? '',
                  onclick: () => openRow(a.open_kfid, 'welcome', welcome.words[a.open_kfid] ?? ''),
                },
                t(welcome.words[a.open_kfid] ? 'kf.action.welcomeOn' : 'kf.action.welcome'),
              ),
            !readOnly && h('button', { type: 'button', class: 'link rename', onclick: () => openRow(a.open_kfid, 'rename', a.name) }, t('kf.action.rename')),
            !readOnly && h('button', { type: 'button', class: 'link avatar-btn', onclick: () => openRow(a.open_kfid, 'avatar') }, t('kf.action.avatar')),
            !readOnly && h('button', { type: 'button', class: 'link danger delete', onclick: () => openRow(a.open_kfid, 'delete') }, t('kf.action.delete')),
          ),
        );
        const rows = [tr];
        if (readOnly) rows.push(h('tr', { class: 'row-note', key: `kf-note:${a.open_kfid}` }, h('td', { colspan: 4, class: 'hint' }, t('kf.readOnly.why'))));
        if (rowAction?.id === a.open_kfid) rows.push(h('tr', { class: 'row-action', id: 'row-action' }, h('td', { colspan: 4 }, rowPanel(a))));
        return rows;
      }),
    ),
  );
}

function openRow(id, kind, value = '', path = null) {
  rowAction = { id, kind, value, error: null, busy: false, pic: pickerState(path) };
  notice = null;
  draw();
  if (path) loadPreview(rowAction.pic, draw);
  root.querySelector('#row-action input, #row-action textarea')?.focus();
}

async function act(fn, okText) {
  rowAction.busy = true;
  rowAction.error = null;
  draw();
  try {
    await fn();
    rowAction = null;
    notice = { kind: 'ok', text: okText };
    await reload();
  } catch (err) {
    if (rowAction) {
      rowAction.busy = false;
      rowAction.error = err;
    }
    draw();
  }
}

function rowPanel(a) {
  const r = rowAction;
  const close = () => {
    rowAction = null;
    draw();
  };
  let content;
  if (r.kind === 'delete') {
    content = confirmBox(
      t('kf.deleteConfirm', { name: a.name, id: a.open_kfid, oa: ownerName(ctx) }),
      t('kf.action.delete'),
      () => act(() => api.deleteKfAccount(a.open_kfid), t('kf.deleted', { name: a.name })),
      close,
      'kf-delete-confirm',
    );
  } else if (r.kind === 'welcome') {
    content = h(
      'form',
      {
        class: 'welcome-form',
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          act(
            async () => {
              welcome = await api.setWelcomeWords(a.open_kfid, r.value);
            },
            t(r.value.trim() ? 'kf.welcome.saved' : 'kf.welcome.removed', { name: a.name }),
          );
        },
      },
      h('label', { for: 'kf-welcome', class: 'label' }, t('kf.welcome.label', { name: a.name })),
      h(
        'textarea',
        {
          id: 'kf-welcome',
          rows: 2,
          placeholder: t('kf.welcome.placeholder'),
          oninput: (e) => {
            r.value = e.target.value;
          },
        },
        r.value,
      ),
      h('p', { class: 'hint' }, t(welcome.relay ? 'kf.welcome.hint' : 'kf.welcome.hintNoRelay')),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn primary', id: 'kf-welcome-save', disabled: r.busy }, t('common.save')),
        h('button', { type: 'button', 'data-close': true, class: 'btn', onclick: close }, t('common.cancel')),
      ),
    );
  } else if (r.kind === 'rename') {
    const err = r.fieldError;
    content = h(
      'form',
      {
        class: 'inline-form',
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          r.fieldError = accountNameError(r.value);
          if (r.fieldError) return draw();
          act(() => api.updateKfAccount(a.open_kfid, r.value.trim(), null), t('kf.renamed', { name: r.value.trim() }));
        },
      },
      h('label', { for: 'kf-rename' }, t('kf.field.name')),
      h('input', {
        id: 'kf-rename',
        value: r.value,
        maxlength: 32,
        oninput: (e) => {
          r.value = e.target.value;
        },
      }),
      h('button', { type: 'submit', class: 'btn primary', disabled: r.busy }, t('common.save')),
      h('button', { type: 'button', 'data-close': true, class: 'btn', onclick: close }, t('common.cancel')),
      err && h('span', { class: 'field-error', role: 'alert' }, t(err)),
    );
  } else {
    const p = r.pic;
    content = h(
      'div',
      { class: 'avatar-pick' },
      previewBox(p),
      h(
        'div',
        { class: 'avatar-controls' },
        pickerControls(p, draw),
        h(
          'button',
          {
            type: 'button',
            class: 'btn primary upload',
            disabled: !p.preview || p.busy || r.busy,
            onclick: () => act(() => api.updateKfAccount(a.open_kfid, null, { path: p.path, nudge: p.nudge }), t('kf.avatarChanged', { name: a.name })),
          },
          t('avatar.upload'),
        ),
        h('button', { type: 'button', 'data-close': true, class: 'btn', onclick: close }, t('common.cancel')),
      ),
      p.error && h('span', { class: 'field-error', role: 'alert' }, p.error.message),
    );
  }
  return h('div', { class: 'row-panel' }, content, r.error && errorBox(r.error));
}

/**
 * A picture dropped on the window (physical pixels): onto the Add form (or anywhere while it is
 * open) → the new account's avatar; onto an account's row or its open avatar panel → that account.
 */
export function handleDrop(paths, position) {
  if (!root || !onScreen(ctx, 'kfaccounts') || !paths?.length) return;
  const ratio = window.devicePixelRatio || 1;
  const under = position ? document.elementFromPoint(position.x / ratio, position.y / ratio) : null;
  if (adding && (under?.closest?.('#kf-add-form') || !under?.closest?.('tr[data-kfid], #row-action'))) {
    return setFile(adding.pic, paths[0], draw);
  }
  const row = /** @type {HTMLElement|null|undefined} */ (under?.closest?.('tr[data-kfid]'));
  const id = row?.dataset.kfid ?? (rowAction?.kind === 'avatar' ? rowAction.id : null);
  const a = accounts.find((x) => x.open_kfid === id);
  if (!a) {
    notice = { kind: 'partial', text: t('kf.dropOnAccount') };
    return draw();
  }
  if (a.manage_privilege === false) {
    notice = { kind: 'partial', text: t('kf.readOnly.why') };
    return draw();
  }
  openRow(a.open_kfid, 'avatar', '', paths[0]);
}
