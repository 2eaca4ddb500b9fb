// Pieces shared by views: the error box (a human message with a retry button).
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';

/** @param {{code: string, errcode: number|null, message: string}} err */
export function errorBox(err, onRetry) {
  return h('div', { class: 'error-box', role: 'alert', dataset: { code: err?.code ?? 'internal' } },
    h('strong', {}, t('error.title')),
    h('p', { class: 'error-message' }, err?.message ?? String(err)),
    onRetry && h('button', { type: 'button', class: 'btn', onclick: onRetry }, t('common.retry')));
}
