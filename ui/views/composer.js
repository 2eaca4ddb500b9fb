// The message composer both platforms' send panels share: the text box, how many characters
// still fit in WeChat's text limit (red past it), the error of the last try, and the send
// button — beside the count, or with a cancel button below. Each panel keeps its own extras
// (the Official Account's recipient field, WeCom's kinds of message) and its own rules.
import { h } from '../lib/dom.js';
import { byteLength, charsLeftLabel } from '../lib/format.js';
import { t } from '../i18n.js';

/**
 * @param {object} o
 * @param {string} o.id the prefix of its elements' ids: `<id>-text`, `-bytes`, `-send`, `-error`
 * @param {string|null} o.text what is typed; null: a message without text (`body` instead)
 * @param {number} o.limit WeChat's text limit, in bytes of UTF-8 (`app_info().limits`)
 * @param {string} o.placeholder
 * @param {(text: string) => void} o.onInput
 * @param {boolean} o.busy a send under way: the button waits
 * @param {string} o.sendLabel
 * @param {() => void} [o.onSend] what the send button does; without it, it submits the form around
 * @param {{code: string, errcode?: number|null, message: string}|null} o.error
 * @param {number} [o.rows]
 * @param {Node|Node[]} [o.body] the fields of a message that is not text
 * @param {Node} [o.lead] a note in the line under the text, before the count
 * @param {Node} [o.note] a note in that line after the count
 * @param {Node} [o.cancel] a cancel button: the send button then sits beside it, below
 * @returns {Array<Node|Node[]|false|null|undefined>} children for `h`
 */
export function composer(o) {
  const send = h(
    'button',
    { type: o.onSend ? 'button' : 'submit', class: 'btn primary', id: `${o.id}-send`, disabled: o.busy, onclick: o.onSend },
    o.sendLabel,
  );
  const over = o.text !== null && byteLength(o.text) > o.limit;
  return [
    o.text === null
      ? o.body
      : h(
          'textarea',
          {
            id: `${o.id}-text`,
            rows: o.rows ?? 3,
            placeholder: o.placeholder,
            oninput: (e) => o.onInput(e.target.value),
          },
          o.text,
        ),
    h(
      'div',
      { class: 'compose-foot' },
      o.lead,
      o.text !== null && h('span', { class: `bytes${over ? ' over' : ''}`, id: `${o.id}-bytes` }, charsLeftLabel(o.text, t, o.limit)),
      o.note,
      !o.cancel && send,
    ),
    o.error &&
      h('p', { class: 'error-message', role: 'alert', id: `${o.id}-error`, dataset: { code: o.error.code, errcode: o.error.errcode ?? '' } }, o.error.message),
    o.cancel && h('div', { class: 'form-actions' }, send, o.cancel),
  ];
}
