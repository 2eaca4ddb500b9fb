// Agents page: the merged agent list (search, filter, sort, refresh) and managing agents:
// add (with an invitation in the same flow), edit the nickname, invite again, delete.
// Forms keep what the user typed through every error.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { bindingState, onlineLabel, loadLabel } from '../../lib/format.js';
import { visibleAgents, countOnline, groupsOf, toggleMember } from '../../lib/mp/agents.js';
import { validateNewAgent, nicknameError, wechatIdError, inviteState } from '../../lib/mp/agent-form.js';
import { t } from '../../i18n.js';
import { errorBox, ownerName, confirmBox, idChip, onScreen } from '../common.js';
import { pickerState, loadPreview, setFile, previewBox, pickerControls } from '../avatar-picker.js';

/** The filter, sort and group chosen survive a restart of the app. */
const VIEW_KEY = 'kefudesk.agents.view';
const ui = { query: '', filter: 'all', sort: 'status', desc: false, group: '', groups: [], refreshing: false, ...savedView() };

function savedView() {
  try {
    const v = JSON.parse(window.localStorage.getItem(VIEW_KEY) ?? '{}');
    const ok = (x, allowed) => (allowed.includes(x) ? x : undefined);
    return Object.fromEntries(
      Object.entries({
        filter: ok(v.filter, ['all', 'online', 'offline', 'unbound']),
        sort: ok(v.sort, ['status', 'nickname', 'load', 'id']),
        desc: v.desc === true,
        group: typeof v.group === 'string' ? v.group : undefined,
      }).filter(([, x]) => x !== undefined),
    );
  } catch {
    return {};
  }
}

function saveView() {
  window.localStorage.setItem(VIEW_KEY, JSON.stringify({ filter: ui.filter, sort: ui.sort, desc: ui.desc, group: ui.group }));
}
let root = null;
let ctx = null;
let agents = [];
/** The add panel: {form, errors, busy, error, avatar: picker state} */
let adding = null;
/** An action on one row: {account, kind: 'edit'|'invite'|'delete', value, error} */
let rowAction = null;
/** The group manager panel: {name, error} */
let managing = null;
/** The outcome of the last action: {kind: 'ok'|'partial'|'error', text, err?, steps?: [{text, err, retry, label, id}]} */
let notice = null;

export async function render(el, context) {
  root = el;
  ctx = context;
  mount(root, h('section', { class: 'page', id: 'agents-page' }, header(false), h('p', { class: 'loading' }, t('common.loading'))));
  try {
    [agents, ui.groups] = await Promise.all([api.listAgents(), api.listGroups()]);
    if (ui.group && !ui.groups.some((g) => g.name === ui.group)) ui.group = '';
  } catch (err) {
    if (onScreen(ctx, 'agents'))
      mount(
        root,
        h(
          'section',
          { class: 'page', id: 'agents-page' },
          header(false),
          errorBox(err, () => render(root, ctx)),
        ),
      );
    return;
  }
  ctx.refreshed();
  draw();
}

/** Reads the list again with the table left in place (greyed while it loads); a failure keeps it and says so. */
async function refreshList() {
  ui.refreshing = true;
  draw();
  try {
    [agents, ui.groups] = await Promise.all([api.listAgents(), api.listGroups()]);
    if (ui.group && !ui.groups.some((g) => g.name === ui.group)) ui.group = '';
    if (notice?.kind === 'error') notice = null;
    ctx.refreshed();
  } catch (err) {
    notice = { kind: 'error', err };
  }
  ui.refreshing = false;
  draw();
}

async function reload() {
  try {
    agents = await api.listAgents();
    ctx.refreshed();
  } catch (err) {
    notice = { kind: 'error', err };
  }
  draw();
}

function draw() {
  if (!onScreen(ctx, 'agents')) return;
  // Wide again, measured again: the language or the agents may have changed what fits.
  foldBelow = NARROW_PX;
  const page = () =>
    h(
      'section',
      { class: 'page', id: 'agents-page' },
      header(true),
      noticeBox(),
      adding && addPanel(),
      managing && groupPanel(),
      toolbar(),
      h('div', { class: `table-wrap${ui.refreshing ? ' refreshing' : ''}`, id: 'agents-table-wrap', 'aria-busy': String(Boolean(ui.refreshing)) }, table()),
    );
  mount(root, page());
  // The wide table does not fit the page (long labels, a pending invite's "Invite again", the
  // Groups action): the narrow layout then serves this width and below, so no action is ever
  // cut off at the right. Measured on the page, before it is painted.
  const body = root.querySelector('#agents-table-wrap');
  if (body && tooWide(body)) {
    foldBelow = root.clientWidth + 1;
    mount(root, page());
  }
  wasNarrow = narrow();
}

