import { test } from 'node:test';
import assert from 'node:assert/strict';
import zh from '../i18n/zh-CN.js';
import en from '../i18n/en.js';
import {
  groupByState,
  customerName,
  actionsFor,
  receivingServicers,
  failures,
  newMsgid,
  eventWordsKind,
  entryParts,
  dayRange,
  highlight,
} from '../lib/wecom/conversations.js';
import { messageWords } from '../lib/wecom/messages.js';
import { byteLength } from '../lib/format.js';

const tr =
  (cat) =>
  (k, p = {}) => {
    const s = cat[k];
    assert.ok(s, `missing key ${k}`);
    return s.replace(/\{(\w+)\}/g, (m, x) => (x in p ? String(p[x]) : m));
  };

const row = (id, state, last) => ({ external_userid: id, state: state === null ? null : { state }, last_time: last });

test('conversations are grouped by state, new first and unknown last, newest first inside', () => {
  const groups = groupByState([row('a', 3, 10), row('b', 0, 5), row('c', 0, 9), row('d', null, 1), row('e', 4, 2), row('f', 7, 3)]);
  assert.deepEqual(
    groups.map((g) => g.state),
    [0, 3, 4, null],
  );
  assert.deepEqual(
    groups[0].rows.map((r) => r.external_userid),
    ['c', 'b'],
  );
  assert.deepEqual(
    groups[3].rows.map((r) => r.external_userid),
    ['f', 'd'],
    'an unexpected state counts as unknown',
  );
});

test('names, or words saying why there is none, in both languages', () => {
  for (const cat of [zh, en]) {
    const t = tr(cat);
    assert.equal(customerName({ customer: { nickname: '张三' } }, t), '张三');
    assert.notEqual(customerName({ customer: { nickname: '', invalid: true } }, t), customerName({ customer: null }, t));
  }
});

test('only the moves a state allows are offered, a transfer in state 3', () => {
  assert.deepEqual(
    actionsFor(0, [1, 2, 3, 4]).map((a) => a.key),
    ['assign', 'queue', 'assistant', 'end'],
  );
  assert.deepEqual(
    actionsFor(3, [3, 4]).map((a) => a.key),
    ['transfer', 'end'],
  );
  assert.deepEqual(actionsFor(4, []), []);
  for (const cat of [zh, en]) for (const k of ['assign', 'transfer', 'queue', 'assistant', 'end']) tr(cat)(`conv.action.${k}`);
});

test('only receiving servicers can be assigned', () => {
  const rows = [
    { userid: 'LiNa', name: '李娜', status: 'receiving' },
    { userid: 'Wang', name: '王伟', status: 'paused' },
    { userid: null, department_id: 2, status: null },
    { userid: 'Zhao', name: null, status: 'receiving' },
  ];
  assert.deepEqual(receivingServicers(rows), [
    { userid: 'LiNa', name: '李娜' },
    { userid: 'Zhao', name: 'Zhao' },
  ]);
});

test('a later msg_send_fail is attached to the message it concerns', () => {
  const f = failures([
    { msgid: 'kd1', msgtype: 'text', raw: {} },
    { msgid: 'e1', msgtype: 'event', raw: { event: { event_type: 'msg_send_fail', fail_msgid: 'kd1', fail_type: 4 } } },
    { msgid: 'e2', msgtype: 'event', raw: { event: { event_type: 'enter_session' } } },
  ]);
  assert.deepEqual([...f.keys()], ['kd1']);
  assert.equal(f.get('kd1').fail_type, 4);
});

test('msgids are what WeCom accepts and differ each time', () => {
  const a = newMsgid();
  assert.match(a, /^[0-9a-zA-Z_-]{1,32}$/);
  assert.notEqual(a, newMsgid());
  assert.equal(
    newMsgid(() => new Uint8Array(15)),
    `kd${'00'.repeat(15)}`,
  );
});

test('bytes, event-word kinds, entry context, and what this app sent reads as the account', () => {
  assert.equal(byteLength('你好a'), 7);
  assert.deepEqual([2, 3, 4, 1].map(eventWordsKind), ['queue', 'accept', 'end', null]);
  assert.deepEqual(entryParts({ scene: 'store_12', scene_param: '%E4%B8%80%E5%BA%97', wechat_channels: { nickname: '星河' } }), [
    ['scene', 'store_12'],
    ['param', '一店'],
    ['channels', '星河'],
  ]);
  assert.deepEqual(entryParts({ scene: '', scene_param: '%zz' }), [['param', '%zz']]);
  assert.deepEqual(entryParts(null), []);
  assert.equal(messageWords({ origin: 0, msgtype: 'text', text: { content: 'hi' } }, tr(zh)).who, 'kf');
});

test('date inputs become a local-time range covering whole days', () => {
  const r = dayRange('2026-11-01', '2026-11-02');
  // China Standard Time days, whatever this computer's zone (the suite runs under several).
  assert.equal(r.from, Date.parse('2026-11-01T00:00:00+08:00') / 1000);
  assert.equal(r.to, Date.parse('2026-11-03T00:00:00+08:00') / 1000);
  // A day when Europe changes its clocks is still 24 hours long in CST.
  const dst = dayRange('2026-10-25', '2026-10-25');
  assert.equal(dst.to - dst.from, 86_400);
  assert.equal(dst.from, Date.parse('2026-10-25T00:00:00+08:00') / 1000);
  assert.deepEqual(dayRange('', 'nonsense'), { from: null, to: null });
});

test('matches are marked wherever they are, case-insensitively', () => {
  assert.deepEqual(highlight('请问发票怎么开？发票抬头', '发票'), [
    ['请问', false],
    ['发票', true],
    ['怎么开？', false],
    ['发票', true],
    ['抬头', false],
  ]);
  assert.deepEqual(highlight('VIP vip', 'Vip'), [
    ['VIP', true],
    [' ', false],
    ['vip', true],
  ]);
  assert.deepEqual(highlight('abc', ''), [['abc', false]]);
});
