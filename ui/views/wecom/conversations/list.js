// Conversations (WeCom): the list of customers, grouped by session state, each with what
// they said last, their state and how long ago.
import * as api from '../../../api.js';
import { h } from '../../../lib/dom.js';
import { formatDuration } from '../../../lib/format.js';
import { cstDateTime } from '../../../lib/days.js';
import { messageWords, stateWords } from '../../../lib/wecom/messages.js';
import { groupByState, customerName, convKey, STATE } from '../../../lib/wecom/conversations.js';
import { t, lang } from '../../../i18n.js';
import { view, ui, STALE_SECS, accountName, selectedKey, servicerName } from './state.js';

export function listPane() {
  const list = ui.list;
  if (!list) return h('p', { class: 'loading' }, t('common.loading'));
  const stale = list.stale && h('p', { class: 'notice stale', id: 'conv-stale' }, t('conv.stale', { message: list.stale.message }));
  if (!list.rows.length) return [stale, h('p', { class: 'empty', id: 'conv-empty' }, t('conv.empty'))];
  return [
    stale,
    groupByState(list.rows).map((g) =>
      h(
        'div',
        { class: 'conv-group', dataset: { state: g.state ?? 'unknown' } },
        h('h2', {}, g.state === null ? t('conv.state.unknown') : stateWords(g.state, t), ' ', h('span', { class: 'count' }, g.rows.length)),
        g.rows.map((r) => listItem(r, list.now)),
      ),
    ),
  ];
}

function listItem(r, now) {
  const name = customerName(r, t);
  const words = messageWords({ ...r.last.raw, origin: r.last.origin }, t);
  const selected = selectedKey() === convKey(r.open_kfid, r.external_userid);
  const state = r.state;
  const by = state?.state === STATE.servicer && state.servicer_userid ? t('conv.by', { name: servicerName(r.open_kfid, state.servicer_userid) }) : null;
  const old = state && now - state.checked_at > STALE_SECS;
  return h(
    'button',
    {
      type: 'button',
      class: `conv-item${selected ? ' selected' : ''}`,
      key: `conv:${r.open_kfid}:${r.external_userid}`,
      dataset: { customer: r.external_userid, account: r.open_kfid },
      'aria-current': selected ? 'true' : 'false',
      onclick: () => view.select(r),
    },
    avatar(r.customer),
    h('span', { class: 'who' }, h('span', { class: `name${r.customer?.nickname ? '' : ' unknown'}` }, name), h('span', { class: 'last' }, words.text)),
    h(
      'span',
      { class: 'meta' },
      h('span', { class: 'ago', title: cstDateTime(r.last_time, lang()) }, formatDuration(Math.max(0, now - r.last_time), t)),
      !ui.account && h('span', { class: 'acct' }, accountName(r.open_kfid)),
      by && h('span', { class: 'by' }, by),
      old && h('span', { class: 'stale-mark', title: t('conv.checked', { ago: formatDuration(now - state.checked_at, t) }) }, t('conv.staleMark')),
    ),
  );
}

export function avatar(c, size = 32) {
  return c?.avatar
    ? h('img', { class: 'avatar', src: api.avatarSrc(c.avatar), alt: '', width: size, height: size, loading: 'lazy' })
    : h('span', { class: 'avatar placeholder', style: `width:${size}px;height:${size}px` }, (c?.nickname || '?').slice(0, 1));
}
