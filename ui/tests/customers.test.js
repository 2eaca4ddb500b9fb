import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snippet, shortId, customerName, noteError } from '../lib/mp/customers.js';

const t = (key, p) => `${key}(${JSON.stringify(p)})`;

test('a customer is named by the note, else what they wrote, else a short openid', () => {
  const id = 'oKfDjiAbCdEfGhIjKlMnOpQrStUv';
  assert.equal(customerName(id, { [id]: '王女士 · 退货' }, {}, t), 'customer.named({"note":"王女士 · 退货"})');
  assert.equal(
    customerName(id, {}, { [id]: { text: '我的订单什么时候发货啊，已经三天了', time: 1 } }, t),
    'customer.whoWrote({"text":"我的订单什么时候发货啊，…"})',
  );
  assert.equal(customerName(id, null, null, t), 'oKfDji…');
  assert.equal(shortId('o123'), 'o123', 'short ids stay whole');
});

test('snippets cut whole characters and fold whitespace', () => {
  assert.equal(snippet('a\n b   c'), 'a b c');
  assert.equal(snippet('😀'.repeat(13)), `${'😀'.repeat(12)}…`, 'an emoji is one character');
  assert.equal(snippet(''), '');
});

test('notes follow the server rules', () => {
  assert.equal(noteError('  老客户  '), null);
  assert.equal(noteError('好'.repeat(41)), 'customer.note.tooLong');
  assert.equal(noteError('a\nb'), 'customer.note.oneLine');
  assert.equal(noteError(''), null, 'empty removes the note');
});
