// Settings → KefuDesk Server: sign in with the address and login the administrator gave.
// The server answers one profile per WeCom corp granted; the first is put to use at once.
// What was typed stays through every error (the password too, until signed in).
import * as api from '../api.js';
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';
import { errorBox } from './common.js';

/** @type {{address: string, login: string, password: string, busy: boolean, err: any} | null} */
let form = null;
/** What the last sign-in did, shown until the form opens again. */
let done = null;

export function isOpen() {
  return !!form;
}

/** Opens the form (the address of the last server used, if any). */
export function open(address = '', login = '') {
  form = { address, login, password: '', busy: false, err: null };
  done = null;
}

/**
 * The card. `redraw` draws Settings again; `signedIn(view)` takes the new profiles.
 * @param {() => void} redraw @param {(view: any) => Promise<void>} signedIn
 */
export function serverCard(redraw, signedIn) {
  if (!form) return done && h('p', { class: 'form-status ok', id: 'server-done', role: 'status' }, done);
  const field = (name, label, attrs = {}) =>
    h(
      'div',
      { class: 'field', dataset: { field: name } },
      h('label', { class: 'label', for: `srv-${name}` }, label),
      h('input', {
        id: `srv-${name}`,
        name,
        value: form[name],
        autocomplete: 'off',
        spellcheck: 'false',
        ...attrs,
        oninput: (e) => {
          form[name] = e.target.value;
        },
      }),
    );
  const submit = async (e) => {
    e.preventDefault();
    if (form.busy) return;
    form.busy = true;
    form.err = null;
    redraw();
    try {
      const r = await api.serverSignIn(form.address, form.login, form.password);
      done = t('server.signedIn', { name: r.staff_name, role: t(`server.role.${r.role}`), profiles: r.profiles.join('、') });
      form = null;
      await signedIn(r.view);
    } catch (err) {
      if (form) Object.assign(form, { busy: false, err });
    }
    redraw();
    // The whole card in view: the words of a refusal, or what signing in did.
    document.getElementById(form ? 'server-card' : 'server-done')?.scrollIntoView({ block: 'nearest' });
  };
  return h(
    'form',
    { class: 'card profile-form', id: 'server-card', novalidate: true, onsubmit: submit },
    h('h2', {}, t('server.title')),
    h('p', { class: 'hint' }, t('server.hint')),
    field('address', t('server.address'), { placeholder: 'https://kefu.example.com', inputmode: 'url' }),
    field('login', t('server.login'), { autocomplete: 'username' }),
    field('password', t('server.password'), { type: 'password', autocomplete: 'current-password' }),
    form.err && errorBox(form.err),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', id: 'srv-submit', disabled: form.busy }, t(form.busy ? 'server.signingIn' : 'server.signIn')),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'srv-cancel',
          onclick: () => {
            form = null;
            redraw();
          },
        },
        t('common.cancel'),
      ),
    ),
  );
}
