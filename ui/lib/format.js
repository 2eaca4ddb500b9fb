// Formatting of agent states and durations. Pure functions: `t` is passed in, so tests run
// them under `node --test` with either catalogue.

/** "2 d 3 h", "3 h 5 min", "12 min", "40 s" for a number of seconds (negative → 0). */
export function formatDuration(seconds, t) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('duration.days', { d, h });
  if (h > 0) return t('duration.hours', { h, m });
  if (m > 0) return t('duration.minutes', { m });
  return t('duration.seconds', { s });
}

/**
 * What the binding column says: bound, invite waiting (with time left), expired, rejected, none.
 * A waiting invite whose time has passed is shown as expired even before WeChat says so.
 * @returns {{kind: 'bound'|'waiting'|'expired'|'rejected'|'none', text: string}}
 */
export function bindingState(agent, nowSecs, t) {
  if (agent.kf_wx) return { kind: 'bound', text: t('binding.bound', { wx: agent.kf_wx }) };
  const inv = agent.invite;
  if (!inv) return { kind: 'none', text: t('binding.none') };
  let kind = inv.status;
  if (kind === 'waiting' && inv.expire_time && inv.expire_time <= nowSecs) kind = 'expired';
  if (!['waiting', 'expired', 'rejected'].includes(kind)) kind = 'waiting';
  const left = formatDuration((inv.expire_time || nowSecs) - nowSecs, t);
  return { kind, text: t(`binding.${kind}`, { wx: inv.wx, left }) };
}

/** Online label for status 0–3 (unknown values read as online). */
export function onlineLabel(status, t) {
  const s = Number(status) || 0;
  return t(`online.${s >= 0 && s <= 3 ? s : 1}`);
}

/** "2 / 5" sessions being served against the auto-accept limit; a dash when offline. */
export function loadLabel(agent, t) {
  if (!agent.online_status) return t('load.offline');
  return t('load.value', { accepted: agent.accepted_case, limit: agent.auto_accept });
}

/** HH:MM:SS in the user's locale. */
export function clockTime(date, langTag) {
  return date.toLocaleTimeString(langTag, { hour12: false });
}

/** The profile's display name; the built-in sandbox is named in the user's language. */
export function profileName(profile, t) {
  return profile.kind === 'sandbox' ? t('status.sandboxName') : profile.name;
}

/**
 * What a text counter shows instead of bytes: about how many more characters fit in `maxBytes`
 * of UTF-8, judged by the text typed so far (a Chinese character takes 3 bytes, a Latin letter
 * 1), so "还能输入约 N 字" stays honest for either. Negative when the text is too long.
 */
export function charsLeft(text, maxBytes) {
  const bytes = new TextEncoder().encode(text).length;
  const chars = [...text].length;
  const perChar = chars ? Math.min(3, Math.max(1, bytes / chars)) : 3;
  const left = (maxBytes - bytes) / perChar;
  return left >= 0 ? Math.floor(left) : -Math.ceil(-left);
}

/** The length of `s` in bytes of UTF-8, as WeChat counts its text limit. */
export const byteLength = (s) => new TextEncoder().encode(s).length;

/** The counter's words for `charsLeft`. */
export function charsLeftLabel(text, t, maxBytes) {
  const n = charsLeft(text, maxBytes);
  return n >= 0 ? t('compose.left', { n }) : t('compose.over', { n: -n });
}

/**
 * A name somebody else chose (a customer's file name) as a save dialog's default: the last
 * component only (a `/` or `\` would choose the folder), no control characters or characters
 * Windows refuses, not hidden, at most 120 characters; `fallback` when nothing is left.
 */
export function safeFileName(name, fallback) {
  const last = String(name ?? '')
    .split(/[\\/]/)
    .pop();
  // eslint-disable-next-line no-control-regex
  const cleaned = last
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[:*?"<>|]/g, '_')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  const cut = [...cleaned].slice(0, 120).join('');
  return cut || fallback;
}