function header(loaded) {
  const suffix = ctx.info?.profile?.oa_wechat_id ?? '';
  return h(
    'header',
    { class: 'page-head' },
    h(
      'div',
      {},
      h('h1', {}, t('agents.title')),
      loaded && h('p', { class: 'subtitle', id: 'agents-summary' }, t('agents.subtitle', { count: agents.length, online: countOnline(agents), suffix })),
    ),
    loaded &&
      h(
        'div',
        { class: 'head-actions' },
        !adding && h('button', { type: 'button', class: 'btn primary', id: 'agent-add', onclick: openAdd }, t('agent.add')),
        h(
          'button',
          { type: 'button', class: 'btn', id: 'agents-refresh', disabled: ui.refreshing, 'aria-busy': String(Boolean(ui.refreshing)), onclick: refreshList },
          t('common.refresh'),
        ),
      ),
  );
}

function noticeBox() {
  if (!notice) return null;
  if (notice.kind === 'error') return errorBox(notice.err);
  return h(
    'div',
    { class: `action-notice ${notice.kind}`, id: 'agent-notice', role: 'status' },
    h('span', {}, notice.text),
    (notice.steps ?? []).map((s) =>
      h(
        'div',
        { class: 'failed-step' },
        h('span', {}, s.text),
        ' ',
        h('span', { class: 'error-message' }, s.err.message),
        ' ',
        h('button', { type: 'button', class: 'btn small', id: s.id, onclick: s.retry }, s.label),
      ),
    ),
  );
}

function openAdd() {
  adding = { form: { prefix: '', nickname: '', invite_wx: '' }, errors: {}, busy: false, error: null, avatar: pickerState() };
  notice = null;
  draw();
  root.querySelector('#af-prefix')?.focus();
}

function addField(name, label, hint, extra) {
  const err = adding.errors[name];
  return h(
    'div',
    { class: `field${err ? ' invalid' : ''}`, dataset: { field: name } },
    h('label', { class: 'label', for: `af-${name}` }, label),
    h(
      'div',
      { class: 'with-suffix' },
      h('input', {
        id: `af-${name}`,
        value: adding.form[name],
        autocomplete: 'off',
        spellcheck: 'false',
        oninput: (e) => {
          adding.form[name] = e.target.value;
          // The message was about the old value: take it away as soon as the user edits.
          if (adding.errors[name]) {
            delete adding.errors[name];
            const field = e.target.closest('.field');
            field.classList.remove('invalid');
            field.querySelector('.field-error')?.remove();
          }
        },
      }),
      extra,
    ),
    hint && h('span', { class: 'hint' }, hint),
    err && h('span', { class: 'field-error', role: 'alert' }, t(err)),
  );
}

function avatarField() {
  const p = adding.avatar;
  const err = adding.errors.avatar;
  return h(
    'div',
    { class: `field avatar-field${err || p.error ? ' invalid' : ''}`, dataset: { field: 'avatar' }, id: 'af-avatar' },
    h('span', { class: 'label' }, t('agent.field.avatar')),
    h(
      'div',
      { class: 'avatar-pick' },
      previewBox(p, 'af-avatar-preview'),
      h(
        'div',
        { class: 'avatar-controls' },
        pickerControls(p, draw, 'af-avatar'),
        p.path &&
          h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              id: 'af-avatar-remove',
              disabled: p.busy,
              onclick: () => {
                adding.avatar = pickerState();
                delete adding.errors.avatar;
                draw();
              },
            },
            t('avatar.remove'),
          ),
      ),
    ),
    h('span', { class: 'hint' }, t('agent.field.avatar.hint')),
    p.error && h('span', { class: 'field-error', role: 'alert' }, p.error.message),
    err && !p.error && h('span', { class: 'field-error', role: 'alert' }, t(err)),
  );
}

