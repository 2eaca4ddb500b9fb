// Pieces shared by views: the error box (a human message with a retry button).
import * as api from '../api.js';
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';

/** @param {{code: string, errcode: number|null, message: string}} err */
export function errorBox(err, onRetry) {
  return h('div', { class: 'error-box', role: 'alert', dataset: { code: err?.code ?? 'internal' } },
    h('strong', {}, t('error.title')),
    h('p', { class: 'error-message' }, err?.message ?? String(err)),
    onRetry && h('button', { type: 'button', class: 'btn', onclick: onRetry }, t('common.retry')));
}

/** An ID in grey beside a name, with a button that copies it. */
export function idChip(id, label) {
  const btn = h('button', { type: 'button', class: 'btn tiny copy', title: t('common.copy'), 'aria-label': t('common.copyWhat', { what: label ?? id }),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(id);
        btn.textContent = t('common.copied');
      } catch {
        btn.textContent = t('common.copyFailed');
      }
      setTimeout(() => { btn.textContent = t('common.copy'); }, 1500);
    } }, t('common.copy'));
  return h('span', { class: 'id-chip' }, h('code', { class: 'id', title: id }, id), btn);
}

/** A confirmation line that names what it destroys. */
export function confirmBox(text, yesLabel, onYes, onNo, id = 'confirm') {
  return h('div', { class: 'confirm', role: 'alertdialog', id },
    h('span', {}, text),
    h('button', { type: 'button', class: 'btn danger confirm-yes', onclick: onYes }, yesLabel),
    h('button', { type: 'button', 'data-close': true, class: 'btn', onclick: onNo }, t('common.cancel')));
}

/** The account a confirmation acts on, by name ("沙箱" for the built-in one): destructive actions say whose. */
export function ownerName(ctx) {
  const p = ctx?.info?.profile;
  if (!p) return '';
  return p.kind === 'sandbox' ? t('band.sandbox') : p.name;
}

/** The native save dialog; null when cancelled (tests set `window.__kefudesk.nextSavePath`). */
export async function savePath(name, kind, ext) {
  const hook = window.__kefudesk?.nextSavePath;
  if (hook) {
    window.__kefudesk.nextSavePath = null;
    return hook;
  }
  return api.chooseSavePath(name, kind, ext);
}
