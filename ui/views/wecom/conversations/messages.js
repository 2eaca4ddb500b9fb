// Conversations (WeCom): the customer panel and the messages of the open conversation, with
// pictures shown and files saved on request.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { cstDateTime } from '../../../lib/days.js';
import { messageWords, eventWords } from '../../../lib/wecom/messages.js';
import { failures, entryParts } from '../../../lib/wecom/conversations.js';
import { t, lang } from '../../../i18n.js';
import { idChip, savePath } from '../../common.js';
import { view, ui, accountName, servicerName } from './state.js';

export function customerPanel(d) {
  const c = d.customer;
  const gender = { 1: 'male', 2: 'female' }[c?.gender] ?? 'unknown';
  const when = (s) => (s ? cstDateTime(s, lang()) : '—');
  const entry = entryParts(c?.context);
  // Open or closed as the user left it: a new message redraws the page.
  return h(
    'details',
    {
      class: 'customer-panel',
      id: 'customer-panel',
      open: ui.customerOpen || null,
      ontoggle: (e) => {
        ui.customerOpen = e.target.open;
      },
    },
    h('summary', {}, t('conv.customer.title')),
    h(
      'dl',
      {},
      h('dt', {}, t('conv.customer.gender')),
      h('dd', {}, t(`conv.gender.${gender}`)),
      c?.unionid && [h('dt', {}, 'UnionID'), h('dd', {}, idChip(c.unionid, 'UnionID'))],
      h('dt', {}, t('conv.customer.entry')),
      h('dd', { id: 'customer-entry' }, entry.length ? entry.map(([k, v]) => h('span', { class: 'tag' }, t(`conv.entry.${k}`, { v }))) : t('conv.entry.none')),
      h('dt', {}, t('conv.customer.first')),
      h('dd', {}, when(d.first_contact)),
      h('dt', {}, t('conv.customer.last')),
      h('dd', {}, when(d.last_contact)),
    ),
    c?.invalid && h('p', { class: 'hint' }, t('conv.customer.invalidHint')),
  );
}

export function messagesBox(d) {
  const failed = failures(d.messages);
  return h(
    'div',
    { class: 'conv-messages', id: 'conv-messages' },
    d.messages.length === 0 && h('p', { class: 'empty' }, t('conv.noMessages')),
    d.messages
      .filter((m) => !(m.msgtype === 'event' && m.raw?.event?.event_type === 'msg_send_fail' && failed.has(m.raw.event.fail_msgid)))
      .map((m) => {
        const w = messageWords({ ...m.raw, origin: m.origin }, t);
        const time = cstDateTime(m.send_time, lang());
        if (w.kind === 'event') return h('p', { class: 'event-line', key: `msg:${m.msgid}`, dataset: { msgid: m.msgid } }, w.text, ' · ', time);
        const fail = failed.get(m.msgid);
        // A colleague's reply through KefuDesk Server carries their name.
        const colleague = m.raw?.kefudesk?.sent_by;
        const sender =
          w.who === 'servicer'
            ? servicerName(d.open_kfid, m.servicer_userid)
            : w.who === 'kf'
              ? colleague
                ? t('conv.sentByColleague', { account: accountName(d.open_kfid), name: colleague })
                : accountName(d.open_kfid)
              : null;
        return h(
          'div',
          { class: `bubble ${w.who}${fail ? ' failed' : ''}`, key: `msg:${m.msgid}`, dataset: { msgid: m.msgid, who: w.who } },
          sender && h('span', { class: 'sender' }, sender),
          h('span', { class: 'text' }, w.text),
          mediaControls(m),
          h('span', { class: 'time' }, time),
          fail && h('span', { class: 'fail', role: 'note' }, eventWords(fail, t)),
        );
      }),
  );
}

/** Pictures are shown and files saved only when asked: WeCom is not asked for every file. */
function mediaControls(m) {
  const id = m.raw?.[m.msgtype]?.media_id;
  if (!id || !['image', 'voice', 'video', 'file'].includes(m.msgtype)) return null;
  const shown = ui.media.get(id);
  if (m.msgtype === 'image' && shown?.url) return h('img', { class: 'media-preview', src: shown.url, alt: t('wmsg.image') });
  return [
    m.msgtype === 'image' &&
      h('button', { type: 'button', class: 'btn tiny media-show', disabled: shown?.busy, onclick: () => showPicture(id) }, t('conv.media.show')),
    h('button', { type: 'button', class: 'btn tiny media-save', onclick: () => saveMediaFile(m, id) }, t('conv.media.save')),
    shown?.error && h('span', { class: 'error-message media-error', role: 'alert' }, shown.error.message),
  ];
}

async function showPicture(id) {
  ui.media.set(id, { busy: true });
  view.draw();
  try {
    ui.media.set(id, { url: await api.mediaPreview(id) });
  } catch (err) {
    ui.media.set(id, { error: err });
  }
  view.draw();
}

async function saveMediaFile(m, id) {
  const ext = { image: 'jpg', voice: 'amr', video: 'mp4', file: 'bin' }[m.msgtype];
  const name = m.raw?.file?.file_name || `${m.msgtype}-${m.msgid}.${ext}`;
  const path = await savePath(name, t(`wmsg.${m.msgtype}`), ext);
  if (!path) return;
  try {
    await api.saveMedia(id, path);
    ui.notice = { kind: 'ok', text: t('conv.media.saved', { path }) };
    ui.media.delete(id);
  } catch (err) {
    ui.media.set(id, { error: err });
  }
  view.draw();
}
