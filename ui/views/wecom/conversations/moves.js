// Conversations (WeCom): the open conversation's head — its state, the moves that state
// allows (assign, queue, smart assistant, end) and the words an event code allows after one —
// and exporting it.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { stateWords } from '../../../lib/wecom/messages.js';
import { customerName, actionsFor, receivingServicers, newMsgid, eventWordsKind, STATE } from '../../../lib/wecom/conversations.js';
import { t } from '../../../i18n.js';
import { idChip, savePath, ownerName } from '../../common.js';
import { view, ui, accountName, servicerName } from './state.js';
import { avatar } from './list.js';
import { send } from './send.js';

export function conversationHead(d) {
  const c = d.customer;
  const name = customerName({ customer: c }, t);
  const s = d.state.state;
  const by = s === STATE.servicer && d.state.servicer_userid ? servicerName(d.open_kfid, d.state.servicer_userid) : null;
  return h(
    'div',
    { class: 'conv-head' },
    avatar(c, 40),
    h(
      'div',
      { class: 'who' },
      h('strong', { id: 'conv-name' }, name),
      ' ',
      idChip(d.external_userid, name),
      h(
        'div',
        { class: 'state-line' },
        h('span', { class: `state-badge s${s}`, id: 'conv-state', dataset: { state: s } }, stateWords(s, t), by ? ` · ${by}` : ''),
        ' ',
        h('span', { class: 'hint' }, t('conv.with', { account: accountName(d.open_kfid) })),
      ),
    ),
    h(
      'div',
      { class: 'conv-actions', id: 'conv-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          id: 'conv-search',
          onclick: () => view.ctx.open('archive', { open_kfid: d.open_kfid, external_userid: d.external_userid, name }),
        },
        t('conv.searchCustomer'),
      ),
      h('button', { type: 'button', class: 'btn small', id: 'conv-export', onclick: () => exportConversation(d, name) }, t('conv.export')),
      actionsFor(s, d.moves).map((a) =>
        h(
          'button',
          {
            type: 'button',
            class: `btn small${a.to === STATE.ended ? ' danger' : ''}${ui.move?.to === a.to ? ' on' : ''}`,
            dataset: { to: a.to },
            id: `conv-move-${a.to}`,
            onclick: () => openMove(a.to),
          },
          t(`conv.action.${a.key}`),
        ),
      ),
    ),
  );
}

/** The whole conversation from the archive as CSV. */
async function exportConversation(d, name) {
  const path = await savePath(t('conv.exportName', { name }), 'CSV', 'csv');
  if (!path) return;
  try {
    const out = await api.exportArchive({ open_kfid: d.open_kfid, external_userid: d.external_userid }, path);
    ui.notice = { kind: 'ok', text: t('archive.exported', { n: out.rows, path }) };
  } catch (err) {
    ui.notice = { kind: 'partial', text: err.message };
  }
  view.draw();
}

function openMove(to) {
  ui.move = { to, servicer: '', words: to === STATE.ended ? t('conv.words.end.default') : '', busy: false, error: null };
  ui.eventWords = null;
  ui.notice = null;
  view.draw();
  view.root.querySelector('#move-panel () => view.select(), #move-panel textarea')?.focus();
}

