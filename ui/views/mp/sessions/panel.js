// The Sessions page's open panel: a message to a customer as an agent (the shared composer),
// a transfer to another agent, or closing with a goodbye; and the actions it runs.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { byteLength } from '../../../lib/format.js';
import { assignTargets } from '../../../lib/mp/sessions.js';
import { t } from '../../../i18n.js';
import { ownerName } from '../../common.js';
import { composer } from '../../composer.js';
import { view, ui, textBytes, nick, who, TYPING_MS } from './state.js';
import { targetOption } from './queue.js';
import { lookup } from './customers.js';

/** When WeChat last showed "typing…" for the open message (0: not since it was sent). */
let typingAt = 0;

export function panelIn(place, agent, openid) {
  const p = ui.panel;
  return p && p.place === place && p.agent === agent && (openid === null || p.openid === openid) ? panel() : null;
}

export function openPanel(place, kind, agent, openid) {
  const targets = assignTargets(ui.data?.agents ?? [], agent);
  ui.panel = {
    place,
    kind,
    agent,
    openid,
    free: place === 'agent',
    text: '',
    to: targets.find((g) => !g.full)?.kf_account ?? targets[0]?.kf_account ?? '',
    error: null,
    busy: false,
    noteSent: false,
  };
  ui.notice = null;
  ui.actionError = null;
  view.draw();
  const panelEl = view.root.querySelector('#session-panel');
  panelEl?.querySelector('input, textarea, select')?.focus({ preventScroll: true });
  panelEl?.scrollIntoView({ block: 'nearest' });
}

function closePanel() {
  const p = ui.panel;
  if (p?.kind === 'message' && typingAt && p.openid) api.setTyping(p.openid, false).catch(() => {});
  typingAt = 0;
  ui.panel = null;
  view.draw();
  if (ui.held) view.refresh();
}

/** The open panel: write a message, choose the agent to transfer to, or confirm closing. */
export function panel() {
  const p = ui.panel;
  const cancel = h('button', { type: 'button', 'data-close': true, class: 'btn', id: 'panel-cancel', onclick: closePanel }, t('common.cancel'));
  const error =
    p.error &&
    h('p', { class: 'error-message', role: 'alert', id: 'panel-error', dataset: { code: p.error.code, errcode: p.error.errcode ?? '' } }, p.error.message);
  let body;
  if (p.kind === 'message') {
    body = [
      p.free &&
        h(
          'label',
          { class: 'field' },
          h('span', { class: 'label' }, t('sessions.compose.to')),
          h('input', {
            id: 'compose-openid',
            value: p.openid,
            autocomplete: 'off',
            spellcheck: 'false',
            oninput: (e) => {
              p.openid = e.target.value;
            },
          }),
        ),
      h('p', { class: 'hint' }, t('sessions.compose.as', { agent: `${nick(p.agent)} (${p.agent})` })),
      composer({
        id: 'compose',
        text: p.text,
        limit: textBytes(),
        placeholder: t('sessions.compose.placeholder'),
        onInput: onCompose,
        busy: p.busy,
        sendLabel: t('sessions.send'),
        onSend: send,
        error: p.error,
        note: h('span', { class: 'hint' }, t('sessions.compose.rules')),
        cancel,
      }),
    ];
  } else if (p.kind === 'transfer') {
    const targets = assignTargets(ui.data?.agents ?? [], p.agent);
    body = [
      h('p', { class: 'explain', id: 'transfer-explain' }, t('sessions.transfer.explain', { from: nick(p.agent) })),
      targets.length
        ? h(
            'div',
            { class: 'inline-form' },
            h(
              'label',
              {},
              t('sessions.transfer.to'),
              ' ',
              h(
                'select',
                {
                  id: 'transfer-to',
                  onchange: (e) => {
                    p.to = e.target.value;
                  },
                },
                targets.map((g) => targetOption(g, g.kf_account === p.to)),
              ),
            ),
            h('button', { type: 'button', class: 'btn primary', id: 'transfer-go', disabled: p.busy, onclick: transfer }, t('sessions.transfer')),
            cancel,
          )
        : [h('p', { class: 'hint' }, t('sessions.transfer.noTarget')), cancel],
      error,
    ];
  } else {
    body = [
      h('p', {}, t('sessions.close.confirm', { openid: who(p.openid), agent: nick(p.agent), oa: ownerName(view.ctx) })),
      h(
        'label',
        { class: 'field' },
        h('span', { class: 'label' }, t('sessions.close.note')),
        h(
          'textarea',
          {
            id: 'close-note',
            rows: 2,
            oninput: (e) => {
              p.text = e.target.value;
            },
          },
          p.text,
        ),
      ),
      error,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn danger', id: 'close-go', disabled: p.busy, onclick: () => closeSession(!p.noteSent) }, t('sessions.close')),
        p.error?.noteFailed &&
          h(
            'button',
            { type: 'button', class: 'btn', id: 'close-without-note', disabled: p.busy, onclick: () => closeSession(false) },
            t('sessions.close.withoutNote'),
          ),
        cancel,
      ),
    ];
  }
  return h('div', { class: `session-panel ${p.kind}`, id: 'session-panel', dataset: { kind: p.kind, agent: p.agent, openid: p.openid } }, body);
}

