import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, bindingState, onlineLabel, loadLabel, profileName, safeFileName } from '../lib/format.js';
import { t, setLang } from '../i18n.js';

setLang('en');

test('durations pick the largest sensible units', () => {
  assert.equal(formatDuration(40, t), '40 s');
  assert.equal(formatDuration(12 * 60 + 5, t), '12 min');
  assert.equal(formatDuration(3 * 3600 + 5 * 60, t), '3 h 5 min');
  assert.equal(formatDuration(2 * 86400 + 3 * 3600 + 59, t), '2 d 3 h');
  assert.equal(formatDuration(-5, t), '0 s');
});

test('binding state: bound, waiting with countdown, expired by clock, rejected, none', () => {
  const now = 1_000_000;
  assert.deepEqual(bindingState({ kf_wx: 'wx_a' }, now, t), { kind: 'bound', text: 'Bound: wx_a' });
  const waiting = { invite: { wx: 'bob_99', status: 'waiting', expire_time: now + 2 * 86400 + 3600 } };
  assert.deepEqual(bindingState(waiting, now, t), { kind: 'waiting', text: 'Invite to bob_99 pending · expires in 2 d 1 h' });
  const lapsed = { invite: { wx: 'bob_99', status: 'waiting', expire_time: now - 1 } };
  assert.equal(bindingState(lapsed, now, t).kind, 'expired');
  assert.equal(bindingState({ invite: { wx: 'x', status: 'rejected', expire_time: now } }, now, t).text, 'Invite to x rejected');
  assert.equal(bindingState({}, now, t).kind, 'none');
});

test('online and load labels', () => {
  assert.equal(onlineLabel(0, t), 'Offline');
  assert.equal(onlineLabel(3, t), 'Online (PC + mobile)');
  assert.equal(onlineLabel(7, t), 'Online (PC)');
  assert.equal(loadLabel({ online_status: 1, accepted_case: 2, auto_accept: 5 }, t), '2 / 5');
  assert.equal(loadLabel({ online_status: 0, accepted_case: 0, auto_accept: 0 }, t), '—');
  setLang('zh-CN');
  assert.equal(onlineLabel(2, t), '在线（手机）');
  setLang('en');
});

test('the sandbox profile is named in the user language, others as the user named them', () => {
  assert.equal(profileName({ kind: 'sandbox', name: 'Sandbox' }, t), 'Sandbox');
  setLang('zh-CN');
  assert.equal(profileName({ kind: 'sandbox', name: 'Sandbox' }, t), '沙箱');
  assert.equal(profileName({ kind: 'live', name: '华东门店' }, t), '华东门店');
  setLang('en');
});

test('the text counter speaks in characters, judged by what was typed', async () => {
  const { charsLeft } = await import('../lib/format.js');
  assert.equal(charsLeft('', 2048), 682, 'empty: Chinese characters assumed');
  assert.equal(charsLeft('好'.repeat(600), 2048), 82);
  assert.equal(charsLeft('a'.repeat(2000), 2048), 48, 'Latin letters take one byte');
  assert.equal(charsLeft('好'.repeat(683), 2048), -1, 'one character too many');
  assert.equal(charsLeft('好'.repeat(682), 2048), 0);
  assert.equal(charsLeft('好好a', 10), 1, 'mixed: (10 − 7) bytes at 7/3 a character');
});

test("a customer's file name never chooses the folder of a save dialog", () => {
  assert.equal(safeFileName('../../.ssh/authorized_keys', 'f'), 'authorized_keys');
  assert.equal(safeFileName('/etc/passwd', 'f'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\a\\发票.pdf', 'f'), '发票.pdf');
  assert.equal(safeFileName('报价单 v2.xlsx', 'f'), '报价单 v2.xlsx');
  assert.equal(safeFileName('a\u0000b\nc.txt', 'f'), 'abc.txt');
  assert.equal(safeFileName('.bashrc', 'f'), 'bashrc');
  assert.equal(safeFileName('dir/', 'f'), 'f');
  assert.equal(safeFileName('..', 'f'), 'f');
  assert.equal(safeFileName(undefined, 'f'), 'f');
  assert.equal(safeFileName('what?.txt', 'f'), 'what_.txt');
});
