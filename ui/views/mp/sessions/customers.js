// The Sessions page's customers: a customer's cell (their note, what they wrote, the openid
// grey with a copy button), writing a note, and looking a customer up by openid.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { formatDuration } from '../../../lib/format.js';
import { t } from '../../../i18n.js';
import { idChip } from '../../common.js';
import { snippet, noteError } from '../../../lib/mp/customers.js';
import { view, ui, nowSecs, nick, who } from './state.js';
import { sessionButtons } from './agents.js';
import { panelIn } from './panel.js';

/**
 * A customer as staff recognise them: their note (or "no note", with a pencil to write one),
 * what they last wrote, the openid grey with a copy button, and their chat records.
 */
export function customerCell(openid) {
  const note = ui.notes[openid];
  const said = ui.data?.last_words?.[openid]?.text;
  const e = ui.noteEdit?.openid === openid ? ui.noteEdit : null;
  return h(
    'div',
    { class: 'customer-cell', dataset: { customer: openid } },
    e
      ? h(
          'form',
          {
            class: 'note-edit inline-form',
            novalidate: true,
            onsubmit: (ev) => {
              ev.preventDefault();
              saveNote();
            },
          },
          h('input', {
            class: 'note-input',
            id: 'note-input',
            value: e.text,
            maxlength: 60,
            placeholder: t('customer.note.placeholder'),
            'aria-label': t('customer.note'),
            oninput: (ev) => {
              e.text = ev.target.value;
              e.error = null;
            },
          }),
          h('button', { type: 'submit', class: 'btn small primary note-save', disabled: e.busy }, t('common.save')),
          h(
            'button',
            {
              type: 'button',
              'data-close': true,
              class: 'btn small',
              onclick: () => {
                ui.noteEdit = null;
                view.draw();
              },
            },
            t('common.cancel'),
          ),
          e.error && h('span', { class: 'error-message', role: 'alert' }, e.error),
        )
      : h(
          'div',
          { class: 'cust-name' },
          note ? h('strong', { class: 'note' }, note) : h('span', { class: 'no-note' }, t('customer.noNote')),
          h(
            'button',
            {
              type: 'button',
              class: 'link tiny edit-note',
              title: t('customer.note.edit'),
              'aria-label': t('customer.note.edit'),
              onclick: () => {
                ui.noteEdit = { openid, text: note ?? '', error: null, busy: false };
                view.draw();
                view.root.querySelector('#note-input')?.focus();
              },
            },
            '✎',
          ),
        ),
    said && h('div', { class: 'said', title: said }, `“${snippet(said, 30)}”`),
    h(
      'div',
      { class: 'cust-id' },
      idChip(openid),
      h('button', { type: 'button', class: 'link tiny records-link', onclick: () => view.ctx?.open?.('records', { customer: openid }) }, t('customer.records')),
    ),
  );
}

async function saveNote() {
  const e = ui.noteEdit;
  const rule = noteError(e.text);
  if (rule) {
    e.error = t(rule);
    return view.draw();
  }
  e.busy = true;
  view.draw();
  try {
    ui.notes = await api.setCustomerNote(e.openid, e.text.trim());
    ui.noteEdit = null;
  } catch (err) {
    e.busy = false;
    e.error = err.message;
  }
  view.draw();
}

export function lookupCard() {
  const q = ui.lookup;
  let result = null;
  if (q.result) {
    const { openid, session } = q.result;
    const name = who(openid);
    if (session) {
      result = [
        h(
          'p',
          { id: 'lookup-result', class: 'served' },
          t('sessions.lookup.served', { openid: name, agent: nick(session.kf_account), age: formatDuration(nowSecs() - session.createtime, t) }),
        ),
        customerCell(openid),
        h('div', { class: 'row-actions' }, sessionButtons(session.kf_account, openid, 'lookup')),
        panelIn('lookup', session.kf_account, openid),
      ];
    } else {
      const pos = ui.data?.waiting.findIndex((w) => w.openid === openid) ?? -1;
      result = [
        h(
          'p',
          { id: 'lookup-result', class: 'none' },
          pos >= 0 ? t('sessions.lookup.waiting', { openid: name, pos: pos + 1 }) : t('sessions.lookup.none', { openid: name }),
        ),
        customerCell(openid),
      ];
    }
  }
  return h(
    'form',
    {
      class: 'card wide lookup',
      id: 'lookup',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        lookup();
      },
    },
    h(
      'div',
      { class: 'inline-form' },
      h('label', { for: 'lookup-openid' }, t('sessions.lookup')),
      h('input', {
        id: 'lookup-openid',
        'data-find': true,
        value: q.openid,
        placeholder: t('sessions.lookup.placeholder'),
        autocomplete: 'off',
        spellcheck: 'false',
        oninput: (e) => {
          q.openid = e.target.value;
        },
      }),
      h('button', { type: 'submit', class: 'btn', id: 'lookup-find', disabled: q.busy }, t('sessions.lookup.find')),
    ),
    q.error && h('p', { class: 'error-message', role: 'alert' }, q.error.message),
    result,
  );
}

export async function lookup() {
  const q = ui.lookup;
  q.busy = true;
  q.error = null;
  q.result = null;
  view.draw();
  try {
    q.result = { openid: q.openid.trim(), session: await api.findSession(q.openid) };
  } catch (err) {
    q.error = err;
  }
  q.busy = false;
  view.draw();
}
