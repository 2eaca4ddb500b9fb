// App shell: language, navigation between the active platform's views, status bar.
import * as api from './api.js';
import { h, mount } from './lib/dom.js';
import { clockTime } from './lib/format.js';
import { t, setLang, lang, initialLang } from './i18n.js';
/** Each page's module, loaded the first time the page is shown (less to parse and hold at start). */
const VIEWS = {
  agents: () => import('./views/mp/agents.js'),
  sessions: () => import('./views/mp/sessions.js'),
  records: () => import('./views/mp/records.js'),
  stats: () => import('./views/stats.js'),
  settings: () => import('./views/settings.js'),
  conversations: () => import('./views/wecom/conversations.js'),
  archive: () => import('./views/wecom/archive.js'),
  kfaccounts: () => import('./views/wecom/accounts.js'),
  kflinks: () => import('./views/wecom/links.js'),
  servicers: () => import('./views/wecom/servicers.js'),
};
/** The modules loaded so far, by page. */
const loaded = {};
/** The pages of each platform, in navigation order; Settings is on both. */
const PAGES = {
  mp: ['agents', 'sessions', 'records', 'stats', 'settings'],
  wecom: ['conversations', 'archive', 'kfaccounts', 'kflinks', 'servicers', 'stats', 'settings'],
};

const ctx = {
  info: null,
  view: 'agents',
  /** The active profile's platform: 'mp' or 'wecom'. */
  platform() {
    return ctx.info?.profile?.platform === 'wecom' ? 'wecom' : 'mp';
  },
  /** Opens a view (e.g. the Servicers page of one account from the Accounts page). */
  open(view, params) {
    ctx.params = params ?? null;
    show(view);
  },
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
    // The platform may have changed: its pages replace the other's.
    if (!PAGES[ctx.platform()].includes(ctx.view)) show(ctx.view);
    else drawNav();
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
  mount(
    document.getElementById('nav-items'),
    PAGES[ctx.platform()].map((v) =>
      h(
        'button',
        {
          type: 'button',
          class: `nav-item${v === ctx.view ? ' active' : ''}`,
          dataset: { view: v },
          'aria-current': v === ctx.view ? 'page' : 'false',
          onclick: () => ctx.open(v),
        },
        t(`nav.${v}`),
      ),
    ),
  );
}

/** "沙箱（公众号）", or a saved profile's name with its platform. */
function profileOption(id, name, platform, selected) {
  return h('option', { value: id, selected }, t('status.profileOption', { name, platform: t(`platform.${platform}`) }));
}

/** Live profiles the user already confirmed switching to from the status bar, this run. */
const confirmedLive = new Set();
/** A status-bar switch to a live profile waiting for the user's yes: {id, name, platform} */
let pendingSwitch = null;

async function switchTo(id) {
  pendingSwitch = null;
  try {
    ctx.profiles = await api.setActiveProfile(id);
    await ctx.profileChanged();
    show(ctx.view);
  } catch {
    drawStatus();
  }
}

/** The band above every page: which account, and whether it is live or the sandbox. */
function drawBand() {
  const band = document.getElementById('env-band');
  const p = ctx.info?.profile;
  band.hidden = !p;
  if (!p) return mount(band);
  const platform = t(`platform.${p.platform}`);
  band.className = p.kind === 'sandbox' ? 'sandbox' : 'live';
  band.dataset.kind = p.kind;
  // Through KefuDesk Server: whose sign-in the team sees on every reply.
  const server = ctx.profiles?.profiles?.find((x) => x.id === p.id)?.server;
  const via = server ? ` · ${t('band.server', { name: server.staff_name, role: t(`server.role.${server.role}`) })}` : '';
  mount(
    band,
    p.kind === 'sandbox'
      ? [h('strong', {}, t('band.sandbox')), ` · ${platform} — `, t('band.sandboxNote')]
      : [h('strong', {}, t('band.live')), `${via} · ${p.name} · ${platform} — `, t('band.liveNote')],
  );
}

