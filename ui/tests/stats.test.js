import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statRange, change, changeText, colourOf, mpTables, wecomTables, wecomTotal, wecomCell, pct } from '../lib/stats.js';

const t = (k, p) => (p ? `${k}(${JSON.stringify(p)})` : k);
// 2026-11-26 21:00 UTC = 2026-11-27 05:00 CST.
const NOW = Date.UTC(2026, 10, 26, 21);

test('quick ranges are CST days; WeCom’s last N days end yesterday (its figures come the next day)', () => {
  assert.deepEqual(statRange(NOW, 'yesterday', 'mp'), { from: '2026-11-26', to: '2026-11-26' });
  assert.deepEqual(statRange(NOW, 'last7', 'mp'), { from: '2026-11-21', to: '2026-11-27' });
  assert.deepEqual(statRange(NOW, 'last7', 'wecom'), { from: '2026-11-20', to: '2026-11-26' });
  assert.deepEqual(statRange(NOW, 'last30', 'mp'), { from: '2026-10-29', to: '2026-11-27' });
  assert.deepEqual(statRange(NOW, 'lastMonth', 'wecom'), { from: '2026-10-01', to: '2026-10-31' });
});

test('the change against the period before: direction, percentage, nothing to compare', () => {
  assert.deepEqual(change(120, 100), { dir: 'up', pct: 20, diff: 20 });
  assert.deepEqual(change(90, 100), { dir: 'down', pct: -10, diff: -10 });
  assert.equal(change(5, 0).pct, null, 'no percentage from zero');
  assert.equal(change(null, 3), null);
  assert.equal(change(1000, 1003).dir, 'same', 'under half a percent is no change');
  assert.equal(changeText(change(1000, 1003), t), 'stats.compare.same');
  assert.equal(changeText(change(120, 100), t), '▲ 20%');
  assert.equal(changeText(change(90, 100), t), '▼ 10%');
  assert.equal(changeText(change(5, 0), t), '▲ 5');
  assert.equal(changeText(change(7, 7), t), 'stats.compare.same');
  assert.equal(changeText(null, t), 'stats.compare.none');
});

test('an agent keeps one colour whatever else is on the chart', () => {
  assert.equal(colourOf('amy@x'), colourOf('amy@x'));
  assert.notEqual(colourOf('amy@x'), colourOf('bob@x'));
  assert.match(colourOf('小美@demo'), /^hsl\(\d+, 62%, \d+%\)$/);
});

test('the Official Account tables: days and agents by name, times as durations, the account last', () => {
  const f = { sessions: 4, customers: 3, received: 4, sent: 4, first_reply_median: 330, first_reply_p90: 466, session_avg: 410, queued: 3, wait_avg: null };
  const view = { current: { days: [{ day: 1795104000, ...f }], agents: [{ agent: 'amy@x', ...f }] } };
  const tables = mpTables(view, (a) => (a === 'amy@x' ? 'Amy' : a), t);
  assert.equal(tables.days.rows[0][0], '2026-11-20');
  assert.deepEqual(tables.days.rows[0].slice(1, 5), ['4', '3', '4', '4']);
  assert.equal(tables.days.rows[0][5], 'duration.minutes({"m":5})', '330 s');
  assert.equal(tables.days.rows[0][9], '—', 'no wait measured');
  assert.equal(tables.days.header.length, tables.days.rows[0].length);
  assert.deepEqual([tables.agents.rows[0][0], tables.agents.rows[0].at(-1)], ['Amy', 'amy@x']);
});

test('WeCom: a day without data says so, never zero; rates as percentages; range totals weighted', () => {
  const days = [
    { day: 1795104000, figures: { session_cnt: 10, customer_cnt: 8, ai_transfer_rate: 0.5 } },
    { day: 1795190400, figures: null },
    { day: 1795276800, figures: { session_cnt: 30, customer_cnt: 20, ai_transfer_rate: 0.1 } },
  ];
  const tables = wecomTables({ days, servicers: [{ userid: 'LiNa', days }] }, t);
  assert.equal(tables.days.rows[1][1], 'stats.noData');
  assert.equal(tables.days.rows[0][6], '50%');
  const total = wecomTotal(days);
  assert.equal(total.session_cnt, 40);
  assert.ok(Math.abs(total.ai_transfer_rate - 0.2) < 1e-9, '(0.5×10 + 0.1×30) / 40');
  assert.equal(wecomTotal([{ day: 1, figures: null }]), null);
  assert.equal(tables.servicers.rows[0][1], '40');
  assert.equal(wecomCell({ first_reply_average_sec: 17 }, 'first_reply_average_sec', t), 'duration.seconds({"s":17})');
  assert.equal(pct(null), '—');
});
