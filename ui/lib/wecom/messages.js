// Every WeCom message type (document/path/94670 §message types) and event in words, for the
// Conversations page: pure, `t` passed in, tested under node with both catalogues.

import { STATE } from './conversations.js';

const FAIL_KEYS = {
  0: 'unknown',
  1: 'accountDeleted',
  2: 'appClosed',
  4: 'expired',
  5: 'closed',
  6: 'quota',
  7: 'noChannels',
  8: 'unverified',
  9: 'noChannelsUnverified',
  10: 'rejected',
  11: 'noMember',
  12: 'forbiddenType',
  13: 'security',
};
const STATE_KEYS = {
  [STATE.untreated]: 'new',
  [STATE.assistant]: 'assistant',
  [STATE.queue]: 'queued',
  [STATE.servicer]: 'servicer',
  [STATE.ended]: 'ended',
};

/** The words of a session state. */
export function stateWords(state, t) {
  return t(`wmsg.state.${STATE_KEYS[state] ?? 'ended'}`);
}

/**
 * One archived item as a line a person reads: `{who, text, kind}` where `who` is `customer`,
 * `servicer`, `kf` (sent through this app) or `system`, and `kind` is `message` or `event` (events are shown as quiet lines).
 * `m` is the item as WeCom sent it (msgtype + the payload under that key).
 */
export function messageWords(m, t) {
  // origin 0: sent by this app as the kf account (WeCom's sync_msg never returns those).
  const who = m.origin === 0 ? 'kf' : m.origin === 5 ? 'servicer' : m.origin === 4 || m.msgtype === 'event' ? 'system' : 'customer';
  const b = m[m.msgtype] ?? {};
  const line = (text) => ({ who, kind: 'message', text });
  switch (m.msgtype) {
    case 'text':
      return line(b.menu_id ? t('wmsg.menuClick', { text: b.content ?? '' }) : (b.content ?? ''));
    case 'image':
      return line(t('wmsg.image'));
    case 'voice':
      return line(t('wmsg.voice'));
    case 'video':
      return line(t('wmsg.video'));
    case 'file':
      return line(t('wmsg.file'));
    case 'location':
      return line(t('wmsg.location', { name: b.name ?? '', address: b.address ?? '' }));
    case 'link':
      return line(t('wmsg.link', { title: b.title ?? '', url: b.url ?? '' }));
    case 'business_card':
      return line(t('wmsg.card', { userid: b.userid ?? '' }));
    case 'miniprogram':
      return line(t('wmsg.miniprogram', { title: b.title ?? '' }));
    case 'msgmenu':
      return line(t('wmsg.menu', { head: b.head_content ?? '', n: (b.list ?? []).length }));
    case 'channels_shop_product':
      return line(t('wmsg.product', { title: b.title ?? '', shop: b.shop_nickname ?? '' }));
    case 'channels_shop_order':
      return line(t('wmsg.order', { titles: b.product_titles ?? '', price: b.price_wording ?? '' }));
    case 'merged_msg':
      return line(t('wmsg.merged', { title: b.title ?? '', n: (b.item ?? []).length }));
    case 'channels':
      return line(t('wmsg.channels', { nickname: b.nickname ?? '', title: b.title ?? '' }));
    case 'meeting':
    case 'schedule':
    case 'note':
      return line(t(`wmsg.${m.msgtype}`));
    case 'event':
      return { who: 'system', kind: 'event', text: eventWords(b, t) };
    default:
      return line(t('wmsg.unknown', { type: m.msgtype ?? '' }));
  }
}

/** An event (msgtype `event`) in words. */
export function eventWords(e, t) {
  switch (e.event_type) {
    case 'enter_session':
      return e.scene ? t('wmsg.ev.enterScene', { scene: e.scene, param: e.scene_param ? ` · ${e.scene_param}` : '' }) : t('wmsg.ev.enter');
    case 'msg_send_fail':
      return t('wmsg.ev.sendFail', { reason: t(`wmsg.fail.${FAIL_KEYS[e.fail_type] ?? 'unknown'}`) });
    // The event encodes 1 = 接待中, 2 = 停止接待 (servicer/list uses 0 and 1).
    case 'servicer_status_change':
      return t(e.status === 1 ? 'wmsg.ev.receiving' : e.stop_type === 1 ? 'wmsg.ev.paused' : 'wmsg.ev.stopped', { servicer: e.servicer_userid ?? '' });
    case 'session_status_change': {
      const keys = { 1: 'accepted', 2: 'transferred', 3: 'ended', 4: 'reopened' };
      return t(`wmsg.ev.session.${keys[e.change_type] ?? 'changed'}`, { from: e.old_servicer_userid ?? '', to: e.new_servicer_userid ?? '' });
    }
    case 'user_recall_msg':
      return t('wmsg.ev.userRecall');
    case 'servicer_recall_msg':
      return t('wmsg.ev.servicerRecall', { servicer: e.servicer_userid ?? '' });
    case 'reject_customer_msg_switch_change':
      return t(e.reject_switch === 1 ? 'wmsg.ev.rejectOn' : 'wmsg.ev.rejectOff', { servicer: e.servicer_userid ?? '' });
    default:
      return t('wmsg.ev.other', { type: e.event_type ?? '' });
  }
}
