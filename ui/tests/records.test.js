import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cstDate, rangeEndingToday, dayCount, exportName, percent } from '../lib/records.js';

test('days are China Standard Time days', () => {
  // 2026-11-22 16:00 UTC is already 2026-11-23 00:00 in Beijing.
  assert.equal(cstDate(Date.UTC(2026, 10, 22, 16, 0)), '2026-11-23');
  assert.equal(cstDate(Date.UTC(2026, 10, 22, 15, 59)), '2026-11-22');
  assert.deepEqual(rangeEndingToday(Date.UTC(2026, 10, 23, 3), 7), { from: '2026-11-17', to: '2026-11-23' });
  assert.deepEqual(rangeEndingToday(Date.UTC(2026, 10, 23, 3)), { from: '2026-11-23', to: '2026-11-23' });
});

test('ranges, names and progress', () => {
  assert.equal(dayCount('2026-11-01', '2026-11-01'), 1);
  assert.equal(dayCount('2026-10-01', '2026-10-31'), 31);
  assert.equal(dayCount('2026-11-02', '2026-11-01'), 0);
  assert.equal(dayCount('', '2026-11-01'), 0);
  assert.equal(exportName('2026-11-01', '2026-11-23'), 'kefu-records-2026-11-01_2026-11-23.csv');
  assert.equal(exportName('2026-11-01', '2026-11-01'), 'kefu-records-2026-11-01.csv');
  assert.equal(percent(3, 31), 9);
  assert.equal(percent(0, 0), 0);
});