function addPanel() {
  const suffix = ctx.info?.profile?.oa_wechat_id ?? '';
  return h(
    'form',
    {
      class: 'card agent-form',
      id: 'agent-add-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        create();
      },
    },
    h('h2', {}, t('agent.add.title')),
    addField('prefix', t('agent.field.prefix'), null, h('span', { class: 'suffix' }, `@${suffix}`)),
    addField('nickname', t('agent.field.nickname')),
    avatarField(),
    addField('invite_wx', t('agent.field.invite_wx'), t('agent.field.invite_wx.hint')),
    adding.error && errorBox(adding.error),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', id: 'af-create', disabled: adding.busy || adding.avatar.busy }, t('agent.create')),
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
  adding.errors = validateNewAgent(adding.form, agents.length);
  adding.error = null;
  const pic = adding.avatar;
  if (pic.path && (pic.error || !pic.preview)) adding.errors.avatar = 'agent.err.avatar';
  if (Object.keys(adding.errors).length) return draw();
  adding.busy = true;
  draw();
  const { prefix, nickname, invite_wx: wx } = adding.form;
  const avatar = pic.path ? { path: pic.path, nudge: pic.nudge } : null;
  try {
    const out = await api.addAgent(prefix.trim(), nickname.trim(), wx.trim(), avatar);
    adding = null;
    const account = out.kf_account;
    const steps = [];
    if (out.avatar_error) {
      steps.push({
        text: t('agent.avatarFailed'),
        err: out.avatar_error,
        id: 'agent-retry-avatar',
        label: t('agent.retryAvatar'),
        retry: () => openAvatar(account, avatar.path, avatar.nudge),
      });
    }
    if (out.invite_error) {
      steps.push({
        text: t('agent.inviteFailed'),
        err: out.invite_error,
        id: 'agent-retry-invite',
        label: t('agent.retryInvite'),
        retry: () => openRow(account, 'invite', wx.trim()),
      });
    }
    notice = steps.length ? { kind: 'partial', text: t('agent.createdButSteps', { account }), steps } : { kind: 'ok', text: t('agent.created', { account }) };
    await reload();
  } catch (err) {
    adding.busy = false;
    adding.error = err;
    draw();
  }
}

function toolbar() {
  const onQuery = (e) => {
    if (e.target.value === ui.query) return;
    ui.query = e.target.value;
    draw();
  };
  // 'search' fires on the field's own clear button, 'change' when cleared programmatically.
  const search = h('input', {
    type: 'search',
    id: 'agents-search',
    placeholder: t('agents.searchPlaceholder'),
    'aria-label': t('common.search'),
    value: ui.query,
    oninput: onQuery,
    onsearch: onQuery,
    onchange: onQuery,
  });
  const filters = h(
    'div',
    { class: 'segmented', role: 'group' },
    ['all', 'online', 'offline', 'unbound'].map((f) =>
      h(
        'button',
        {
          type: 'button',
          class: f === ui.filter ? 'on' : '',
          dataset: { filter: f },
          'aria-pressed': String(f === ui.filter),
          onclick: () => {
            ui.filter = f;
            saveView();
            draw();
          },
        },
        t(`agents.filter.${f}`),
      ),
    ),
  );
  const sort = h(
    'label',
    { class: 'sort' },
    t('agents.sort'),
    ' ',
    h(
      'select',
      {
        id: 'agents-sort',
        onchange: (e) => {
          ui.sort = e.target.value;
          ui.desc = false;
          saveView();
          draw();
        },
      },
      ['status', 'nickname', 'load', 'id'].map((s) => h('option', { value: s, selected: s === ui.sort }, t(`agents.sort.${s}`))),
    ),
  );
  const group = h(
    'select',
    {
      id: 'agents-group',
      'aria-label': t('agent.groups'),
      onchange: (e) => {
        ui.group = e.target.value;
        saveView();
        draw();
      },
    },
    h('option', { value: '' }, t('group.all')),
    ui.groups.map((g) => h('option', { value: g.name, selected: g.name === ui.group }, g.name)),
  );
  const manage = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      id: 'groups-manage',
      onclick: () => {
        managing = { name: '', error: null };
        draw();
      },
    },
    t('group.manage'),
  );
  return h('div', { class: 'toolbar' }, search, filters, sort, group, manage);
}

