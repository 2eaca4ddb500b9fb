import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortRows, nextSort, ariaSort, readSort, writeSort, compareValues } from '../lib/sort.js';

const ROWS = [
  { name: '王女士', waited: 300, pos: 1 },
  { name: 'oKf9', waited: 20, pos: 2 },
  { name: '', waited: 4000, pos: 3 },
  { name: 'Alice', waited: 20, pos: 4 },
  { name: 'item 10', waited: null, pos: 5 },
  { name: 'item 9', waited: 7, pos: 6 },
];
const COLS = { name: (r) => r.name, waited: (r) => r.waited, pos: (r) => r.pos };
const order = (sort) => sortRows(ROWS, sort, COLS).map((r) => r.pos);

test('numbers sort by size, both ways; ties keep their order; empty values last either way', () => {
  assert.deepEqual(order({ key: 'waited', desc: false }), [6, 2, 4, 1, 3, 5]);
  assert.deepEqual(order({ key: 'waited', desc: true }), [3, 1, 2, 4, 6, 5]);
});

test('text sorts as people read it: numbers inside names by value, case ignored, empty last', () => {
  const names = sortRows(ROWS, { key: 'name', desc: false }, COLS).map((r) => r.name);
  assert.ok(names.indexOf('item 9') < names.indexOf('item 10'), names.join());
  assert.ok(names.indexOf('Alice') < names.indexOf('oKf9'), names.join());
  assert.equal(names.at(-1), '');
  assert.equal(sortRows(ROWS, { key: 'name', desc: true }, COLS).at(-1).name, '');
  assert.equal(compareValues('abc', 'ABC'), 0);
  assert.ok(compareValues([0, '王女士'], [1, 'Alice']) < 0, 'arrays item by item');
  assert.ok(compareValues([1, 'b'], [1, 'a']) > 0);
});

test('an unknown column keeps the order; the rows are never changed in place', () => {
  const before = ROWS.map((r) => r.pos);
  assert.deepEqual(order({ key: 'gone', desc: true }), before);
  assert.deepEqual(order(null), before);
  sortRows(ROWS, { key: 'waited', desc: true }, COLS);
  assert.deepEqual(
    ROWS.map((r) => r.pos),
    before,
  );
});

test('a click on the sorted column flips it; on another starts ascending; aria-sort follows', () => {
  let s = { key: 'pos', desc: false };
  s = nextSort(s, 'pos');
  assert.deepEqual(s, { key: 'pos', desc: true });
  assert.equal(ariaSort(s, 'pos'), 'descending');
  s = nextSort(s, 'name');
  assert.deepEqual(s, { key: 'name', desc: false });
  assert.equal(ariaSort(s, 'name'), 'ascending');
  assert.equal(ariaSort(s, 'pos'), null);
});

test('a saved sort comes back; damaged or vanished columns give the default', () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  const fallback = { key: 'pos', desc: false };
  assert.deepEqual(readSort(storage, 'queue', ['pos', 'name'], fallback), fallback);
  writeSort(storage, 'queue', { key: 'name', desc: true });
  assert.deepEqual(readSort(storage, 'queue', ['pos', 'name'], fallback), { key: 'name', desc: true });
  assert.deepEqual(readSort(storage, 'queue', ['pos'], fallback), fallback, 'the column is gone');
  store.set('kefudesk.sort.queue', '{not json');
  assert.deepEqual(readSort(storage, 'queue', ['pos', 'name'], fallback), fallback);
  const full = {
    getItem: () => null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  assert.doesNotThrow(() => writeSort(full, 'queue', fallback));
});
