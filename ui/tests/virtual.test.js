import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleRange, pagesFor, RowCache } from '../lib/virtual.js';

test('only the rows in view (and a margin) are rendered, at any size', () => {
  assert.deepEqual(visibleRange(0, 600, 30, 100_000, 5), { first: 0, end: 25 });
  assert.deepEqual(visibleRange(30 * 50_000, 600, 30, 100_000, 5), { first: 49_995, end: 50_025 });
  assert.deepEqual(visibleRange(30 * 99_990, 600, 30, 100_000, 5), { first: 99_985, end: 100_000 });
  assert.deepEqual(visibleRange(0, 600, 30, 3, 5), { first: 0, end: 3 });
  assert.deepEqual(visibleRange(0, 600, 30, 0), { first: 0, end: 0 });
  // A stale scroll position past a shrunken list never yields first > end.
  const r = visibleRange(30 * 5000, 600, 30, 10, 5);
  assert.ok(r.first <= r.end && r.end <= 10);
});

test('pages cover the range exactly', () => {
  assert.deepEqual(pagesFor(0, 25, 200), [0]);
  assert.deepEqual(pagesFor(190, 215, 200), [0, 1]);
  assert.deepEqual(pagesFor(400, 400, 200), []);
});

test('the cache loads each page once, drops results of an old search, stays bounded', async () => {
  const cache = new RowCache(10, 3);
  cache.reset('a');
  const calls = [];
  const fetchPage = async (offset, limit) => {
    calls.push(offset);
    return Array.from({ length: limit }, (_, i) => `row${offset + i}`);
  };
  assert.deepEqual(cache.missing(5, 25), [0, 1, 2]);
  await Promise.all(cache.missing(5, 25).map((p) => cache.load(p, fetchPage)));
  assert.equal(cache.get(17), 'row17');
  assert.deepEqual(cache.missing(5, 25), []);
  // A page requested under an old search is not stored under the new one.
  const slow = cache.load(3, async (o, l) => {
    cache.reset('b');
    return fetchPage(o, l);
  });
  assert.equal(await slow, false);
  assert.equal(cache.get(31), undefined);
  assert.equal(cache.get(17), undefined, 'the new search starts empty');
  for (let p = 0; p < 5; p++) await cache.load(p, fetchPage);
  assert.equal(cache.pages.size, 3);
  assert.equal(cache.get(45), 'row45');
});
