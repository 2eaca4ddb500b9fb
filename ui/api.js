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
/** Opens the log folder in the file manager; resolves to its path. */
export const openLogFolder = () => call('open_log_folder');
/** A plain-text summary for a support request (no secrets). */
export const diagnostics = () => call('diagnostics');

/** @returns {Promise<AgentRow[]>} */
export const listAgents = () => call('list_agents');

/** The URL the web view loads an agent avatar from (fetched by Rust; see avatar_proxy.rs). */
export function avatarSrc(url) {
  return url ? core().convertFileSrc(url, 'kfimg') : '';
}

/**
 * @typedef {{id: string, name: string, platform: string, app_id: string, oa_wechat_id: string,
 *   token: {kind: 'app_secret'} | {kind: 'relay', url: string}, api_base?: string, proxy?: string,
 *   secret: 'keyring'|'memory'|'none'|'unknown'}} ProfileView
 * @typedef {{active: string, profiles: ProfileView[], keyring_error: CommandError|null,
 *   config_notice: string|null}} ProfilesView
 */

/** @returns {Promise<ProfilesView>} */
export const listProfiles = () => call('list_profiles');
/** Reads the configuration file again (after its permissions were fixed). @returns {Promise<ProfilesView>} */
export const reloadConfig = () => call('reload_config');

/**
 * Adds or edits a profile; a non-empty secret replaces the stored one.
 * @param {'keyring'|'memory'} remember where a new secret goes
 * @returns {Promise<ProfilesView>}
 */
export const saveProfile = (profile, secret, remember = 'keyring') => call('save_profile', { profile, secret: secret || null, remember });

/** @returns {Promise<ProfilesView>} */
export const deleteProfile = (id) => call('delete_profile', { id });

/** @returns {Promise<ProfilesView>} */
export const setActiveProfile = (id) => call('set_active_profile', { id });

/** @returns {Promise<{agents: number, online: number}>} */
export const testConnection = (profile, secret) => call('test_connection', { profile, secret: secret || null });

/**
 * Creates an agent and, with `inviteWx`, invites a WeChat user in the same flow.
 * @returns {Promise<{kf_account: string, invite_error: CommandError|null}>}
 */
export const addAgent = (prefix, nickname, inviteWx, avatar) => call('add_agent', { prefix, nickname, inviteWx: inviteWx || null, avatar: avatar || null });

export const updateAgent = (kfAccount, nickname) => call('update_agent', { kfAccount, nickname });

export const deleteAgent = (kfAccount) => call('delete_agent', { kfAccount });

export const inviteAgent = (kfAccount, inviteWx) => call('invite_agent', { kfAccount, inviteWx });

/** @typedef {{name: string, members: string[]}} Group */

/** The active profile's local agent groups. @returns {Promise<Group[]>} */
/** Assigns the first `count` waiting to the agents with the most free places. @returns {Promise<{openid: string, kf_account: string, error: CommandError|null}[]>} */
export const assignWaiting = (count) => call('assign_waiting', { count });
/** The staff's notes on the active account's customers, by openid. @returns {Promise<Object<string, string>>} */
export const customerNotes = () => call('customer_notes');
/** Sets (empty removes) the note on a customer. @returns {Promise<Object<string, string>>} all notes */
export const setCustomerNote = (openid, note) => call('set_customer_note', { openid, note });
export const listGroups = () => call('list_groups');

/** Replaces the active profile's groups. @returns {Promise<Group[]>} */
export const saveGroups = (groups) => call('save_groups', { groups });

/**
 * What a picture file becomes as an avatar (640×640 JPEG), for the preview.
 * @param {{x: number, y: number}} [nudge] crop position, -1…1 on each axis
 * @returns {Promise<{data_url: string, bytes: number, source_width: number, source_height: number}>}
 */
export const prepareAvatar = (path, nudge) => call('prepare_avatar', { path, nudge: nudge || null });

/** Processes the file the same way and uploads it as the agent's avatar. */
export const uploadAvatar = (kfAccount, path, nudge) => call('upload_avatar', { kfAccount, path, nudge: nudge || null });

// Records
export const fetchRecords = (from, to, agent, customer) => call('fetch_records', { from, to, agent: agent || null, customer: customer || null });
export const cancelRecords = () => call('cancel_records');
/** `order`: {key: 'time'|'agent'|'customer'|'operation', desc, ranked: [ids]}; time order when absent. */
export const recordRows = (search, offset, limit, order = null) => call('record_rows', { search, offset, limit, order });
export const exportRecords = (path, search, order = null) => call('export_records', { path, search, order });
/** The Official Account's figures for `from..=to` (YYYY-MM-DD), and the period before; progress as `stats-progress`. */
export const mpStatistics = (from, to) => call('mp_statistics', { from, to });
/** WeCom's figures for one kf account (or all when `openKfid` is empty), the period before, each servicer's. */
export const wecomStatistics = (from, to, openKfid) => call('wecom_statistics', { from, to, openKfid: openKfid || null });
export const cancelStatistics = () => call('cancel_statistics');
/** A table the page shows, as CSV at `path`. */
export const exportTable = (path, header, rows) => call('export_table', { path, header, rows });
/** A chart (its canvas's `toDataURL('image/png')`) as a PNG file at `path`. */
export const savePng = (path, dataUrl) => call('save_png', { path, dataUrl });

