// Conversations (WeCom): the composer of the open conversation — text, menu, picture or link
// (the shared composer for text), a draft per conversation, and sending it once.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { byteLength } from '../../../lib/format.js';
import { cstDateTime } from '../../../lib/days.js';
import { convKey, newMsgid } from '../../../lib/wecom/conversations.js';
import { t, lang } from '../../../i18n.js';
import { chooseFile } from '../../avatar-picker.js';
import { composer } from '../../composer.js';
import { view, ui, textBytes, accountName } from './state.js';

function draft(d) {
  const key = convKey(d.open_kfid, d.external_userid);
  if (!ui.drafts.has(key))
    ui.drafts.set(key, {
      kind: 'text',
      text: '',
      head: '',
      items: '',
      tail: '',
      title: '',
      url: '',
      desc: '',
      picture: null,
      msgid: newMsgid(),
      error: null,
      busy: false,
    });
  return ui.drafts.get(key);
}

const KINDS = ['text', 'menu', 'image', 'link'];

export function sendPanel(d) {
  if (d.refusal) {
    return h('div', { class: 'composer refused', id: 'composer-refusal', role: 'note', dataset: { code: d.refusal.code } }, d.refusal.message);
  }
  const dr = draft(d);
  const r = d.replies;
  const input = (key, id, rows, placeholder) =>
    h(
      'textarea',
      {
        id,
        rows,
        placeholder,
        oninput: (e) => {
          dr[key] = e.target.value;
        },
      },
      dr[key],
    );
  let body;
  if (dr.kind === 'menu') {
    body = [
      input('head', 'composer-head', 1, t('conv.compose.menuHead')),
      input('items', 'composer-items', 3, t('conv.compose.menuItems')),
      input('tail', 'composer-tail', 1, t('conv.compose.menuTail')),
    ];
  } else if (dr.kind === 'image' || dr.kind === 'link') {
    const pick = h(
      'div',
      { class: 'picture-pick', id: 'composer-picture' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          id: 'composer-choose',
          onclick: async () => {
            const path = await chooseFile();
            if (path) {
              dr.picture = path;
              view.draw();
            }
          },
        },
        t('conv.compose.choosePicture'),
      ),
      h('span', { class: 'hint', id: 'composer-picture-name' }, dr.picture ? dr.picture.split(/[\\/]/).pop() : t('conv.compose.dropPicture')),
    );
    const line = (key, id, placeholder) =>
      h('input', {
        id,
        value: dr[key],
        placeholder,
        oninput: (e) => {
          dr[key] = e.target.value;
        },
      });
    body =
      dr.kind === 'link'
        ? [
            line('title', 'composer-title', t('conv.compose.linkTitle')),
            line('url', 'composer-url', 'https://'),
            line('desc', 'composer-desc', t('conv.compose.linkDesc')),
            pick,
          ]
        : pick;
  }
  return h(
    'form',
    {
      class: 'composer',
      id: 'composer',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        send(d);
      },
    },
    h(
      'div',
      { class: 'segmented', id: 'composer-kind', role: 'group' },
      KINDS.map((k) =>
        h(
          'button',
          {
            type: 'button',
            class: dr.kind === k ? 'on' : '',
            dataset: { kind: k },
            'aria-pressed': String(dr.kind === k),
            onclick: () => {
              dr.kind = k;
              dr.error = null;
              view.draw();
            },
          },
          t(`conv.compose.kind.${k}`),
        ),
      ),
    ),
    composer({
      id: 'composer',
      text: dr.kind === 'text' ? dr.text : null,
      body,
      limit: textBytes(),
      placeholder: t('conv.compose.placeholder', { account: accountName(d.open_kfid) }),
      onInput: (text) => {
        dr.text = text;
        view.draw();
      },
      busy: dr.busy,
      sendLabel: t(dr.busy ? 'conv.compose.sending' : 'conv.compose.send'),
      error: dr.error,
      lead: h(
        'span',
        { class: 'replies', id: 'composer-replies' },
        r.until ? t('conv.compose.replies', { n: r.left, until: cstDateTime(r.until, lang()) }) : t('conv.compose.repliesUnknown'),
      ),
    }),
  );
}

/** A picture dropped on the window goes into the open conversation's composer. */
export function handleDrop(paths) {
  const d = ui.detail;
  if (!d || d.refusal || !paths?.length) return;
  const dr = draft(d);
  // A link card takes the picture as its thumbnail; otherwise the picture is the message.
  if (dr.kind !== 'link') dr.kind = 'image';
  dr.picture = paths[0];
  dr.error = null;
  view.draw();
}

/**
 * The message the draft holds, or the words saying what is missing.
 * @returns {{message?: import('../../../api.js').Outgoing, error?: string}}
 */
function outgoing(dr) {
  if (dr.kind === 'menu') {
    const items = dr.items
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    if (!items.length) return { error: t('conv.compose.menuEmpty') };
    return { message: { kind: 'menu', head: dr.head, items, tail: dr.tail } };
  }
  if (dr.kind === 'image') return dr.picture ? { message: { kind: 'image', path: dr.picture } } : { error: t('conv.compose.noPicture') };
  if (dr.kind === 'link') {
    if (!dr.title.trim() || !/^https?:\/\/\S+$/.test(dr.url.trim())) return { error: t('conv.compose.linkIncomplete') };
    if (!dr.picture) return { error: t('conv.compose.noPicture') };
    return { message: { kind: 'link', title: dr.title, url: dr.url, desc: dr.desc, picture: dr.picture } };
  }
  if (!dr.text.trim()) return { error: t('conv.compose.empty') };
  if (byteLength(dr.text) > textBytes())
    return { error: t('conv.compose.tooLong', { n: byteLength(dr.text), max: textBytes(), chars: view.ctx.info.limits.text_chinese_chars }) };
  return { message: { kind: 'text', text: dr.text } };
}

export async function send(d) {
  const dr = draft(d);
  const { message, error } = outgoing(dr);
  if (error) dr.error = { code: 'invalid_input', message: error };
  else {
    dr.error = null;
    dr.busy = true;
    view.draw();
    try {
      // The same msgid on every try of this message: a retry after a lost answer is not sent twice.
      const out = await api.sendKfMessage(d.open_kfid, d.external_userid, dr.msgid, message);
      ui.drafts.delete(convKey(d.open_kfid, d.external_userid));
      ui.notice = { kind: 'ok', text: t(out.already ? 'conv.compose.already' : 'conv.compose.sent') };
      await view.loadDetail();
    } catch (err) {
      dr.error = err;
    }
    dr.busy = false;
  }
  view.draw();
  view.root.querySelector('#composer-error')?.scrollIntoView({ block: 'nearest' });
}
