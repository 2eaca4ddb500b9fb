// Settings page: language, and the profiles — Official Accounts and WeCom corps (add, edit,
// test, delete, switch).
// The form keeps what the user typed through every error; secrets are write-only here.
import * as api from '../api.js';
import { h, mount } from '../lib/dom.js';
import { t, lang, LANG_NAMES } from '../i18n.js';
import { profileName } from '../lib/format.js';
import { formFrom, validateProfile, validateConnection, toInput, secretStateKey, profileDetail } from '../lib/profile.js';
import { errorBox, onScreen } from './common.js';
import { supportCard } from './support.js';
import { aboutCard } from './about.js';
import * as server from './server-sign-in.js';

let root = null;
let ctx = null;
let profiles = null;
/** The open form: {form, editing: ProfileView|null, errors, status: {kind, text}|null, replaceSecret} */
let editor = null;
let confirmDelete = null;

export async function render(el, context) {
  root = el;
  ctx = context;
  draw();
  try {
    profiles = await api.listProfiles();
  } catch (err) {
    profiles = { active: 'sandbox', profiles: [], keyring_error: null, config_notice: null, loadError: err };
  }
  draw();
}

function draw() {
  if (!root || !onScreen(ctx, 'settings')) return;
  const p = ctx.info?.profile;
  mount(
    root,
    h(
      'section',
      { class: 'page', id: 'settings-page' },
      h('header', { class: 'page-head' }, h('h1', {}, t('settings.title'))),
      languageCard(),
      profilesCard(),
      editor && formCard(),
      server.serverCard(draw, async (view) => {
        profiles = view;
        await ctx.profileChanged();
      }),
      p &&
        h(
          'div',
          { class: 'card', id: 'profile-card' },
          h('h2', {}, t('settings.profile')),
          h(
            'dl',
            {},
            h('dt', {}, t('settings.profile.name')),
            h('dd', {}, profileName(p, t)),
            h('dt', {}, t('settings.profile.platform')),
            h('dd', {}, t(`platform.${p.platform}`)),
            h('dt', {}, t('settings.profile.base')),
            h('dd', {}, p.base_url),
            p.platform === 'wecom'
              ? [h('dt', {}, t('profile.field.corp_id')), h('dd', {}, p.account_id)]
              : [h('dt', {}, t('settings.profile.oa')), h('dd', {}, p.oa_wechat_id)],
          ),
          p.kind === 'sandbox' && h('p', { class: 'hint' }, t(p.platform === 'wecom' ? 'settings.profile.sandboxNoteWecom' : 'settings.profile.sandboxNote')),
        ),
      supportCard(draw),
      aboutCard(ctx.info?.version ?? '', draw),
    ),
  );
}

function languageCard() {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, t('settings.language')),
    h(
      'div',
      { class: 'segmented', role: 'radiogroup', id: 'lang-switch' },
      Object.entries(LANG_NAMES).map(([code, name]) =>
        h(
          'button',
          {
            type: 'button',
            role: 'radio',
            class: code === lang() ? 'on' : '',
            'aria-checked': String(code === lang()),
            dataset: { lang: code },
            onclick: () => ctx.switchLang(code),
          },
          name,
        ),
      ),
    ),
    h('p', { class: 'hint' }, t('settings.language.hint')),
  );
}

