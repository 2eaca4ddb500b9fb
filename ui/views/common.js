// Pieces shared by views: the error box (a human message with a retry button).
import * as api from '../api.js';
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';
import { parseDay } from '../lib/days.js';
import { profileName, safeFileName } from '../lib/format.js';
import { ariaSort, nextSort, readSort, writeSort } from '../lib/sort.js';

/**
 * Whether `view` is still the page on screen: an answer that arrives after the user moved on
 * must not draw over the page they moved to (every view draws into the same element).
 */
export const onScreen = (ctx, view) => ctx?.view === view;

/** Which account a page's kept state belongs to: another one (or the same edited) starts afresh. */
export function profileKey(ctx) {
  const p = ctx?.info?.profile;
  return p ? `${p.id}:${p.base_url ?? ''}` : '';
}

/** @param {{code: string, errcode: number|null, message: string}} err */
export function errorBox(err, onRetry) {
  return h(
    'div',
    { class: 'error-box', role: 'alert', dataset: { code: err?.code ?? 'internal' } },
    h('strong', {}, t('error.title')),
    h('p', { class: 'error-message' }, err?.message ?? String(err)),
    onRetry && h('button', { type: 'button', class: 'btn', onclick: onRetry }, t('common.retry')),
  );
}

/**
 * A button that copies `id` (saying so for a moment); `icon`: a small ⧉ for tight rows. A click
 * on it does nothing else (a row it sits in does not open).
 */
export function copyButton(id, label, icon = false) {
  const text = () => (icon ? '⧉' : t('common.copy'));
  return h(
    'button',
    {
      type: 'button',
      class: `btn tiny copy${icon ? ' icon' : ''}`,
      title: t('common.copy'),
      'aria-label': t('common.copyWhat', { what: label ?? id }),
      onclick: async (e) => {
        e.stopPropagation();
        // The button on screen (a redraw may have kept it and dropped the one built here).
        const btn = /** @type {HTMLElement} */ (e.currentTarget);
        try {
          await navigator.clipboard.writeText(id);
          btn.textContent = icon ? '✓' : t('common.copied');
        } catch {
          btn.textContent = t('common.copyFailed');
        }
        setTimeout(() => {
          btn.textContent = text();
        }, 1500);
      },
    },
    text(),
  );
}

/** An ID in grey beside a name, with a button that copies it. */
export function idChip(id, label) {
  return h('span', { class: 'id-chip' }, h('code', { class: 'id', title: id }, id), copyButton(id, label));
}

/**
 * A table's sort, kept across restarts under `name`: `get()` is `{key, desc}`, `click(key)` the
 * change a click on that column's header makes.
 */
export function tableSort(name, keys, fallback) {
  let sort = readSort(window.localStorage, name, keys, fallback);
  return {
    get: () => sort,
    click(key) {
      sort = nextSort(sort, key);
      writeSort(window.localStorage, name, sort);
    },
  };
}

/** A column header that sorts its table when clicked (again: the other way); `tag` 'span' in a grid of divs. */
export function sortTh(sorter, key, label, redraw, tag = 'th') {
  const s = sorter.get();
  return h(
    tag,
    { scope: tag === 'th' ? 'col' : null, role: tag === 'th' ? null : 'columnheader', class: `c-${key}`, 'aria-sort': ariaSort(s, key) },
    h(
      'button',
      {
        type: 'button',
        class: `th-sort${s.key === key ? ' on' : ''}`,
        dataset: { sort: key },
        onclick: () => {
          sorter.click(key);
          redraw();
        },
      },
      label,
    ),
  );
}

/** A confirmation line that names what it destroys. */
export function confirmBox(text, yesLabel, onYes, onNo, id = 'confirm') {
  return h(
    'div',
    { class: 'confirm', role: 'alertdialog', id },
    h('span', {}, text),
    h('button', { type: 'button', class: 'btn danger confirm-yes', onclick: onYes }, yesLabel),
    h('button', { type: 'button', 'data-close': true, class: 'btn', onclick: onNo }, t('common.cancel')),
  );
}

/** The account a confirmation acts on, by name ("沙箱" for the built-in one): destructive actions say whose. */
export function ownerName(ctx) {
  const p = ctx?.info?.profile;
  return p ? profileName(p, t) : '';
}

/** A day typed as year-month-day in every language (a date input shows 11/20/2026 in the Chinese UI). */
export function dayInput(id, value, onValue) {
  return h('input', {
    type: 'text',
    id,
    value,
    inputmode: 'numeric',
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'date',
    placeholder: t('date.placeholder'),
    oninput: (e) => onValue(e.target.value),
  });
}

/**
 * Reads the typed days `form[name]` for each `[name, label]`, writing each back as YYYY-MM-DD;
 * the first that is no day comes back as an error naming the field (what was typed stays in the
 * form). Empty fields are skipped when `optional`.
 */
export function readDays(form, fields, optional = false) {
  for (const [name, label] of fields) {
    if (optional && !form[name].trim()) continue;
    const day = parseDay(form[name]);
    if (!day) return { code: 'invalid_input', message: t('date.invalid', { field: label, text: form[name].trim() || '—' }) };
    form[name] = day;
  }
  return null;
}

/**
 * The native save dialog; null when cancelled (tests set `window.__kefudesk.nextSavePath`).
 * `name` may hold what a customer chose (a file's name, a nickname): only its last component
 * is offered, so it cannot choose the folder.
 */
export async function savePath(name, kind, ext) {
  name = safeFileName(name, `export.${ext}`);
  const hook = window.__kefudesk?.nextSavePath;
  if (hook) {
    window.__kefudesk.nextSavePath = null;
    return hook;
  }
  return api.chooseSavePath(name, kind, ext);
}
