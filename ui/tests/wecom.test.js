import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountNameError, sceneError, parseUserids, summarise, servicerLabel, sortServicers } from '../lib/wecom/accounts.js';

test('account names are 1 to 16 characters', () => {
  assert.equal(accountNameError('售前咨询'), null);
  assert.equal(accountNameError('一二三四五六七八九十一二三四五六'), null);
  assert.equal(accountNameError('一二三四五六七八九十一二三四五六七'), 'kf.err.name');
  assert.equal(accountNameError('  '), 'kf.err.name');
});

test('scenes follow WeCom pattern', () => {
  assert.equal(sceneError(''), null);
  assert.equal(sceneError('store_12-A'), null);
  assert.equal(sceneError('门店'), 'kf.err.scene');
  assert.equal(sceneError('x'.repeat(33)), 'kf.err.scene');
});

test('userids are split on any separator, trimmed and de-duplicated', () => {
  assert.deepEqual(parseUserids(' LiNa, ZhangWei\nLiNa；WangFang、 '), ['LiNa', 'ZhangWei', 'WangFang']);
  assert.deepEqual(parseUserids(''), []);
});

test('outcomes are counted', () => {
  assert.deepEqual(summarise([{ outcome: 'done' }, { outcome: 'failed' }, { outcome: 'done' }, { outcome: 'unchanged' }]), {
    done: 2,
    unchanged: 1,
    failed: 1,
  });
});

test('servicers show names and sort receiving people first', () => {
  const t = (k, p) => `dept ${p.id}`;
  const rows = [
    { department_id: 3, name: null },
    { userid: 'b', name: '王芳', status: 'stopped' },
    { userid: 'a', name: null, status: 'receiving' },
  ];
  assert.deepEqual(
    sortServicers(rows, t).map((r) => servicerLabel(r, t)),
    ['a', '王芳', 'dept 3'],
  );
});