function onCompose(text) {
  const p = ui.panel;
  p.text = text;
  view.draw();
  // "Typing…" on the customer's phone, at most once per 15 s; refused outside a recent exchange.
  const openid = p.openid.trim();
  if (openid && p.text && Date.now() - typingAt > TYPING_MS) {
    typingAt = Date.now();
    api.setTyping(openid, true).catch(() => {});
  }
}

async function send() {
  const p = ui.panel;
  if (!p.text.trim()) p.error = { code: 'invalid_input', message: t('sessions.compose.empty') };
  else if (byteLength(p.text) > textBytes())
    p.error = { code: 'invalid_input', message: t('sessions.compose.tooLong', { max: textBytes(), chars: view.ctx.info.limits.text_chinese_chars }) };
  else {
    p.error = null;
    p.busy = true;
    view.draw();
    try {
      await api.sendText(p.agent, p.openid.trim(), p.text);
      typingAt = 0;
      ui.panel = null;
      ui.notice = { kind: 'ok', text: t('sessions.sent', { openid: who(p.openid.trim()), agent: nick(p.agent) }) };
    } catch (err) {
      p.error = err;
    }
    p.busy = false;
  }
  drawPanelError();
}

/** Redraws with the panel's message in view. */
function drawPanelError() {
  view.draw();
  view.root.querySelector('#session-panel .error-message')?.scrollIntoView({ block: 'nearest' });
}

export async function transfer() {
  const p = ui.panel;
  p.busy = true;
  p.error = null;
  view.draw();
  try {
    const out = await api.transferSession(p.agent, p.to, p.openid);
    const names = { openid: who(p.openid), from: nick(p.agent), to: nick(p.to) };
    ui.notice = out.create_error
      ? { kind: 'partial', text: t('sessions.transfer.half', { ...names, error: out.create_error.message }) }
      : { kind: 'ok', text: t('sessions.transferred', names) };
    panelDone();
  } catch (err) {
    p.busy = false;
    p.error = err;
    drawPanelError();
  }
}

/** After a transfer or close: the panel goes, a lookup answer is out of date, things moved. */
function panelDone() {
  if (ui.panel?.place === 'lookup') ui.lookup.result = null;
  ui.panel = null;
  view.refresh();
}

/** Closes, with the goodbye message first (Rust sends it; when it fails the session stays open). */
async function closeSession(withNote) {
  const p = ui.panel;
  p.busy = true;
  p.error = null;
  view.draw();
  try {
    const out = await api.closeSession(p.agent, p.openid, withNote ? p.text : null);
    if (out.goodbye_sent) p.noteSent = true;
    if (out.close_error) throw { ...out.close_error, message: t('sessions.close.sentNotClosed', { error: out.close_error.message }) };
    ui.notice = { kind: 'ok', text: t('sessions.closed', { openid: who(p.openid), agent: nick(p.agent) }) };
    panelDone();
  } catch (err) {
    p.busy = false;
    // An error means nothing happened: the goodbye (if any) could not be sent.
    p.error = { ...err, noteFailed: withNote && Boolean(p.text.trim()) };
    drawPanelError();
  }
}

export async function act(call, okText) {
  ui.actionError = null;
  ui.notice = null;
  try {
    await call();
    ui.notice = { kind: 'ok', text: okText() };
  } catch (err) {
    ui.actionError = err;
  }
  // Refreshed either way: a refusal (65414: someone else took the customer) means things moved.
  view.refresh();
}