function drawStatus() {
  drawBand();
  const p = ctx.info?.profile;
  const list = ctx.profiles?.profiles ?? [];
  const switcher =
    p &&
    h(
      'select',
      {
        id: 'status-profile',
        'aria-label': t('status.switch'),
        title: t('status.switch'),
        onchange: (e) => {
          const id = e.target.value;
          const target = list.find((x) => x.id === id);
          // A live account is confirmed once per run: after that, its actions reach real customers.
          if (target && !confirmedLive.has(id)) {
            pendingSwitch = { id, name: target.name, platform: target.platform };
            return drawStatus();
          }
          switchTo(id);
        },
      },
      profileOption('sandbox', t('status.sandboxName'), 'mp', p.id === 'sandbox'),
      profileOption('sandbox-wecom', t('status.sandboxName'), 'wecom', p.id === 'sandbox-wecom'),
      list.map((x) => profileOption(x.id, x.name, x.platform, p.id === x.id)),
    );
  mount(
    document.getElementById('statusbar'),
    p
      ? h('span', { class: `env ${p.kind}`, id: 'status-env' }, t(p.kind === 'sandbox' ? 'status.sandbox' : 'status.live'))
      : h('span', { class: 'env none' }, t('status.noProfile')),
    p && h('span', { class: `platform ${p.platform}`, id: 'status-platform' }, t(`platform.${p.platform}`)),
    p && h('label', { class: 'switch' }, t('status.profileLabel'), ' ', switcher),
    pendingSwitch &&
      h(
        'span',
        { class: 'confirm live-switch', role: 'alertdialog', id: 'live-switch' },
        h('span', {}, t('status.liveConfirm', { name: pendingSwitch.name, platform: t(`platform.${pendingSwitch.platform}`) })),
        h(
          'button',
          {
            type: 'button',
            class: 'btn danger confirm-yes',
            id: 'live-switch-yes',
            onclick: () => {
              confirmedLive.add(pendingSwitch.id);
              switchTo(pendingSwitch.id);
            },
          },
          t('status.liveConfirm.yes'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-close': true,
            class: 'btn',
            id: 'live-switch-no',
            onclick: () => {
              pendingSwitch = null;
              drawStatus();
            },
          },
          t('common.cancel'),
        ),
      ),
    ctx.lastRefresh && h('span', { class: 'right' }, t('status.lastRefresh', { time: clockTime(ctx.lastRefresh, lang()) })),
  );
}

async function show(view) {
  const pages = PAGES[ctx.platform()];
  const next = pages.includes(view) ? view : pages[0];
  ctx.view = next;
  drawNav();
  loaded[next] ??= await VIEWS[next]();
  // Another page was asked for while this one loaded: that one is shown instead.
  if (ctx.view !== next) return;
  loaded[next].render(document.getElementById('view'), ctx);
}

/** Files dropped on the window go to the current page, if it takes pictures (avatars). */
function listenForDrops() {
  const onDrop = (paths, position) => {
    loaded[ctx.view]?.handleDrop?.(paths, position);
  };
  // The same entry point for tests, which cannot drag real files onto a window.
  window.__kefudesk = { drop: onDrop };
  api.onFilesDropped(onDrop);
}

/**
 * The keys people expect of a desktop app: Esc closes the innermost open panel or question (its
 * cancel button, marked `data-close`), Ctrl/Cmd+F goes to the page's search box, F5 or
 * Ctrl/Cmd+R refreshes the page's data (never reloading the app, which would drop what was typed).
 */
function listenForKeys() {
  document.addEventListener('keydown', (e) => {
    const view = document.getElementById('view');
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === 'Escape') {
      // A question (a confirmation) is innermost wherever it sits; then the last open panel.
      const shown = (css) => [...document.querySelectorAll(css)].filter((b) => b.offsetParent !== null).at(-1);
      const close = shown('[role=alertdialog] [data-close]') ?? shown('[data-close]');
      if (close) {
        e.preventDefault();
        close.click();
      }
    } else if (mod && key === 'f') {
      const box = /** @type {HTMLInputElement|null} */ (view.querySelector('input[type=search], [data-find]'));
      if (box) {
        e.preventDefault();
        box.focus();
        box.select?.();
      }
    } else if (key === 'F5' || (mod && key === 'r')) {
      e.preventDefault();
      /** @type {HTMLElement|null} */ (view.querySelector('[data-refresh]:not([disabled]), button[id$="-refresh"]:not([disabled])'))?.click();
    }
  });
}

async function boot() {
  listenForKeys();
  listenForDrops();
  ctx.info = await api.appInfo().catch(() => null);
  ctx.profiles = await api.listProfiles().catch(() => null);
  setLang(initialLang(window.localStorage, ctx.info?.os_lang, navigator.language), null);
  await api.setLocale(lang()).catch(() => {});
  drawStatus();
  show(PAGES[ctx.platform()][0]);
}

boot();