export function movePanel(d) {
  const m = ui.move;
  if (!m) return null;
  const name = customerName({ customer: d.customer }, t);
  const cancel = h(
    'button',
    {
      type: 'button',
      'data-close': true,
      class: 'btn',
      onclick: () => {
        ui.move = null;
        view.draw();
      },
    },
    t('common.cancel'),
  );
  const error = m.error && h('p', { class: 'error-message', role: 'alert', id: 'move-error', dataset: { errcode: m.error.errcode ?? '' } }, m.error.message);
  let body;
  if (m.to === STATE.servicer) {
    const people = receivingServicers(ui.servicers.get(d.open_kfid)?.rows ?? []).filter((p) => p.userid !== d.state.servicer_userid);
    if (!m.servicer && people.length) m.servicer = people[0].userid;
    body = people.length
      ? [
          h(
            'label',
            {},
            t('conv.move.to'),
            ' ',
            h(
              'select',
              {
                id: 'move-servicer',
                onchange: (e) => {
                  m.servicer = e.target.value;
                },
              },
              people.map((p) => h('option', { value: p.userid, selected: p.userid === m.servicer }, p.name === p.userid ? p.name : `${p.name} (${p.userid})`)),
            ),
          ),
          h('p', { class: 'hint' }, t('conv.move.onlyReceiving')),
          h(
            'div',
            { class: 'form-actions' },
            h(
              'button',
              { type: 'button', class: 'btn primary', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) },
              t(d.state.state === STATE.servicer ? 'conv.action.transfer' : 'conv.action.assign'),
            ),
            cancel,
          ),
        ]
      : [h('p', { class: 'hint', id: 'move-nobody' }, t('conv.move.nobody')), cancel];
  } else if (m.to === STATE.ended) {
    body = [
      h('p', {}, t('conv.move.endConfirm', { name, oa: ownerName(view.ctx) })),
      h(
        'label',
        { class: 'field' },
        h('span', { class: 'label' }, t('conv.words.end')),
        h(
          'textarea',
          {
            id: 'move-words',
            rows: 2,
            oninput: (e) => {
              m.words = e.target.value;
            },
          },
          m.words,
        ),
      ),
      h('p', { class: 'hint' }, t('conv.words.end.hint')),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn danger', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) }, t('conv.action.end')),
        cancel,
      ),
    ];
  } else {
    body = [
      h('p', {}, t(`conv.move.explain.${m.to}`, { name })),
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          { type: 'button', class: 'btn primary', id: 'move-go', disabled: m.busy, onclick: () => doMove(d) },
          t(m.to === STATE.queue ? 'conv.action.queue' : 'conv.action.assistant'),
        ),
        cancel,
      ),
    ];
  }
  return h('div', { class: 'session-panel move', id: 'move-panel', dataset: { to: m.to } }, body, error);
}

async function doMove(d) {
  const m = ui.move;
  m.busy = true;
  m.error = null;
  view.draw();
  const name = customerName({ customer: d.customer }, t);
  try {
    const out = await api.moveConversation(d.open_kfid, d.external_userid, m.to, m.to === STATE.servicer ? m.servicer : null);
    const kind = eventWordsKind(m.to);
    ui.move = null;
    ui.notice = { kind: 'ok', text: t(`conv.moved.${m.to}`, { name, servicer: m.to === STATE.servicer ? servicerName(d.open_kfid, m.servicer) : '' }) };
    if (out.msg_code && m.to === STATE.ended && m.words.trim()) {
      // The ending code lasts 20 seconds: the words go at once.
      await sendWords(d, out.msg_code, m.words);
    } else if (out.msg_code && kind) {
      ui.eventWords = { code: out.msg_code, kind, text: t(`conv.words.${kind}.default`), busy: false, error: null };
    }
  } catch (err) {
    m.busy = false;
    m.error = err;
  }
  await view.loadDetail();
  view.draw();
  view.reload();
}

async function sendWords(d, code, text) {
  try {
    await api.sendEventMessage(d.open_kfid, d.external_userid, code, newMsgid(), text.trim());
    ui.notice = { kind: 'ok', text: `${ui.notice?.text ?? ''} ${t('conv.words.sent')}`.trim() };
    ui.eventWords = null;
  } catch (err) {
    ui.notice = { kind: 'partial', text: `${ui.notice?.text ?? ''} ${t('conv.words.failed', { message: err.message })}`.trim() };
  }
}

/** After a move into the queue or to a servicer: the one message WeCom allows for it. */
export function eventWordsPanel(d) {
  const w = ui.eventWords;
  if (!w) return null;
  return h(
    'div',
    { class: 'session-panel words', id: 'words-panel' },
    h('p', {}, t(`conv.words.${w.kind}.offer`)),
    h(
      'textarea',
      {
        id: 'words-text',
        rows: 2,
        oninput: (e) => {
          w.text = e.target.value;
        },
      },
      w.text,
    ),
    w.error && h('p', { class: 'error-message', role: 'alert' }, w.error.message),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          id: 'words-send',
          disabled: w.busy || !w.text.trim(),
          onclick: async () => {
            w.busy = true;
            view.draw();
            await sendWords(d, w.code, w.text);
            w.busy = false;
            await view.loadDetail();
            view.draw();
          },
        },
        t('conv.words.send'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () => {
            ui.eventWords = null;
            view.draw();
          },
        },
        t('conv.words.skip'),
      ),
    ),
  );
}