function table() {
  if (!agents.length) return h('p', { class: 'empty' }, t('agents.empty'));
  const rows = visibleAgents(agents, ui);
  if (!rows.length) return h('p', { class: 'empty' }, t('agents.noMatch', { query: ui.query }));
  const now = Date.now() / 1000;
  // On a narrow window the staff number moves under the name and the actions into a menu, so
  // every row fits without scrolling sideways.
  return h(
    'table',
    { id: 'agents-table', class: narrow() ? 'grid narrow' : 'grid' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['agent', 'id', 'binding', 'status', 'load'].map((c) => {
          // A click on a header sorts by it (the sort menu follows); again, the other way round.
          const by = HEADER_SORTS[c];
          const on = by && by === ui.sort;
          return h(
            'th',
            { scope: 'col', class: `c-${c}`, 'aria-sort': on ? (ui.desc ? 'descending' : 'ascending') : null },
            by
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: `th-sort${on ? ' on' : ''}`,
                    dataset: { sort: by },
                    onclick: () => {
                      ui.desc = on ? !ui.desc : false;
                      ui.sort = by;
                      saveView();
                      draw();
                    },
                  },
                  t(`agents.col.${c}`),
                )
              : t(`agents.col.${c}`),
          );
        }),
        h('th', { scope: 'col' }, t('agent.col.actions')),
      ),
    ),
    h(
      'tbody',
      {},
      rows.flatMap((a) => [row(a, now), rowAction?.account === a.kf_account ? actionRow(a) : null].filter(Boolean)),
    ),
  );
}

function row(a, now) {
  const binding = bindingState(a, now, t);
  const initial = [...(a.nickname || '?')][0];
  const invite = inviteState(a, now);
  return h(
    'tr',
    { key: `agent:${a.kf_account}`, dataset: { account: a.kf_account } },
    h(
      'td',
      { class: 'agent' },
      h(
        'div',
        { class: 'who' },
        a.avatar_url
          ? h('img', { class: 'avatar', src: api.avatarSrc(a.avatar_url), alt: '', loading: 'lazy', width: 36, height: 36 })
          : h('span', { class: 'avatar placeholder', 'aria-hidden': 'true' }, initial),
        h(
          'div',
          { class: 'name-id' },
          h(
            'span',
            { class: 'nick' },
            a.nickname,
            groupsOf(ui.groups, a.kf_account).map((g) => h('span', { class: 'tag' }, g)),
          ),
          idChip(a.kf_account),
          narrow() && h('span', { class: 'kfid-inline' }, `${t('agents.col.id')} ${a.kf_id}`),
        ),
      ),
    ),
    h('td', { class: 'kfid' }, a.kf_id),
    h('td', { class: `binding ${binding.kind}` }, binding.text),
    h('td', { class: `online s${a.online_status > 0 ? 'on' : 'off'}` }, h('span', { class: 'dot' }), onlineLabel(a.online_status, t)),
    h('td', { class: 'load' }, loadLabel(a, t)),
    h('td', { class: 'row-actions' }, rowActions(a, invite)),
  );
}

/** A choice made in a "More" menu closes it (a redraw keeps a menu open as the user left it). */
function closeMenu(e) {
  if (e.target.closest('button')) e.currentTarget.closest('details').open = false;
}

/** Edit first; the rest inline on a wide window, folded into a "More" menu on a narrow one. */
function rowActions(a, invite) {
  const rest = [
    h('button', { type: 'button', class: 'link avatar-btn', onclick: () => openAvatar(a.kf_account, null) }, t('avatar.change')),
    ui.groups.length > 0 && h('button', { type: 'button', class: 'link groups', onclick: () => openRow(a.kf_account, 'groups', '') }, t('agent.groups')),
    h(
      'button',
      {
        type: 'button',
        class: 'link invite',
        disabled: !invite.ok,
        title: invite.reason ? t(invite.reason) : null,
        onclick: () => openRow(a.kf_account, 'invite', ''),
      },
      t(a.invite ? 'agent.reinvite' : 'agent.invite'),
    ),
    h('button', { type: 'button', class: 'link danger delete', onclick: () => openRow(a.kf_account, 'delete', '') }, t('agent.delete')),
  ];
  return [
    h('button', { type: 'button', class: 'link edit', onclick: () => openRow(a.kf_account, 'edit', a.nickname) }, t('agent.edit')),
    narrow()
      ? h(
          'details',
          { class: 'more-menu' },
          h('summary', { class: 'link more' }, t('common.more')),
          h('div', { class: 'more-items', onclick: closeMenu }, rest),
        )
      : rest,
  ];
}

