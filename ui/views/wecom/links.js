// Contact links 客服链接 (WeCom): for an account, the link customers open (optionally with a
// scene), copied or shown as a QR code that can be saved as a PNG and printed.
import * as api from '../../api.js';
import { h, mount } from '../../lib/dom.js';
import { sceneError } from '../../lib/wecom/accounts.js';
import { t } from '../../i18n.js';
import { errorBox, idChip, savePath, onScreen } from '../common.js';
import { loadChoice, accountSelect } from './account-choice.js';

let root = null;
let ctx = null;
let choice = null;
/** {scene, fieldError, busy, error, link: {url, qr_data_url, scene, open_kfid}|null, saved} */
const form = { scene: '', fieldError: null, busy: false, error: null, link: null, saved: null };
let loadError = null;

export async function render(el, context) {
  root = el;
  ctx = context;
  mount(root, page(h('p', { class: 'loading' }, t('common.loading'))));
  try {
    choice = await loadChoice(ctx);
    loadError = null;
    ctx.refreshed();
  } catch (err) {
    loadError = err;
  }
  if (form.link && form.link.open_kfid !== choice?.chosen?.open_kfid) form.link = null;
  draw();
}

function page(...content) {
  return h(
    'section',
    { class: 'page', id: 'kflinks-page' },
    h('header', { class: 'page-head' }, h('div', {}, h('h1', {}, t('links.title')), h('p', { class: 'subtitle' }, t('links.subtitle')))),
    ...content,
  );
}

function draw() {
  if (!root || !onScreen(ctx, 'kflinks')) return;
  mount(
    root,
    page(
      loadError
        ? errorBox(loadError, () => render(root, ctx))
        : accountSelect(choice, () => {
            form.link = null;
            form.saved = null;
            draw();
          }),
      choice?.chosen && linkForm(),
      form.link && result(),
    ),
  );
}

function linkForm() {
  return h(
    'form',
    {
      class: 'card agent-form',
      id: 'link-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        getLink();
      },
    },
    h(
      'div',
      { class: `field${form.fieldError ? ' invalid' : ''}` },
      h('label', { class: 'label', for: 'link-scene' }, t('links.scene')),
      h('input', {
        id: 'link-scene',
        value: form.scene,
        maxlength: 64,
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: 'store_12',
        oninput: (e) => {
          form.scene = e.target.value;
          if (form.fieldError) {
            form.fieldError = null;
            e.target.closest('.field').classList.remove('invalid');
            e.target.closest('.field').querySelector('.field-error')?.remove();
          }
        },
      }),
      h('span', { class: 'hint' }, t('links.scene.hint')),
      form.fieldError && h('span', { class: 'field-error', role: 'alert' }, t(form.fieldError)),
    ),
    form.error && errorBox(form.error),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn primary', id: 'link-get', disabled: form.busy }, t('links.get'))),
  );
}

async function getLink() {
  form.fieldError = sceneError(form.scene);
  form.error = null;
  if (form.fieldError) return draw();
  form.busy = true;
  draw();
  const open_kfid = choice.chosen.open_kfid;
  try {
    const r = await api.kfContactLink(open_kfid, form.scene.trim());
    form.link = { ...r, scene: form.scene.trim(), open_kfid };
    form.saved = null;
  } catch (err) {
    form.error = err;
  }
  form.busy = false;
  draw();
}

function result() {
  const l = form.link;
  return h(
    'div',
    { class: 'card link-result', id: 'link-result' },
    h('h2', {}, t('links.for', { name: choice.chosen.name })),
    h('div', { class: 'link-url' }, h('input', { id: 'link-url', readonly: true, value: l.url, 'aria-label': t('links.url') }), idChip(l.url, t('links.url'))),
    h('img', { id: 'link-qr', class: 'qr', src: l.qr_data_url, alt: t('links.qrAlt', { name: choice.chosen.name }), width: 240, height: 240 }),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn primary', id: 'link-save-qr', onclick: saveQr }, t('links.saveQr'))),
    form.saved && h('p', { class: `form-status ${form.saved.kind}`, id: 'link-saved', role: 'status' }, form.saved.text),
    form.saved?.err && errorBox(form.saved.err),
    l.scene && h('p', { class: 'hint' }, t('links.sceneParam', { scene: l.scene })),
    h('p', { class: 'hint' }, t('links.doNotEdit')),
  );
}

async function saveQr() {
  const safe = choice.chosen.name.replace(/[\\/:*?"<>|]/g, '_');
  const path = await savePath(`${safe}${form.link.scene ? '-' + form.link.scene : ''}.png`, 'PNG', 'png');
  if (!path) return;
  try {
    await api.saveQrPng(form.link.url, path);
    form.saved = { kind: 'ok', text: t('links.saved', { path }) };
  } catch (err) {
    form.saved = { kind: 'error', text: '', err };
  }
  draw();
}