function profilesCard() {
  if (!profiles) return h('div', { class: 'card' }, h('h2', {}, t('settings.profiles')), h('p', { class: 'loading' }, t('common.loading')));
  const row = (id, name, detail, secret, editable, deletable = editable) => {
    const active = profiles.active === id;
    const view = profiles.profiles.find((x) => x.id === id);
    return h(
      'li',
      { class: `profile-row${active ? ' active' : ''}`, key: `profile:${id}`, dataset: { id } },
      h(
        'div',
        { class: 'who' },
        h('strong', { class: 'pname' }, name),
        h('span', { class: 'detail' }, detail),
        view?.problem && h('span', { class: 'problem', role: 'alert', dataset: { field: view.problem.field } }, view.problem.message),
      ),
      secret && h('span', { class: `secret ${secret}` }, t(secretStateKey(secret))),
      h(
        'div',
        { class: 'actions' },
        active
          ? h('span', { class: 'badge' }, t('profile.active'))
          : h('button', { type: 'button', class: 'btn use', onclick: () => use(id) }, t('profile.use')),
        editable && h('button', { type: 'button', class: 'btn edit', onclick: () => openEditor(view) }, t('profile.edit')),
        deletable &&
          h(
            'button',
            {
              type: 'button',
              class: 'btn danger delete',
              onclick: () => {
                confirmDelete = id;
                draw();
              },
            },
            t('profile.delete'),
          ),
      ),
      confirmDelete === id &&
        h(
          'div',
          { class: 'confirm', role: 'alertdialog' },
          h('span', {}, t('profile.deleteConfirm', { name })),
          h('button', { type: 'button', class: 'btn danger confirm-yes', onclick: () => remove(id) }, t('profile.deleteYes')),
          h(
            'button',
            {
              type: 'button',
              'data-close': true,
              class: 'btn',
              onclick: () => {
                confirmDelete = null;
                draw();
              },
            },
            t('common.cancel'),
          ),
        ),
    );
  };
  return h(
    'div',
    { class: 'card', id: 'profiles-card' },
    h('h2', {}, t('settings.profiles')),
    h('p', { class: 'hint' }, t('settings.profiles.hint')),
    profiles.config_notice &&
      h(
        'p',
        { class: 'notice', id: 'config-notice' },
        profiles.config_notice,
        profiles.config_unreadable && [
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              id: 'config-reload',
              onclick: async () => {
                profiles = await api.reloadConfig().catch(() => profiles);
                await ctx?.profileChanged?.();
                draw();
              },
            },
            t('settings.configReload'),
          ),
        ],
      ),
    profiles.keyring_error && h('p', { class: 'notice', id: 'keyring-error' }, profiles.keyring_error.message),
    profiles.loadError && errorBox(profiles.loadError, () => render(root, ctx)),
    h(
      'ul',
      { class: 'profiles', id: 'profiles-list' },
      row('sandbox', t('status.profileOption', { name: t('status.sandboxName'), platform: t('platform.mp') }), t('profile.sandbox'), null, false),
      row('sandbox-wecom', t('status.profileOption', { name: t('status.sandboxName'), platform: t('platform.wecom') }), t('profile.sandboxWecom'), null, false),
      profiles.profiles.map((p) =>
        p.server
          ? row(
              p.id,
              p.name,
              t('server.profileDetail', { name: p.server.staff_name, role: t(`server.role.${p.server.role}`), corp: p.corp_id ?? '' }),
              null,
              false,
              true,
            )
          : row(p.id, p.name, `${t(`platform.${p.platform}`)} · ${profileDetail(p)}`, p.secret, true),
      ),
    ),
    !editor &&
      !server.isOpen() &&
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn primary', id: 'profile-add', onclick: () => openEditor(null, 'mp') }, t('profile.add')),
        h('button', { type: 'button', class: 'btn primary', id: 'profile-add-wecom', onclick: () => openEditor(null, 'wecom') }, t('profile.addWecom')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            id: 'server-connect',
            onclick: () => {
              const last = profiles.profiles.find((p) => p.server)?.server;
              server.open(last?.address ?? '', last?.login ?? '');
              draw();
              root.querySelector('#server-card')?.scrollIntoView({ block: 'nearest' });
              root.querySelector(last ? '#srv-password' : '#srv-address')?.focus({ preventScroll: true });
            },
          },
          t('server.connect'),
        ),
      ),
  );
}

function openEditor(view, platform) {
  editor = { form: formFrom(view, platform), editing: view, errors: {}, status: null, replaceSecret: !view, remember: 'keyring' };
  confirmDelete = null;
  draw();
  root.querySelector('#pf-name')?.focus();
}

function field(name, label, control, hint) {
  const err = editor.errors[name];
  return h(
    'div',
    { class: `field${err ? ' invalid' : ''}`, dataset: { field: name } },
    h('label', { class: 'label', for: `pf-${name}` }, label),
    control,
    hint && h('span', { class: 'hint' }, hint),
    err && h('span', { class: 'field-error', role: 'alert' }, t(err)),
  );
}

function input(name, attrs = {}) {
  return h('input', {
    id: `pf-${name}`,
    name,
    value: editor.form[name],
    autocomplete: 'off',
    spellcheck: 'false',
    ...attrs,
    oninput: (e) => {
      editor.form[name] = e.target.value;
      if (editor.errors[name]) {
        delete editor.errors[name];
        e.target.closest('.field')?.classList.remove('invalid');
      }
    },
  });
}

