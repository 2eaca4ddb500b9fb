// One typed wrapper per Rust command. Every rejection is a CommandError:
// {code: string, errcode: number|null, message: string} with `message` already localised.

const core = () => window.__TAURI__.core;

/**
 * @typedef {{code: string, errcode: number|null, message: string}} CommandError
 * @typedef {{name: string, kind: 'sandbox'|'live', base_url: string, oa_wechat_id: string}} ProfileInfo
 * @typedef {{version: string, lang: string, os_lang: string, profile: ProfileInfo|null}} AppInfo
 * @typedef {{wx: string, status: 'waiting'|'expired'|'rejected', expire_time: number}} InviteInfo
 * @typedef {{kf_account: string, kf_id: string, nickname: string, avatar_url: string,
 *   kf_wx: string|null, invite: InviteInfo|null, online_status: number, auto_accept: number,
 *   accepted_case: number}} AgentRow
 */

async function call(cmd, args) {
  try {
    return await core().invoke(cmd, args);
  } catch (e) {
    // Commands reject with {code, errcode, message}; anything else is wrapped the same way.
    if (e && typeof e === 'object' && 'code' in e && 'message' in e) throw e;
    throw { code: 'internal', errcode: null, message: String(e) };
  }
}

/** @returns {Promise<AppInfo>} */
export const appInfo = () => call('app_info');

/** @param {'zh-CN'|'en'} lang */
export const setLocale = (lang) => call('set_locale', { lang });

/** @returns {Promise<AgentRow[]>} */
export const listAgents = () => call('list_agents');

/** The URL the web view loads an agent avatar from (fetched by Rust; see avatar_proxy.rs). */
export function avatarSrc(url) {
  return url ? core().convertFileSrc(url, 'kfimg') : '';
}
