// Agent form rules (mirroring commands/mp/agents.rs, which stays the authority) and what each
// agent allows: pure functions, unit-tested under node.

const PREFIX = /^[A-Za-z0-9_]{1,10}$/;
const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
export const MAX_AGENTS = 100;

/** Message key for a bad nickname, or null. */
export function nicknameError(nick) {
  const n = [...String(nick ?? '').trim()].length;
  return n >= 1 && n <= 16 ? null : 'agent.err.nickname';
}

/** Message key for a bad WeChat ID, or null. */
export function wechatIdError(wx) {
  return WECHAT_ID.test(String(wx ?? '').trim()) ? null : 'agent.err.wechatId';
}

/** Field → message key for the add form; `count` is how many agents exist. */
export function validateNewAgent(form, count) {
  const errors = {};
  if (!PREFIX.test(form.prefix.trim())) errors.prefix = 'agent.err.prefix';
  const nick = nicknameError(form.nickname);
  if (nick) errors.nickname = nick;
  if (form.invite_wx.trim()) {
    const wx = wechatIdError(form.invite_wx);
    if (wx) errors.invite_wx = wx;
  }
  if (count >= MAX_AGENTS) errors.prefix = 'agent.err.limit';
  return errors;
}

/**
 * Whether an invitation can be sent now, and if not why (WeChat's 65411/65412 rules).
 * @returns {{ok: boolean, reason: string|null}}
 */
export function inviteState(agent, nowSecs) {
  if (agent.kf_wx) return { ok: false, reason: 'agent.invite.bound' };
  const inv = agent.invite;
  if (inv && inv.status === 'waiting' && inv.expire_time > nowSecs) return { ok: false, reason: 'agent.invite.pending' };
  return { ok: true, reason: null };
}
