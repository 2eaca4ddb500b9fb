// Settings page: language (remembered) and the active profile.
import { h, mount } from '../lib/dom.js';
import { t, lang, LANG_NAMES } from '../i18n.js';
import { profileName } from '../lib/format.js';

export function render(root, ctx) {
  const p = ctx.info?.profile;
  mount(root, h('section', { class: 'page', id: 'settings-page' },
    h('header', { class: 'page-head' }, h('h1', {}, t('settings.title'))),
    h('div', { class: 'card' },
      h('h2', {}, t('settings.language')),
      h('div', { class: 'segmented', role: 'radiogroup', id: 'lang-switch' },
        Object.entries(LANG_NAMES).map(([code, name]) => h('button', {
          type: 'button', role: 'radio', class: code === lang() ? 'on' : '', 'aria-checked': String(code === lang()),
          dataset: { lang: code }, onclick: () => ctx.switchLang(code),
        }, name))),
      h('p', { class: 'hint' }, t('settings.language.hint'))),
    p && h('div', { class: 'card', id: 'profile-card' },
      h('h2', {}, t('settings.profile')),
      h('dl', {},
        h('dt', {}, t('settings.profile.name')), h('dd', {}, profileName(p, t)),
        h('dt', {}, t('settings.profile.base')), h('dd', {}, p.base_url),
        h('dt', {}, t('settings.profile.oa')), h('dd', {}, p.oa_wechat_id)),
      p.kind === 'sandbox' && h('p', { class: 'hint' }, t('settings.profile.sandboxNote'))),
    h('p', { class: 'version' }, t('settings.version', { version: ctx.info?.version ?? '' }))));
}