/** The sort a column header stands for. */
const HEADER_SORTS = { agent: 'nickname', id: 'id', status: 'status', load: 'load' };

/** Below this page width the row actions fold into a menu (and below `foldBelow`, where the
 * wide table was measured not to fit). */
const NARROW_PX = 900;
let foldBelow = NARROW_PX;
const narrow = () => (root?.clientWidth ?? window.innerWidth) < foldBelow;
/** The wide table, on the page, is wider than its frame. */
const tooWide = (body) => body.isConnected && !narrow() && body.scrollWidth > body.clientWidth;
let wasNarrow = null;
window.addEventListener('resize', () => {
  const body = root?.querySelector('#agents-table-wrap');
  if (!body || !root.querySelector('#agents-table')) return;
  if (narrow() !== wasNarrow || tooWide(body)) draw();
});

function openRow(account, kind, value) {
  rowAction = { account, kind, value, error: null, busy: false };
  if (kind === 'invite') notice = null;
  draw();
  root.querySelector('#row-action input')?.focus();
}

function actionRow(a) {
  const r = rowAction;
  const cancel = h(
    'button',
    {
      type: 'button',
      'data-close': true,
      class: 'btn',
      onclick: () => {
        rowAction = null;
        draw();
      },
    },
    t('common.cancel'),
  );
  const input = (placeholder) =>
    h('input', {
      value: r.value,
      placeholder,
      autocomplete: 'off',
      spellcheck: 'false',
      oninput: (e) => {
        r.value = e.target.value;
      },
    });
  let content;
  if (r.kind === 'avatar') {
    content = avatarContent(a, r);
  } else if (r.kind === 'groups') {
    content = [
      ...ui.groups.map((g) =>
        h(
          'label',
          { class: 'check-inline' },
          h('input', {
            type: 'checkbox',
            dataset: { group: g.name },
            checked: g.members.includes(a.kf_account),
            onchange: (e) => saveGroups(toggleMember(ui.groups, g.name, a.kf_account, e.target.checked)),
          }),
          ' ',
          g.name,
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-close': true,
          class: 'btn',
          onclick: () => {
            rowAction = null;
            draw();
          },
        },
        t('group.close'),
      ),
    ];
  } else if (r.kind === 'delete') {
    content = [
      h('span', {}, t('agent.deleteConfirm', { nick: a.nickname, account: a.kf_account, oa: ownerName(ctx) })),
      h(
        'button',
        {
          type: 'button',
          class: 'btn danger confirm-yes',
          disabled: r.busy,
          onclick: () => act(() => api.deleteAgent(a.kf_account), t('agent.deleted', { account: a.kf_account })),
        },
        t('agent.delete'),
      ),
      cancel,
    ];
  } else if (r.kind === 'edit') {
    content = [
      h('label', {}, t('agent.field.nickname'), ' ', input('')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary save',
          disabled: r.busy,
          onclick: () => {
            const err = nicknameError(r.value);
            if (err) {
              r.error = { message: t(err), code: 'invalid_input' };
              return draw();
            }
            act(() => api.updateAgent(a.kf_account, r.value.trim()), t('agent.saved'));
          },
        },
        t('common.save'),
      ),
      cancel,
    ];
  } else {
    content = [
      h('label', {}, t('agent.field.wechatId'), ' ', input('wxid')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary send',
          disabled: r.busy,
          onclick: () => {
            const err = wechatIdError(r.value);
            if (err) {
              r.error = { message: t(err), code: 'invalid_input' };
              return draw();
            }
            act(() => api.inviteAgent(a.kf_account, r.value.trim()), t('agent.invited', { wx: r.value.trim() }));
          },
        },
        t('agent.invite'),
      ),
      cancel,
    ];
  }
  return h(
    'tr',
    { class: 'action-row', id: 'row-action', dataset: { for: a.kf_account, kind: r.kind } },
    h(
      'td',
      { colspan: 7 },
      h('div', { class: 'inline-form' }, content),
      (r.error ?? r.pic?.error) && h('p', { class: 'error-message', role: 'alert' }, (r.error ?? r.pic.error).message),
    ),
  );
}

async function act(call, okText) {
  rowAction.busy = true;
  draw();
  try {
    await call();
    rowAction = null;
    notice = { kind: 'ok', text: okText };
    await reload();
  } catch (err) {
    rowAction.busy = false;
    rowAction.error = err;
    draw();
  }
}