// Sessions
/**
 * @typedef {{openid: string, latest_time: number, kf_account?: string}} WaitCase
 * @typedef {{kf_account: string, nickname: string, status: number, auto_accept: number,
 *   accepted_case: number, sessions: {openid: string, createtime: number}[]}} AgentSessions
 * @typedef {{waiting_count: number, waiting: WaitCase[], agents: AgentSessions[],
 *   avg_session_secs: number|null, avg_basis_sessions: number, fetched_at: number}} Overview
 */

/** The queue (true total, earliest ≤ 100), online agents and their sessions. @returns {Promise<Overview>} */
export const sessionOverview = () => call('session_overview');
export const assignSession = (kfAccount, openid) => call('assign_session', { kfAccount, openid });
/**
 * Ends a session, sending `goodbye` first when given. A rejection means nothing happened (the
 * goodbye could not be sent); resolves with `close_error` when it was sent but closing failed.
 * @returns {Promise<{goodbye_sent: boolean, close_error: CommandError|null}>}
 */
export const closeSession = (kfAccount, openid, goodbye) => call('close_session', { kfAccount, openid, goodbye: goodbye || null });
/** Close with `from`, create with `to`. @returns {Promise<{create_error: CommandError|null}>} */
export const transferSession = (from, to, openid) => call('transfer_session', { from, to, openid });
/** @returns {Promise<{kf_account: string, createtime: number}|null>} */
export const findSession = (openid) => call('find_session', { openid });
/** Sends a text to the customer as `kfAccount`. */
export const sendText = (kfAccount, openid, text) => call('send_text', { kfAccount, openid, text });
/** "Typing…" on the customer's side (best effort). */
export const setTyping = (openid, typing) => call('set_typing', { openid, typing });

// WeCom 微信客服
/**
 * @typedef {{open_kfid: string, name: string, avatar_url: string, manage_privilege: boolean|null,
 *   servicer_users: number|null, servicer_departments: number|null}} KfAccountRow
 * @typedef {{path: string, nudge: {x: number, y: number}|null}} AvatarChoice
 */

/** Every kf account with its servicer counts. @returns {Promise<KfAccountRow[]>} */
export const listKfAccounts = () => call('list_kf_accounts');
/** Creates an account (WeCom requires the avatar). @returns {Promise<{open_kfid: string}>} */
export const addKfAccount = (name, avatar) => call('add_kf_account', { name, avatar });
/** Renames and/or changes the avatar; either may be null. */
export const updateKfAccount = (openKfid, name, avatar) => call('update_kf_account', { openKfid, name: name ?? null, avatar: avatar ?? null });
export const deleteKfAccount = (openKfid) => call('delete_kf_account', { openKfid });
/** @returns {Promise<{url: string, qr_data_url: string}>} */
export const kfContactLink = (openKfid, scene) => call('kf_contact_link', { openKfid, scene: scene || null });
/** Writes the QR code of `url` as a PNG to `path`. */
export const saveQrPng = (url, path) => call('save_qr_png', { url, path });

/**
 * @typedef {{userid: string|null, department_id: number|null, name: string|null,
 *   status: 'receiving'|'stopped'|'paused'|'unknown'|null}} ServicerRow
 * @typedef {{known: boolean, departments: {id: number, name: string}[],
 *   staff: {userid: string, name: string, department: number}[]}} Directory
 * @typedef {{userid: string|null, department_id: number|null, outcome: 'done'|'unchanged'|'failed',
 *   errcode: number, message: string|null}} ItemOutcome
 */

/** @returns {Promise<{rows: ServicerRow[], directory: Directory}>} */
export const listServicers = (openKfid) => call('list_servicers', { openKfid });
/** @returns {Promise<ItemOutcome[]>} */
export const addServicers = (openKfid, userids, departments) => call('add_servicers', { openKfid, selection: { userids, departments } });
/** @returns {Promise<ItemOutcome[]>} */
export const removeServicers = (openKfid, userids, departments) => call('remove_servicers', { openKfid, selection: { userids, departments } });

/**
 * @typedef {{revision: number, relay: boolean, blocked_until: number|null, last_read: number|null,
 *   requests: number, error: CommandError|null}} LiveView
 * @typedef {{msgid: string, open_kfid: string, external_userid: string|null, servicer_userid: string|null,
 *   origin: number, msgtype: string, event_type: string|null, send_time: number, text: string, raw: object}} ArchivedMessage
 * @typedef {{external_userid: string, nickname: string, avatar: string, gender: number, unionid: string,
 *   context: object|null, invalid: boolean, fetched_at: number}} Customer
 * @typedef {{state: number, servicer_userid: string, checked_at: number}} SessionState
 * @typedef {{open_kfid: string, external_userid: string, last_customer_time: number|null, last_time: number,
 *   messages: number, last: ArchivedMessage, customer: Customer|null, state: SessionState|null}} ConversationRow
 * @typedef {{kind: 'text', text: string}|{kind: 'menu', head: string, items: string[], tail: string}} Outgoing
 */

