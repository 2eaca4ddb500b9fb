// Agents page: the merged agent list with search, filter, sort and refresh (read-only for now).
import * as api from '../api.js';
import { h, mount } from '../lib/dom.js';
import { bindingState, onlineLabel, loadLabel } from '../lib/format.js';
import { visibleAgents, countOnline } from '../lib/agents.js';
import { t } from '../i18n.js';
import { errorBox } from './common.js';

const ui = { query: '', filter: 'all', sort: 'status' };

export async function render(root, ctx) {
  mount(root, h('section', { class: 'page', id: 'agents-page' },
    header(null, ctx),
    h('p', { class: 'loading' }, t('common.loading'))));
  let agents;
  try {
    agents = await api.listAgents();
  } catch (err) {
    mount(root, h('section', { class: 'page', id: 'agents-page' },
      header(null, ctx),
      errorBox(err, () => render(root, ctx))));
    return;
  }
  ctx.refreshed();
  const page = h('section', { class: 'page', id: 'agents-page' });
  const body = h('div', { class: 'table-wrap' });
  const draw = () => mount(body, table(agents));
  mount(page, header(agents, ctx, () => render(root, ctx)), toolbar(draw), body);
  draw();
  mount(root, page);
}

function header(agents, ctx, onRefresh) {
  const suffix = ctx.info?.profile?.oa_wechat_id ?? '';
  return h('header', { class: 'page-head' },
    h('div', {},
      h('h1', {}, t('agents.title')),
      agents && h('p', { class: 'subtitle', id: 'agents-summary' },
        t('agents.subtitle', { count: agents.length, online: countOnline(agents), suffix }))),
    onRefresh && h('button', { type: 'button', class: 'btn', id: 'agents-refresh', onclick: onRefresh }, t('common.refresh')));
}

function toolbar(redraw) {
  const onQuery = (e) => {
    if (e.target.value === ui.query) return;
    ui.query = e.target.value;
    redraw();
  };
  // 'search' fires on the field's own clear button, 'change' when cleared programmatically.
  const search = h('input', {
    type: 'search', id: 'agents-search', placeholder: t('agents.searchPlaceholder'),
    'aria-label': t('common.search'), value: ui.query, oninput: onQuery, onsearch: onQuery, onchange: onQuery,
  });
  const filters = h('div', { class: 'segmented', role: 'group' },
    ['all', 'online', 'offline', 'unbound'].map((f) => h('button', {
      type: 'button', class: f === ui.filter ? 'on' : '', dataset: { filter: f }, 'aria-pressed': String(f === ui.filter),
      onclick: (e) => {
        ui.filter = f;
        for (const b of e.target.parentElement.children) {
          b.classList.toggle('on', b.dataset.filter === f);
          b.setAttribute('aria-pressed', String(b.dataset.filter === f));
        }
        redraw();
      },
    }, t(`agents.filter.${f}`))));
  const sort = h('label', { class: 'sort' }, t('agents.sort'), ' ',
    h('select', { id: 'agents-sort', onchange: (e) => { ui.sort = e.target.value; redraw(); } },
      ['status', 'nickname', 'load', 'id'].map((s) => h('option', { value: s, selected: s === ui.sort }, t(`agents.sort.${s}`)))));
  return h('div', { class: 'toolbar' }, search, filters, sort);
}

function table(agents) {
  if (!agents.length) return h('p', { class: 'empty' }, t('agents.empty'));
  const rows = visibleAgents(agents, ui);
  if (!rows.length) return h('p', { class: 'empty' }, t('agents.noMatch', { query: ui.query }));
  const now = Date.now() / 1000;
  return h('table', { id: 'agents-table', class: 'grid' },
    h('thead', {}, h('tr', {},
      ['agent', 'account', 'id', 'binding', 'status', 'load'].map((c) => h('th', { scope: 'col' }, t(`agents.col.${c}`))))),
    h('tbody', {}, rows.map((a) => row(a, now))));
}

function row(a, now) {
  const binding = bindingState(a, now, t);
  const initial = [...(a.nickname || '?')][0];
  return h('tr', { dataset: { account: a.kf_account } },
    h('td', { class: 'agent' }, h('div', { class: 'who' },
      a.avatar_url
        ? h('img', { class: 'avatar', src: api.avatarSrc(a.avatar_url), alt: '', loading: 'lazy', width: 36, height: 36 })
        : h('span', { class: 'avatar placeholder', 'aria-hidden': 'true' }, initial),
      h('span', { class: 'nick' }, a.nickname))),
    h('td', { class: 'account' }, a.kf_account),
    h('td', { class: 'kfid' }, a.kf_id),
    h('td', { class: `binding ${binding.kind}` }, binding.text),
    h('td', { class: `online s${a.online_status > 0 ? 'on' : 'off'}` }, h('span', { class: 'dot' }), onlineLabel(a.online_status, t)),
    h('td', { class: 'load' }, loadLabel(a, t)));
}
