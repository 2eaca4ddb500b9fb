// Profile form logic: validation (mirrors config::model::validate in Rust, which stays the
// authority) and conversion to the save_profile / test_connection arguments.

const WECHAT_ID = /^[A-Za-z][A-Za-z0-9_-]{5,29}$/;
const APPID = /^wx[A-Za-z0-9]{16}$/;
// Corps created before 2019 may still have a wx… CorpID.
const CORPID = /^w[wx][A-Za-z0-9]{16}$/;

function httpUrl(s) {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

/** Where secrets or tokens go: https, or http only to this computer. */
function secureUrl(s) {
  if (!httpUrl(s)) return 'profile.err.url';
  const u = new URL(s);
  const local = ['localhost', '[::1]', '::1'].includes(u.hostname) || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);
  return u.protocol === 'https:' || local ? null : 'profile.err.plainHttp';
}

function proxyUrl(s) {
  try {
    const u = new URL(s);
    return ['http:', 'https:', 'socks5:', 'socks5h:'].includes(u.protocol) && !!u.hostname;
  } catch {
    return false;
  }
}

/** An empty form, or one filled from a saved profile (never with a secret). */
export function formFrom(profile, platform = 'mp') {
  return {
    id: profile?.id ?? '',
    platform: profile?.platform ?? platform,
    name: profile?.name ?? '',
    app_id: profile?.app_id ?? '',
    corp_id: profile?.corp_id ?? '',
    callback_relay: profile?.callback_relay ?? '',
    oa_wechat_id: profile?.oa_wechat_id ?? '',
    token_kind: profile?.token?.kind === 'relay' ? 'relay' : 'app_secret',
    relay_url: profile?.token?.kind === 'relay' ? profile.token.url : '',
    api_base: profile?.api_base ?? '',
    proxy: profile?.proxy ?? '',
    secret: '',
  };
}

/**
 * Field → message key of the first problem with each field; empty when the form is fine.
 * `others`: the other saved profiles; `hasStoredSecret`: whether editing keeps a saved secret.
 */
export function validateProfile(form, others = [], hasStoredSecret = false) {
  const errors = {};
  const name = form.name.trim();
  if (!name || [...name].length > 40) errors.name = 'profile.err.name';
  else if (others.some((o) => o.id !== form.id && o.name.trim() === name)) errors.name = 'profile.err.nameTaken';
  if (form.platform === 'wecom') {
    if (!CORPID.test(form.corp_id.trim())) errors.corp_id = 'profile.err.corpId';
    const relayError = form.callback_relay?.trim() && secureUrl(form.callback_relay.trim());
    if (relayError) errors.callback_relay = relayError;
  } else {
    if (!APPID.test(form.app_id.trim())) errors.app_id = 'profile.err.appId';
    if (!WECHAT_ID.test(form.oa_wechat_id.trim())) errors.oa_wechat_id = 'profile.err.oaWechatId';
  }
  if (form.token_kind === 'relay') {
    const relayError = secureUrl(form.relay_url.trim());
    if (relayError) errors.relay_url = relayError;
  } else if (!form.secret.trim() && !hasStoredSecret) {
    errors.secret = form.platform === 'wecom' ? 'profile.err.corpSecret' : 'profile.err.secret';
  }
  const apiError = form.api_base.trim() && secureUrl(form.api_base.trim());
  if (apiError) errors.api_base = apiError;
  if (form.proxy.trim() && !proxyUrl(form.proxy.trim())) errors.proxy = 'profile.err.proxy';
  return errors;
}

/** Like validateProfile, for a connection test: the name and WeChat ID are not needed. */
export function validateConnection(form) {
  const errors = validateProfile({ ...form, name: form.name.trim() || 'x', oa_wechat_id: 'placeholder' }, [], true);
  if (form.token_kind !== 'relay' && !form.secret.trim() && !form.id)
    errors.secret = form.platform === 'wecom' ? 'profile.err.corpSecret' : 'profile.err.secret';
  return errors;
}

/** The `profile` argument of save_profile / test_connection. */
export function toInput(form) {
  const opt = (s) => (s.trim() ? s.trim() : null);
  return {
    id: opt(form.id),
    platform: form.platform,
    name: form.name.trim(),
    app_id: form.platform === 'wecom' ? '' : form.app_id.trim(),
    oa_wechat_id: form.platform === 'wecom' ? '' : form.oa_wechat_id.trim(),
    corp_id: form.platform === 'wecom' ? form.corp_id.trim() : '',
    callback_relay: form.platform === 'wecom' ? opt(form.callback_relay ?? '') : null,
    token_kind: form.token_kind,
    relay_url: form.token_kind === 'relay' ? opt(form.relay_url) : null,
    api_base: opt(form.api_base),
    proxy: opt(form.proxy),
  };
}

/** Message key for where a profile's secret is kept. */
export function secretStateKey(state) {
  return { keyring: 'profile.secret.keyring', memory: 'profile.secret.memory', none: 'profile.secret.none' }[state] ?? 'profile.secret.unknown';
}

/** What a saved profile is identified by in lists: "wx… · @shop_cs" or the CorpID. */
export function profileDetail(p) {
  return p.platform === 'wecom' ? p.corp_id : `${p.app_id} · @${p.oa_wechat_id}`;
}