function formCard() {
  const { form, editing } = editor;
  const stored = editing && editing.secret !== 'none' && editing.secret !== 'unknown';
  const relay = form.token_kind === 'relay';
  const wecom = form.platform === 'wecom';
  const secretInput =
    editor.replaceSecret || !stored
      ? input('secret', { type: 'password' })
      : h(
          'span',
          { class: 'stored' },
          t(secretStateKey(editing.secret)),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'btn small',
              id: 'pf-replace',
              onclick: () => {
                editor.replaceSecret = true;
                draw();
              },
            },
            t('profile.secret.replace'),
          ),
        );
  const tokenChoice = h(
    'div',
    { class: 'segmented', role: 'radiogroup', id: 'pf-token' },
    ['app_secret', 'relay'].map((k) =>
      h(
        'button',
        {
          type: 'button',
          role: 'radio',
          class: form.token_kind === k ? 'on' : '',
          'aria-checked': String(form.token_kind === k),
          dataset: { kind: k },
          onclick: () => {
            form.token_kind = k;
            editor.errors = {};
            draw();
          },
        },
        t(wecom && k === 'app_secret' ? 'profile.token.corp_secret' : `profile.token.${k}`),
      ),
    ),
  );
  const showMemory =
    !!profiles?.keyring_error || editor.remember === 'memory' || ['keyring_unavailable', 'keyring_locked', 'keyring'].includes(editor.status?.code);
  return h(
    'form',
    {
      class: 'card profile-form',
      id: 'profile-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        save();
      },
    },
    h('h2', {}, editing ? t('profile.form.editTitle', { name: editing.name }) : t(wecom ? 'profile.form.addWecomTitle' : 'profile.form.addTitle')),
    field('name', t('profile.field.name'), input('name')),
    wecom
      ? field('corp_id', t('profile.field.corp_id'), input('corp_id', { placeholder: 'ww…' }), t('profile.field.corp_id.hint'))
      : [
          field('app_id', t('profile.field.app_id'), input('app_id', { placeholder: 'wx…' }), t('profile.field.app_id.hint')),
          field('oa_wechat_id', t('profile.field.oa_wechat_id'), input('oa_wechat_id'), t('profile.field.oa_wechat_id.hint')),
        ],
    h('div', { class: 'field' }, h('span', { class: 'label' }, t('profile.field.token')), tokenChoice),
    relay && field('relay_url', t('profile.field.relay_url'), input('relay_url', { placeholder: 'https://' })),
    field(
      'secret',
      relay ? t('profile.field.relay_secret') : t(wecom ? 'profile.field.corp_secret' : 'profile.field.secret'),
      secretInput,
      wecom && !relay && t('profile.field.corp_secret.hint'),
    ),
    h(
      'details',
      { class: 'advanced', open: !!(form.api_base || form.proxy || form.callback_relay) },
      h('summary', {}, t('profile.advanced')),
      field(
        'api_base',
        t(wecom ? 'profile.field.api_base_wecom' : 'profile.field.api_base'),
        input('api_base', { placeholder: wecom ? 'https://qyapi.weixin.qq.com' : 'https://api.weixin.qq.com' }),
      ),
      wecom &&
        field(
          'callback_relay',
          t('profile.field.callback_relay'),
          input('callback_relay', { placeholder: 'https://' }),
          t('profile.field.callback_relay.hint'),
        ),
      field('proxy', t('profile.field.proxy'), input('proxy', { placeholder: 'http://proxy.corp:8080' }), t('profile.field.proxy.hint')),
    ),
    showMemory &&
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id: 'pf-memory',
          checked: editor.remember === 'memory',
          onchange: (e) => {
            editor.remember = e.target.checked ? 'memory' : 'keyring';
          },
        }),
        ' ',
        t('profile.remember.memory'),
      ),
    editor.status &&
      (editor.status.kind === 'error'
        ? errorBox(editor.status.err)
        : h('p', { class: `form-status ${editor.status.kind}`, id: 'pf-status', role: 'status' }, editor.status.text)),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', id: 'pf-test', onclick: test }, t('profile.test')),
      h('button', { type: 'submit', class: 'btn primary', id: 'pf-save' }, t('common.save')),
      h(
        'button',
        {
          type: 'button',
          'data-close': true,
          class: 'btn',
          id: 'pf-cancel',
          onclick: () => {
            editor = null;
            draw();
          },
        },
        t('common.cancel'),
      ),
    ),
  );
}

function check() {
  const stored = !!editor.editing && ['keyring', 'memory'].includes(editor.editing.secret);
  editor.errors = validateProfile(editor.form, profiles?.profiles ?? [], stored);
  return Object.keys(editor.errors).length === 0;
}

async function test() {
  editor.errors = validateConnection(editor.form);
  if (Object.keys(editor.errors).length) return draw();
  editor.status = { kind: 'busy', text: t('profile.testing') };
  draw();
  try {
    const r = await api.testConnection(toInput(editor.form), editor.form.secret);
    let text = t(r.platform === 'wecom' ? 'profile.testOkWecom' : 'profile.testOk', r);
    const hint = r.oa_wechat_id_hint;
    if (hint && !editor.form.oa_wechat_id.trim()) {
      editor.form.oa_wechat_id = hint;
      text += ' ' + t('profile.oaFilled', { id: hint });
    } else if (hint && hint !== editor.form.oa_wechat_id.trim()) {
      text += ' ' + t('profile.oaDiffers', { id: hint });
    }
    editor.status = { kind: 'ok', text };
  } catch (err) {
    editor.status = { kind: 'error', err, code: err.code };
  }
  draw();
}

async function save() {
  if (!check()) return draw();
  try {
    profiles = await api.saveProfile(toInput(editor.form), editor.form.secret, editor.remember);
    editor = null;
    await ctx.profileChanged();
  } catch (err) {
    editor.status = { kind: 'error', err, code: err.code };
  }
  draw();
}

async function use(id) {
  try {
    profiles = await api.setActiveProfile(id);
    await ctx.profileChanged();
  } catch (err) {
    profiles.loadError = err;
  }
  draw();
}

async function remove(id) {
  confirmDelete = null;
  try {
    profiles = await api.deleteProfile(id);
    if (editor?.editing?.id === id) editor = null;
    await ctx.profileChanged();
  } catch (err) {
    profiles.loadError = err;
  }
  draw();
}
