// App shell: language, navigation between views, status bar.
import * as api from './api.js';
import { h, mount } from './lib/dom.js';
import { clockTime } from './lib/format.js';
import { t, setLang, lang, initialLang } from './i18n.js';
import * as agents from './views/agents.js';
import * as settings from './views/settings.js';
import * as records from './views/records.js';
import * as sessions from './views/sessions.js';

const VIEWS = { agents, sessions, records, settings };

const ctx = {
  info: null,
  view: 'agents',
  lastRefresh: null,
  refreshed() {
    ctx.lastRefresh = new Date();
    drawStatus();
  },
  profiles: null,
  /** The active profile or the list changed: refresh the status bar and the current view. */
  async profileChanged() {
    ctx.info = await api.appInfo().catch(() => ctx.info);
    ctx.profiles = await api.listProfiles().catch(() => ctx.profiles);
    drawStatus();
  },
  async switchLang(code) {
    setLang(code, window.localStorage);
    await api.setLocale(lang()).catch(() => {});
    drawNav();
    drawStatus();
    show(ctx.view);
  },
};

function drawNav() {
  document.title = t('app.title');
  for (const b of document.querySelectorAll('#nav [data-view]')) {
    b.textContent = t(`nav.${b.dataset.view}`);
    b.classList.toggle('active', b.dataset.view === ctx.view);
    b.setAttribute('aria-current', b.dataset.view === ctx.view ? 'page' : 'false');
  }
}

function drawStatus() {
  const p = ctx.info?.profile;
  const list = ctx.profiles?.profiles ?? [];
  const switcher = p && h('select', {
    id: 'status-profile', 'aria-label': t('status.switch'), title: t('status.switch'),
    onchange: async (e) => {
      try {
        ctx.profiles = await api.setActiveProfile(e.target.value);
        await ctx.profileChanged();
        show(ctx.view);
      } catch {
        drawStatus();
      }
    },
  },
  h('option', { value: 'sandbox', selected: p.kind === 'sandbox' }, t('status.sandboxName')),
  list.map((x) => h('option', { value: x.id, selected: p.id === x.id }, x.name)));
  mount(document.getElementById('statusbar'),
    p ? h('span', { class: `env ${p.kind}`, id: 'status-env' }, t(p.kind === 'sandbox' ? 'status.sandbox' : 'status.live'))
      : h('span', { class: 'env none' }, t('status.noProfile')),
    p && h('label', { class: 'switch' }, t('status.profileLabel'), ' ', switcher),
    ctx.lastRefresh && h('span', { class: 'right' }, t('status.lastRefresh', { time: clockTime(ctx.lastRefresh, lang()) })));
}

function show(view) {
  ctx.view = VIEWS[view] ? view : 'agents';
  drawNav();
  const root = document.getElementById('view');
  VIEWS[ctx.view].render(root, ctx);
}

/** Files dropped on the window go to the Agents page (avatars). */
function listenForDrops() {
  const onDrop = (paths, position) => {
    if (ctx.view === 'agents') agents.handleDrop(paths, position);
  };
  // The same entry point for tests, which cannot drag real files onto a window.
  window.__kefudesk = { drop: onDrop };
  window.__TAURI__.webview.getCurrentWebview().onDragDropEvent((e) => {
    if (e.payload.type === 'drop') onDrop(e.payload.paths, e.payload.position);
  }).catch(() => {});
}

async function boot() {
  listenForDrops();
  for (const b of document.querySelectorAll('#nav [data-view]')) b.addEventListener('click', () => show(b.dataset.view));
  ctx.info = await api.appInfo().catch(() => null);
  ctx.profiles = await api.listProfiles().catch(() => null);
  setLang(initialLang(window.localStorage, ctx.info?.os_lang, navigator.language), null);
  await api.setLocale(lang()).catch(() => {});
  drawStatus();
  show('agents');
}

boot();
