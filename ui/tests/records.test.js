import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cstDate, rangeEndingToday, dayCount, exportName, percent, cstDateTime, cstTimeOfDay } from '../lib/days.js';
import { recordOrder } from '../lib/mp/records.js';

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

test('typed days are read in year-month-day order only', async () => {
  const { parseDay } = await import('../lib/days.js');
  assert.equal(parseDay('2026-11-20'), '2026-11-20');
  assert.equal(parseDay(' 2026/1/5 '), '2026-01-05');
  assert.equal(parseDay('2026.11.20'), '2026-11-20');
  assert.equal(parseDay('2026年11月20日'), '2026-11-20');
  assert.equal(parseDay('2024-02-29'), '2024-02-29', 'a leap day');
  for (const bad of ['2026-02-29', '2026-13-01', '2026-11-31', '11/20/2026', '20261120', '', 'today', null]) {
    assert.equal(parseDay(bad), null, String(bad));
  }
});

test('quick ranges are China Standard Time days', async () => {
  const { quickRange } = await import('../lib/days.js');
  // 2026-12-01 01:30 CST is 2026-11-30 17:30 UTC.
  const now = Date.parse('2026-11-30T17:30:00Z');
  assert.deepEqual(quickRange(now, 'today'), { from: '2026-12-01', to: '2026-12-01' });
  assert.deepEqual(quickRange(now, 'yesterday'), { from: '2026-11-30', to: '2026-11-30' });
  assert.deepEqual(quickRange(now, 'last7'), { from: '2026-11-25', to: '2026-12-01' });
  assert.deepEqual(quickRange(now, 'thisMonth'), { from: '2026-12-01', to: '2026-12-01' });
  assert.deepEqual(quickRange(now, 'lastMonth'), { from: '2026-11-01', to: '2026-11-30' });
  // In January, last month is December of the year before; February has 28 days in 2027.
  const jan = Date.parse('2027-01-15T04:00:00Z');
  assert.deepEqual(quickRange(jan, 'lastMonth'), { from: '2026-12-01', to: '2026-12-31' });
  assert.deepEqual(quickRange(Date.parse('2027-03-02T04:00:00Z'), 'lastMonth'), { from: '2027-02-01', to: '2027-02-28' });
});

test('the order asked for: agents ranked by nickname, noted customers by note, other columns plain', () => {
  const agents = [
    { kf_account: 'z@x', nickname: '阿杰' },
    { kf_account: 'a@x', nickname: 'Zoe' },
    { kf_account: 'm@x', nickname: 'amy 2' },
    { kf_account: 'n@x', nickname: 'amy 10' },
  ];
  const byAgent = recordOrder({ key: 'agent', desc: true }, agents, {});
  assert.deepEqual(
    byAgent.ranked.filter((id) => id !== 'z@x'),
    ['m@x', 'n@x', 'a@x'],
    'amy 2 < amy 10 < Zoe',
  );
  assert.equal(byAgent.ranked.length, 4);
  assert.equal(byAgent.desc, true);
  assert.deepEqual(recordOrder({ key: 'customer', desc: false }, agents, { o2: 'Bob', o1: 'ann' }).ranked, ['o1', 'o2']);
  assert.deepEqual(recordOrder({ key: 'time', desc: false }, agents, { o1: 'Bob' }), { key: 'time', desc: false, ranked: [] });
  assert.deepEqual(recordOrder({ key: 'agent', desc: false }, null, null).ranked, [], 'agents not loaded yet');
});

test("archive and conversation times are China Standard Time, whatever the computer's zone", () => {
  const t = Date.parse('2026-11-01T23:30:00+08:00') / 1000;
  assert.match(cstDateTime(t, 'en'), /11\/1\/2026.*23:30:00/);
  assert.match(cstDateTime(t, 'zh-CN'), /2026\/11\/1.*23:30:00/);
  assert.match(cstTimeOfDay(t, 'en'), /^23:30:00/);
});
