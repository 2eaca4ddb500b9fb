import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleAgents, matches, countOnline, groupsOf, toggleMember } from '../lib/mp/agents.js';

const A = [
  { kf_account: 'xiaomei@demo', kf_id: '2001', nickname: '小美', kf_wx: 'xiaomei_42', invite: null, online_status: 1, auto_accept: 5, accepted_case: 1 },
  { kf_account: 'aqiang@demo', kf_id: '2002', nickname: '阿强', kf_wx: 'aqiang_17', invite: null, online_status: 0, auto_accept: 0, accepted_case: 0 },
  {
    kf_account: 'zhoujie@demo',
    kf_id: '2010',
    nickname: '周杰',
    kf_wx: null,
    invite: { wx: 'zhoujie_1998', status: 'waiting', expire_time: 9 },
    online_status: 0,
    auto_accept: 0,
    accepted_case: 0,
  },
  { kf_account: 'lina@demo', kf_id: '2004', nickname: '李娜', kf_wx: 'lina_3', invite: null, online_status: 2, auto_accept: 4, accepted_case: 4 },
];

test('search covers nickname, account, id and WeChat IDs, case-insensitively', () => {
  assert.ok(matches(A[0], '小美'));
  assert.ok(matches(A[1], 'AQIANG'));
  assert.ok(matches(A[2], '1998'), 'invited WeChat ID');
  assert.ok(matches(A[3], '2004'));
  assert.ok(!matches(A[3], 'nobody'));
  assert.equal(visibleAgents(A, { query: '  ' }).length, 4);
});

test('filters', () => {
  const ids = (opts) =>
    visibleAgents(A, opts)
      .map((a) => a.kf_id)
      .sort();
  assert.deepEqual(ids({ filter: 'online' }), ['2001', '2004']);
  assert.deepEqual(ids({ filter: 'offline' }), ['2002', '2010']);
  assert.deepEqual(ids({ filter: 'unbound' }), ['2010']);
  assert.deepEqual(ids({ filter: 'online', query: 'lina' }), ['2004']);
});

test('sorting: online first; busiest first; by id', () => {
  const by = (sort) => visibleAgents(A, { sort }).map((a) => a.kf_id);
  assert.deepEqual(by('status').slice(0, 2).sort(), ['2001', '2004']);
  assert.deepEqual(by('load').slice(0, 2), ['2004', '2001'], 'full agent (4/4) before 1/5');
  assert.deepEqual(by('id'), ['2001', '2002', '2004', '2010']);
  assert.deepEqual(
    visibleAgents(A, { sort: 'id', desc: true }).map((a) => a.kf_id),
    ['2010', '2004', '2002', '2001'],
    'the other way round',
  );
  assert.deepEqual(
    visibleAgents(A, { sort: 'load', desc: true })
      .map((a) => a.kf_id)
      .slice(-2),
    ['2001', '2004'],
    'least busy first',
  );
  const before = A.map((a) => a.kf_id);
  visibleAgents(A, { sort: 'id' });
  assert.deepEqual(
    A.map((a) => a.kf_id),
    before,
    'input untouched',
  );
  assert.equal(countOnline(A), 2);
});

test("groups: filter by membership, list an agent's groups, toggle membership", () => {
  const groups = [
    { name: '售后', members: ['lina@demo', 'aqiang@demo'] },
    { name: 'VIP', members: [] },
  ];
  assert.deepEqual(
    visibleAgents(A, { group: '售后', groups, sort: 'id' }).map((a) => a.kf_id),
    ['2002', '2004'],
  );
  assert.deepEqual(visibleAgents(A, { group: 'VIP', groups }), []);
  assert.equal(visibleAgents(A, { group: '', groups }).length, 4);
  assert.deepEqual(groupsOf(groups, 'lina@demo'), ['售后']);
  const g2 = toggleMember(groups, 'VIP', 'lina@demo', true);
  assert.deepEqual(groupsOf(g2, 'lina@demo'), ['售后', 'VIP']);
  assert.deepEqual(toggleMember(g2, 'VIP', 'lina@demo', true)[1].members, ['lina@demo'], 'no duplicates');
  assert.deepEqual(toggleMember(g2, '售后', 'lina@demo', false)[0].members, ['aqiang@demo']);
  assert.deepEqual(groups[1].members, [], 'input untouched');
});
