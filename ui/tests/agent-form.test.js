import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateNewAgent, nicknameError, wechatIdError, inviteState } from '../lib/mp/agent-form.js';

const form = (o = {}) => ({ prefix: 'xiao_mei', nickname: '小美', invite_wx: '', ...o });

test('new agent: prefix, nickname, optional WeChat ID, the 100 limit', () => {
  assert.deepEqual(validateNewAgent(form(), 12), {});
  assert.deepEqual(validateNewAgent(form({ prefix: 'xiao-mei' }), 12), { prefix: 'agent.err.prefix' });
  assert.deepEqual(validateNewAgent(form({ prefix: 'elevenchars' }), 12), { prefix: 'agent.err.prefix' });
  assert.deepEqual(validateNewAgent(form({ nickname: '一二三四五六七八九十一二三四五六七' }), 12), { nickname: 'agent.err.nickname' });
  assert.deepEqual(validateNewAgent(form({ invite_wx: '13800138000' }), 12), { invite_wx: 'agent.err.wechatId' });
  assert.deepEqual(validateNewAgent(form({ invite_wx: 'wx_mei_88' }), 12), {});
  assert.deepEqual(validateNewAgent(form(), 100), { prefix: 'agent.err.limit' });
});

test('nickname and WeChat ID rules', () => {
  assert.equal(nicknameError('一二三四五六七八九十一二三四五六'), null, '16 CJK characters are fine');
  assert.equal(nicknameError('   '), 'agent.err.nickname');
  assert.equal(wechatIdError('abc12'), 'agent.err.wechatId', 'too short');
  assert.equal(wechatIdError('a_b-c_12345'), null);
});

test('invitations: not while bound or pending; again after expiry or rejection', () => {
  const now = 1000;
  assert.deepEqual(inviteState({ kf_wx: 'x' }, now), { ok: false, reason: 'agent.invite.bound' });
  assert.deepEqual(inviteState({ invite: { status: 'waiting', expire_time: now + 5 } }, now), { ok: false, reason: 'agent.invite.pending' });
  assert.equal(inviteState({ invite: { status: 'waiting', expire_time: now - 5 } }, now).ok, true);
  assert.equal(inviteState({ invite: { status: 'rejected', expire_time: now + 5 } }, now).ok, true);
  assert.equal(inviteState({}, now).ok, true);
});
