import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capacity,
  estimateWait,
  diffSnapshots,
  highlightedSessions,
  sessionKey,
  shouldNotify,
  assignTargets,
  savedRefresh,
  DEFAULT_REFRESH,
  quotaPause,
} from '../lib/mp/sessions.js';

test('capacity counts free and total places of online agents', () => {
  assert.deepEqual(
    capacity([
      { auto_accept: 5, accepted_case: 3 },
      { auto_accept: 4, accepted_case: 6 },
    ]),
    { free: 2, total: 9 },
  );
  assert.deepEqual(capacity([]), { free: 0, total: 0 });
});

test('the wait estimate: free places first, then one place per avg/total seconds', () => {
  const cap = { free: 2, total: 10 };
  assert.equal(estimateWait(0, cap, 600), 0);
  assert.equal(estimateWait(1, cap, 600), 0);
  assert.equal(estimateWait(2, cap, 600), 60, 'first beyond the free places: one slot period');
  assert.equal(estimateWait(11, cap, 600), 600);
  assert.equal(estimateWait(0, { free: 0, total: 0 }, 600), null, 'nobody online: no estimate');
  assert.equal(estimateWait(0, cap, null), null, 'no recent sessions: no estimate');
  assert.equal(estimateWait(5, { free: 0, total: 3 }, 300), 600);
});

const snap = (waiting, agents) => ({
  waiting: waiting.map((openid) => ({ openid })),
  agents: Object.entries(agents).map(([kf_account, s]) => ({ kf_account, sessions: s.map((openid) => ({ openid })) })),
});

test('changes between refreshes: new waiting, assigned, closed, transferred', () => {
  const prev = snap(['w1', 'w2'], { a: ['c1', 'c2'], b: ['c3'] });
  const next = snap(['w2', 'w3'], { a: ['c1', 'w1'], b: ['c2'] });
  const d = diffSnapshots(prev, next);
  assert.deepEqual(d.newWaiting, ['w3']);
  assert.equal(d.arrived, 1);
  assert.deepEqual(d.opened, [{ openid: 'w1', agent: 'a' }]);
  assert.deepEqual(d.transferred, [{ openid: 'c2', from: 'a', to: 'b' }]);
  assert.deepEqual(d.closed, [{ openid: 'c3', agent: 'b' }]);
  assert.deepEqual([...highlightedSessions(d)].sort(), [sessionKey('a', 'w1'), sessionKey('b', 'c2')].sort());
  assert.deepEqual(diffSnapshots(null, next), { arrived: 0, newWaiting: [], opened: [], closed: [], transferred: [] }, 'the first load highlights nothing');
  const same = diffSnapshots(next, next);
  assert.equal(same.newWaiting.length + same.opened.length + same.closed.length + same.transferred.length, 0);
});

test('arrivals count the whole queue, not only the 100 listed', () => {
  const listed = (from, n) => Array.from({ length: n }, (_, i) => `c${from + i}`);
  const prev = { ...snap(listed(0, 7), {}), waiting_count: 7 };
  const next = { ...snap(listed(1, 100), {}), waiting_count: 156 };
  const d = diffSnapshots(prev, next);
  assert.equal(d.newWaiting.length, 94, 'c7…c100 are listed');
  assert.equal(d.arrived, 150, 'one left the front, the queue grew by 149');
});

test('notify only when the queue grew and the window is not in view', () => {
  assert.equal(shouldNotify(3, 4, true), true);
  assert.equal(shouldNotify(3, 4, false), false);
  assert.equal(shouldNotify(4, 4, true), false);
  assert.equal(shouldNotify(null, 4, true), false, 'not on the first load');
});

test('assign targets: most free places first, full agents marked, the current one left out', () => {
  const agents = [
    { kf_account: 'a@x', nickname: 'A', auto_accept: 5, accepted_case: 5 },
    { kf_account: 'b@x', nickname: 'B', auto_accept: 5, accepted_case: 1 },
    { kf_account: 'c@x', nickname: 'C', auto_accept: 3, accepted_case: 2 },
  ];
  assert.deepEqual(
    assignTargets(agents).map((t) => [t.kf_account, t.free, t.full]),
    [
      ['b@x', 4, false],
      ['c@x', 1, false],
      ['a@x', 0, true],
    ],
  );
  assert.deepEqual(
    assignTargets(agents, 'b@x').map((t) => t.kf_account),
    ['c@x', 'a@x'],
  );
});

test('the refresh interval: the saved choice, else 30 s', () => {
  const store = (v) => ({ getItem: () => v });
  assert.equal(savedRefresh(store('10')), 10);
  assert.equal(savedRefresh(store('0')), 0, 'off is a choice');
  assert.equal(savedRefresh(store('7')), DEFAULT_REFRESH);
  assert.equal(savedRefresh(store(null)), DEFAULT_REFRESH);
  assert.equal(savedRefresh(null), DEFAULT_REFRESH);
});

test('quota errors pause auto-refresh until the quota is back', () => {
  const now = Date.UTC(2026, 10, 26, 10, 0, 0); // 18:00 in China
  const daily = quotaPause({ code: 'wechat', errcode: 45009 }, now);
  assert.equal(daily.until, Date.UTC(2026, 10, 26, 16, 0, 0), 'the next CST midnight');
  assert.equal(daily.key, 'sessions.quota.daily');
  const justAfter = quotaPause({ errcode: 45009 }, Date.UTC(2026, 10, 26, 16, 0, 1));
  assert.equal(justAfter.until, Date.UTC(2026, 10, 27, 16, 0, 0));
  assert.equal(quotaPause({ errcode: 45011 }, now).until, now + 60_000);
  assert.equal(quotaPause({ errcode: -1 }, now), null);
  assert.equal(quotaPause(null, now), null);
});