/** Conversations of the last 3 days (one account, or all when null). @returns {Promise<{rows: ConversationRow[], live: LiveView, stale: CommandError|null, now: number}>} */
export const listConversations = (openKfid) => call('list_conversations', { openKfid: openKfid || null });
/** @returns {Promise<LiveView>} */
export const readerStatus = () => call('reader_status');
/** Reads these accounts' new messages soon. @returns {Promise<LiveView>} */
export const readNow = (openKfids) => call('read_now', { openKfids });
/** @returns {Promise<{open_kfid: string, external_userid: string, messages: ArchivedMessage[], state: SessionState, moves: number[],
 *   customer: Customer|null, replies: {left: number, until: number|null}, first_contact: number|null, last_contact: number|null,
 *   refusal: CommandError|null, stale: CommandError|null, now: number}>} */
export const openConversation = (openKfid, externalUserid) => call('open_conversation', { openKfid, externalUserid });
/** Moves a session to 1 (smart assistant), 2 (queue), 3 (a servicer) or 4 (end). @returns {Promise<{state: number, msg_code: string|null}>} */
export const moveConversation = (openKfid, externalUserid, to, servicer) =>
  call('move_conversation', { openKfid, externalUserid, to, servicer: servicer || null });
/** Sends once: a retry with the same msgid never sends twice. @returns {Promise<{msgid: string, already: boolean}>} */
export const sendKfMessage = (openKfid, externalUserid, msgid, message) => call('send_kf_message', { openKfid, externalUserid, msgid, message });
/** The words an event code (msg_code) allows. @returns {Promise<{msgid: string, already: boolean}>} */
export const sendEventMessage = (openKfid, externalUserid, code, msgid, text) => call('send_event_message', { openKfid, externalUserid, code, msgid, text });

/**
 * @typedef {{text?: string, open_kfid?: string|null, external_userid?: string|null, servicer_userid?: string|null,
 *   from?: number|null, to?: number|null}} ArchiveSearch
 */
/** Newest first, at most 500. @returns {Promise<{rows: ArchivedMessage[], more: boolean, customers: Object<string, string>, archived: number}>} */
export const searchArchive = (search) => call('search_archive', { search });
/** Every match, oldest first, as CSV. @returns {Promise<{rows: number, bytes: number}>} */
export const exportArchive = (search, path) => call('export_archive', { search, path });
/** A picture a customer sent, as a data: URL (fetched from WeCom once, then kept). @returns {Promise<string>} */
export const mediaPreview = (mediaId) => call('media_preview', { mediaId });
/** Saves what a customer sent to `path`. @returns {Promise<number>} bytes */
export const saveMedia = (mediaId, path) => call('save_media', { mediaId, path });

/** The kf accounts' welcome words (sent by themselves when a customer enters). @returns {Promise<{words: Object<string, string>, relay: boolean}>} */
export const welcomeWords = () => call('welcome_words');
/** Sets an account's welcome words; empty removes them. @returns {Promise<{words: Object<string, string>, relay: boolean}>} */
export const setWelcomeWords = (openKfid, words) => call('set_welcome_words', { openKfid, words });

// The desktop around the web view (Tauri plugins): views reach them only through these.

/** The native save dialog. @returns {Promise<string|null>} the chosen path; null when cancelled */
export const chooseSavePath = (defaultPath, kind, ext) =>
  window.__TAURI__.dialog.save({ defaultPath, filters: [{ name: kind, extensions: [ext] }] }).catch(() => null);

/** The native open dialog for one file. @returns {Promise<string|null>} */
export const chooseOpenPath = (kind, extensions) =>
  window.__TAURI__.dialog.open({ multiple: false, directory: false, filters: [{ name: kind, extensions }] }).catch(() => null);

/** Listens to an event the Rust side emits. @returns {Promise<(() => void)|null>} the unlisten function; null when unavailable */
export const listen = (event, handler) => window.__TAURI__.event.listen(event, (e) => handler(e.payload)).catch(() => null);

/** Calls `onDrop(paths, position)` when files are dropped on the window. */
export const onFilesDropped = (onDrop) =>
  window.__TAURI__.webview
    .getCurrentWebview()
    .onDragDropEvent((e) => {
      if (e.payload.type === 'drop') onDrop(e.payload.paths, e.payload.position);
    })
    .catch(() => {});

/** A desktop notification, when the desktop has a notification service and the user allows it. */
export async function notifyDesktop(title, body) {
  const n10n = window.__TAURI__?.notification;
  if (!n10n) return;
  try {
    let granted = await n10n.isPermissionGranted();
    if (!granted) granted = (await n10n.requestPermission()) === 'granted';
    if (granted) n10n.sendNotification({ title, body });
  } catch {
    // No notification service (e.g. a bare X session): the page itself still shows the change.
  }
}
