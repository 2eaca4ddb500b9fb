import { test } from 'node:test';
import assert from 'node:assert/strict';
import zh from '../i18n/zh-CN.js';
import en from '../i18n/en.js';
import { messageWords, eventWords, stateWords } from '../lib/wecom/messages.js';

const tr =
  (cat) =>
  (k, p = {}) => {
    const s = cat[k];
    assert.ok(s, `missing key ${k}`);
    return s.replace(/\{(\w+)\}/g, (m, x) => (x in p ? String(p[x]) : m));
  };
const tz = tr(zh);
const te = tr(en);

const TYPES = {
  text: { content: '你好' },
  image: { media_id: 'm' },
  voice: { media_id: 'm' },
  video: { media_id: 'm' },
  file: { media_id: 'm' },
  location: { latitude: 23.1, longitude: 113.3, name: '星河门店', address: '天河路 1 号' },
  link: { title: '物流', url: 'https://x' },
  business_card: { userid: 'LiNa' },
  miniprogram: { title: '商城' },
  msgmenu: { head_content: '请评价', list: [{}, {}] },
  channels_shop_product: { title: '保温杯', shop_nickname: '星河' },
  channels_shop_order: { product_titles: '保温杯', price_wording: '¥99' },
  merged_msg: { title: '群聊', item: [{}] },
  channels: { nickname: '星河', title: '直播' },
  meeting: {},
  schedule: {},
  note: {},
};

test('every message type of the WeCom doc is a sentence in both languages', () => {
  for (const [type, body] of Object.entries(TYPES)) {
    for (const t of [tz, te]) {
      const w = messageWords({ origin: 3, msgtype: type, [type]: body }, t);
      assert.equal(w.who, 'customer');
      assert.ok(w.text && !w.text.includes('{'), `${type}: ${w.text}`);
    }
  }
  assert.equal(messageWords({ origin: 3, msgtype: 'location', location: TYPES.location }, tz).text, '[位置] 星河门店 天河路 1 号');
  assert.equal(messageWords({ origin: 5, msgtype: 'text', text: { content: '好的' } }, te).who, 'servicer');
  assert.equal(messageWords({ origin: 3, msgtype: 'text', text: { content: '满意', menu_id: '101' } }, te).text, 'Chose from the menu: 满意');
  assert.match(messageWords({ origin: 3, msgtype: 'hologram', hologram: {} }, te).text, /does not know yet: hologram/);
});

test('every event is a quiet line with what happened', () => {
  const ev = (event) => messageWords({ origin: 4, msgtype: 'event', event }, tz);
  assert.deepEqual(ev({ event_type: 'enter_session', scene: 'store_12', scene_param: 'A1' }), {
    who: 'system',
    kind: 'event',
    text: '客户从场景「store_12」进入会话 · A1',
  });
  assert.equal(ev({ event_type: 'enter_session' }).text, '客户进入会话');
  assert.equal(ev({ event_type: 'msg_send_fail', fail_type: 4 }).text, '消息未送达：会话已超过 48 小时');
  assert.equal(ev({ event_type: 'msg_send_fail', fail_type: 6 }).text, '消息未送达：超过 5 条的限制');
  assert.equal(ev({ event_type: 'msg_send_fail', fail_type: 99 }).text, '消息未送达：原因未知');
  // The event's own encoding: 1 接待中, 2 停止接待.
  assert.equal(ev({ event_type: 'servicer_status_change', servicer_userid: 'LiNa', status: 1 }).text, 'LiNa 开始接待');
  assert.equal(ev({ event_type: 'servicer_status_change', servicer_userid: 'LiNa', status: 2, stop_type: 1 }).text, 'LiNa 暂时挂起');
  assert.equal(ev({ event_type: 'servicer_status_change', servicer_userid: 'LiNa', status: 2, stop_type: 0 }).text, 'LiNa 停止接待');
  assert.equal(ev({ event_type: 'session_status_change', change_type: 2, old_servicer_userid: 'A', new_servicer_userid: 'B' }).text, '会话从 A 转给了 B');
  assert.equal(ev({ event_type: 'session_status_change', change_type: 3, old_servicer_userid: 'A' }).text, 'A 结束了会话');
  for (const e of ['user_recall_msg', 'servicer_recall_msg', 'reject_customer_msg_switch_change', 'something_new']) {
    assert.ok(!eventWords({ event_type: e, servicer_userid: 'S', reject_switch: 1 }, te).includes('{'), e);
  }
  for (let f = 0; f <= 13; f++) assert.ok(!ev({ event_type: 'msg_send_fail', fail_type: f }).text.includes('wmsg'), `fail_type ${f}`);
});

test('session states in words', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((s) => stateWords(s, tz)),
    ['未处理', '智能助手接待', '排队中', '人工接待', '已结束'],
  );
  assert.equal(stateWords(3, te), 'With a servicer');
});
