// Settings → Help and diagnostics: open the log folder, copy a diagnostics summary for a
// support request (version, system, web view, account kind, recent problems — no secrets).
import * as api from '../api.js';
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';
import { errorBox } from './common.js';

/** What the card last did: {kind: 'ok'|'warn'|'busy'|'error', text, err, diagnostics}. */
let last = null;

/** The card; `redraw` draws the page again after an action. */
export function supportCard(redraw) {
  const act = (work) => async () => {
    last = { kind: 'busy', text: t('common.loading') };
    redraw();
    try {
      last = await work();
    } catch (err) {
      last = { kind: 'error', err };
    }
    redraw();
  };
  return h(
    'div',
    { class: 'card', id: 'support-card' },
    h('h2', {}, t('support.title')),
    h('p', { class: 'hint' }, t('support.hint')),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'open-log-folder',
          onclick: act(async () => ({ kind: 'ok', text: t('support.opened', { path: await api.openLogFolder() }) })),
        },
        t('support.openLogs'),
      ),
      h('button', { type: 'button', class: 'btn', id: 'copy-diagnostics', onclick: act(copyDiagnostics) }, t('support.copy')),
    ),
    last && (last.kind === 'error' ? errorBox(last.err) : h('p', { class: `form-status ${last.kind}`, id: 'support-status', role: 'status' }, last.text)),
    last?.diagnostics && h('pre', { class: 'diagnostics', id: 'diagnostics-text', tabindex: '0', 'aria-label': t('support.copy') }, last.diagnostics),
  );
}

/** Copies the summary; it is shown either way, so it can be copied by hand if the clipboard refuses. */
async function copyDiagnostics() {
  const diagnostics = await api.diagnostics();
  try {
    await navigator.clipboard.writeText(diagnostics);
    return { kind: 'ok', text: t('support.copied'), diagnostics };
  } catch {
    return { kind: 'warn', text: t('support.copyByHand'), diagnostics };
  }
}