function groupPanel() {
  const m = managing;
  return h(
    'form',
    {
      class: 'card group-panel',
      id: 'group-panel',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        const name = m.name.trim();
        if (!name || [...name].length > 20 || ui.groups.some((g) => g.name === name)) {
          m.error = { message: t('group.err.name') };
          return draw();
        }
        m.name = '';
        saveGroups([...ui.groups, { name, members: [] }]);
      },
    },
    h('h2', {}, t('group.title')),
    h('p', { class: 'hint' }, t('group.hint')),
    ui.groups.length
      ? h(
          'ul',
          { class: 'group-list' },
          ui.groups.map((g) =>
            h(
              'li',
              { dataset: { group: g.name } },
              h('span', { class: 'tag' }, g.name),
              ` ${g.members.length} `,
              m.removing === g.name
                ? confirmBox(
                    t('group.deleteConfirm', { name: g.name, n: g.members.length }),
                    t('group.delete'),
                    () => {
                      m.removing = null;
                      saveGroups(ui.groups.filter((x) => x.name !== g.name));
                    },
                    () => {
                      m.removing = null;
                      draw();
                    },
                    'group-remove-confirm',
                  )
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'link danger remove-group',
                      onclick: () => {
                        m.removing = g.name;
                        draw();
                      },
                    },
                    t('group.delete'),
                  ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, t('group.none')),
    h(
      'div',
      { class: 'inline-form' },
      h('input', {
        id: 'group-new',
        value: m.name,
        placeholder: t('group.new'),
        oninput: (e) => {
          m.name = e.target.value;
          m.error = null;
        },
      }),
      h('button', { type: 'submit', class: 'btn primary', id: 'group-create' }, t('group.create')),
      h(
        'button',
        {
          type: 'button',
          'data-close': true,
          class: 'btn',
          onclick: () => {
            managing = null;
            draw();
          },
        },
        t('group.close'),
      ),
    ),
    m.error && h('p', { class: 'error-message', role: 'alert' }, m.error.message),
  );
}

async function saveGroups(groups) {
  try {
    ui.groups = await api.saveGroups(groups);
    if (ui.group && !ui.groups.some((g) => g.name === ui.group)) ui.group = '';
  } catch (err) {
    notice = { kind: 'error', err };
  }
  draw();
}

// ---- avatars: drop a picture on an agent (or pick one), preview, nudge the crop, upload ----

function openAvatar(account, path, nudge) {
  rowAction = { account, kind: 'avatar', value: '', error: null, busy: false, pic: pickerState(path) };
  if (nudge) rowAction.pic.nudge = nudge;
  notice = null;
  draw();
  if (path) loadPreview(rowAction.pic, draw);
}

function avatarContent(a, r) {
  const p = r.pic;
  return [
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
          onclick: () => act(() => api.uploadAvatar(a.kf_account, p.path, p.nudge), t('avatar.uploaded', { account: a.kf_account })),
        },
        t('avatar.upload'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-close': true,
          class: 'btn',
          onclick: () => {
            rowAction = null;
            draw();
          },
        },
        t('common.cancel'),
      ),
    ),
  ];
}

/**
 * A file dropped on the window (Tauri's drag-drop event, in physical pixels): onto an agent's
 * row → that agent's avatar; onto the Add agent form (or anywhere while it is open) → the new
 * agent's avatar; onto an open avatar panel → that agent.
 */
export function handleDrop(paths, position) {
  if (!root || !onScreen(ctx, 'agents') || !paths?.length) return;
  const ratio = window.devicePixelRatio || 1;
  const under = position ? document.elementFromPoint(position.x / ratio, position.y / ratio) : null;
  const onForm = adding && (under?.closest?.('#agent-add-form') || !under?.closest?.('tr[data-account], #row-action'));
  if (onForm) return setFile(adding.avatar, paths[0], draw);
  const row = /** @type {HTMLElement|null|undefined} */ (under?.closest?.('tr[data-account]'));
  const account = row?.dataset.account ?? (rowAction?.kind === 'avatar' ? rowAction.account : null);
  if (!account) {
    notice = { kind: 'partial', text: t('avatar.dropOnAgent') };
    return draw();
  }
  openAvatar(account, paths[0]);
}
