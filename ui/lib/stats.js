// Statistics page logic: the ranges it offers, the change against the period before, one colour
// per agent everywhere, and the tables (the same rows on screen and in the CSV). Pure functions:
// `t` is passed in, so tests run them under node with either catalogue.
import { quickRange, cstDate } from './days.js';
import { formatDuration } from './format.js';

/** The quick ranges the page offers, in order. WeCom's figures come the next day: its "last N days" end yesterday. */
export const STAT_RANGES = ['yesterday', 'last7', 'last30', 'lastMonth'];

/** A quick range; for WeCom (no figures for today) the last N days end yesterday. */
export function statRange(nowMs, kind, platform) {
  const r = quickRange(nowMs, kind);
  if (platform === 'wecom' && (kind === 'last7' || kind === 'last30')) {
    const n = kind === 'last7' ? 7 : 30;
    return { from: cstDate(nowMs - n * 86_400_000), to: cstDate(nowMs - 86_400_000) };
  }
  return r;
}

/**
 * The change from `before` to `now`: direction (▲ up, ▼ down, = same) and percentage; nothing
 * to compare when either is missing, a percentage only when `before` is not zero.
 */
export function change(now, before) {
  if (now === null || now === undefined || before === null || before === undefined) return null;
  const pct = before !== 0 ? Math.round(((now - before) / Math.abs(before)) * 100) : null;
  // Under half a percent either way reads as unchanged, not as "▼ 0%".
  const dir = now === before || pct === 0 ? 'same' : now > before ? 'up' : 'down';
  return { dir, pct, diff: now - before };
}

/** The words of a change, e.g. "▲ 12%" or "▼ 3" (when there is no percentage). */
export function changeText(c, t) {
  if (!c) return t('stats.compare.none');
  if (c.dir === 'same') return t('stats.compare.same');
  const mark = c.dir === 'up' ? '▲' : '▼';
  return c.pct === null ? `${mark} ${Math.abs(round(c.diff))}` : `${mark} ${Math.abs(c.pct)}%`;
}

const round = (x) => Math.round(x * 10) / 10;

/** One colour per agent or servicer, the same on every chart and in every range (from the ID, not the position). */
export function colourOf(id) {
  let h = 2166136261;
  for (const ch of String(id)) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return `hsl(${h % 360}, 62%, ${42 + ((h >>> 9) % 14)}%)`;
}

/** Seconds as the page says them ("1 min 30 s" is "1 min"; under a minute "40 s"); a dash for none. */
export function secs(v, t) {
  return v === null || v === undefined ? '—' : formatDuration(v, t);
}

/** A rate (0.83) as "83%"; a dash for none. */
export function pct(v) {
  return v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`;
}

/** `YYYY-MM-DD` of a CST day start (unix seconds). */
export const dayText = (day) => cstDate(day * 1000);

/** The Official Account's figures, in the order of the tables. */
export const MP_FIGURES = ['sessions', 'customers', 'received', 'sent', 'first_reply_median', 'first_reply_p90', 'session_avg', 'queued', 'wait_avg'];
const MP_TIMES = new Set(['first_reply_median', 'first_reply_p90', 'session_avg', 'wait_avg']);

/** A figure as shown: counts as numbers, times as durations. */
export function mpCell(f, key, t) {
  return MP_TIMES.has(key) ? secs(f[key], t) : String(f[key] ?? 0);
}

/** The per-day and per-agent tables of the Official Account's statistics. `name(account)` gives the nickname. */
export function mpTables(view, name, t) {
  const header = (first) => [t(first), ...MP_FIGURES.map((k) => t(`stats.mp.${k}`))];
  return {
    days: { header: header('stats.col.day'), rows: view.current.days.map((d) => [dayText(d.day), ...MP_FIGURES.map((k) => mpCell(d, k, t))]) },
    agents: {
      header: [...header('stats.col.agent'), t('stats.col.account')],
      rows: view.current.agents.map((a) => [name(a.agent), ...MP_FIGURES.map((k) => mpCell(a, k, t)), a.agent]),
    },
  };
}

/** WeCom's summary figures (as WeCom names them), in table order; rates end in `_rate`. */
export const WECOM_FIGURES = [
  'session_cnt',
  'customer_cnt',
  'customer_msg_cnt',
  'upgrade_service_customer_cnt',
  'ai_session_reply_cnt',
  'ai_transfer_rate',
  'ai_knowledge_hit_rate',
  'msg_rejected_customer_cnt',
];
/** A servicer's figures, in table order. */
export const SERVICER_FIGURES = [
  'session_cnt',
  'customer_cnt',
  'customer_msg_cnt',
  'first_reply_average_sec',
  'reply_rate',
  'satisfied_rate',
  'dissatisfied_rate',
];

/** A WeCom figure as shown; a day without data says so instead of a zero. */
export function wecomCell(f, key, t) {
  if (!f) return t('stats.noData');
  const v = f[key];
  if (v === undefined || v === null) return '—';
  if (key.endsWith('_rate')) return pct(v);
  if (key.endsWith('_sec')) return secs(v, t);
  return String(v);
}

/**
 * The figures of a whole range from its days with data: counts add up, rates and times are
 * averaged weighted by each day's sessions; null when no day has data.
 */
export function wecomTotal(days) {
  const have = days.filter((d) => d.figures).map((d) => d.figures);
  if (!have.length) return null;
  const out = {};
  for (const k of new Set(have.flatMap(Object.keys))) {
    const with_ = have.filter((f) => typeof f[k] === 'number');
    if (!with_.length) continue;
    if (k.endsWith('_rate') || k.endsWith('_sec')) {
      const w = (f) => (typeof f.session_cnt === 'number' ? f.session_cnt : 0);
      const weight = with_.reduce((a, f) => a + w(f), 0);
      out[k] = weight > 0 ? with_.reduce((a, f) => a + f[k] * w(f), 0) / weight : with_.reduce((a, f) => a + f[k], 0) / with_.length;
    } else {
      out[k] = with_.reduce((a, f) => a + f[k], 0);
    }
  }
  return out;
}

/** The per-day table and the per-servicer table of WeCom's statistics. */
export function wecomTables(view, t) {
  return {
    days: {
      header: [t('stats.col.day'), ...WECOM_FIGURES.map((k) => t(`stats.wecom.${k}`))],
      rows: view.days.map((d) => [dayText(d.day), ...WECOM_FIGURES.map((k) => wecomCell(d.figures, k, t))]),
    },
    servicers: {
      header: [t('stats.col.servicer'), ...SERVICER_FIGURES.map((k) => t(`stats.wecom.${k}`))],
      rows: view.servicers.map((s) => [s.userid, ...SERVICER_FIGURES.map((k) => wecomCell(wecomTotal(s.days), k, t))]),
    },
  };
}
