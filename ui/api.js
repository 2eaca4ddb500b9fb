// One typed wrapper per Rust command. Every rejection is a CommandError:
// {code: string, errcode: number|null, message: string} with `message` already localised.

const core = () => window.__TAURI__.core;

/**
 * The payloads are the Rust types, generated into bindings/commands.d.ts (make bindings); tsc
 * checks every page against them (make typecheck).
 * @typedef {import('./bindings/commands').CommandError} CommandError
 * @typedef {import('./bindings/commands').AppInfo} AppInfo
 * @typedef {import('./bindings/commands').Lang} Lang
 * @typedef {import('./bindings/commands').AgentRow} AgentRow
 * @typedef {import('./bindings/commands').AddOutcome} AddOutcome
 * @typedef {import('./bindings/commands').AvatarChoice} AvatarChoice
 * @typedef {import('./bindings/commands').AvatarPreview} AvatarPreview
 * @typedef {import('./bindings/commands').CropNudge} CropNudge
 * @typedef {import('./bindings/commands').Group} Group
 * @typedef {import('./bindings/commands').ProfilesView} ProfilesView
 * @typedef {import('./bindings/commands').ServerSignedIn} ServerSignedIn
 * @typedef {import('./bindings/commands').ProfileInput} ProfileInput
 * @typedef {import('./bindings/commands').ConnectionReport} ConnectionReport
 * @typedef {import('./bindings/commands').Overview} Overview
 * @typedef {import('./bindings/commands').BatchItem} BatchItem
 * @typedef {import('./bindings/commands').CloseOutcome} CloseOutcome
 * @typedef {import('./bindings/commands').TransferOutcome} TransferOutcome
 * @typedef {import('./bindings/commands').CustomerSession} CustomerSession
 * @typedef {import('./bindings/commands').FetchSummary} FetchSummary
 * @typedef {import('./bindings/commands').RowsPage} RowsPage
 * @typedef {import('./bindings/commands').RecordOrder} RecordOrder
 * @typedef {import('./bindings/commands').MpStatsView} MpStatsView
 * @typedef {import('./bindings/commands').WecomStatsView} WecomStatsView
 * @typedef {import('./bindings/commands').Exported} Exported
 * @typedef {import('./bindings/commands').Saved} Saved
 * @typedef {import('./bindings/commands').AccountRow} AccountRow
 * @typedef {import('./bindings/commands').Added} Added
 * @typedef {import('./bindings/commands').ContactLink} ContactLink
 * @typedef {import('./bindings/commands').Servicers} Servicers
 * @typedef {import('./bindings/commands').ItemOutcome} ItemOutcome
 * @typedef {import('./bindings/commands').ConversationList} ConversationList
 * @typedef {import('./bindings/commands').ConversationView} ConversationView
 * @typedef {import('./bindings/commands').ReaderView} ReaderView
 * @typedef {import('./bindings/commands').Moved} Moved
 * @typedef {import('./bindings/commands').Outgoing} Outgoing
 * @typedef {import('./bindings/commands').Sent} Sent
 * @typedef {import('./bindings/commands').Found} Found
 * @typedef {import('./bindings/commands').Welcome} Welcome
 * @typedef {import('./bindings/commands').Query} ArchiveSearch
 */

/**
 * @param {string} cmd
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<any>}
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

/** @param {Lang} lang */
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

/** @returns {Promise<ProfilesView>} */
export const listProfiles = () => call('list_profiles');
/** Reads the configuration file again (after its permissions were fixed). @returns {Promise<ProfilesView>} */
export const reloadConfig = () => call('reload_config');

/**
 * Adds or edits a profile; a non-empty secret replaces the stored one.
 * @param {ProfileInput} profile
 * @param {string} [secret]
 * @param {'keyring'|'memory'} remember where a new secret goes
 * @returns {Promise<ProfilesView>}
 */
export const saveProfile = (profile, secret, remember = 'keyring') => call('save_profile', { profile, secret: secret || null, remember });

/** @returns {Promise<ProfilesView>} */
export const deleteProfile = (id) => call('delete_profile', { id });

/** @returns {Promise<ProfilesView>} */
export const setActiveProfile = (id) => call('set_active_profile', { id });

/** @param {ProfileInput} profile @param {string} [secret] @returns {Promise<ConnectionReport>} */
export const testConnection = (profile, secret) => call('test_connection', { profile, secret: secret || null });

/**
 * Signs in to KefuDesk Server: one profile per corp granted, the first made active.
 * @param {string} address @param {string} login @param {string} password @returns {Promise<ServerSignedIn>}
 */
export const serverSignIn = (address, login, password) => call('server_sign_in', { address, login, password });

/**
 * Creates an agent and, with `inviteWx`, invites a WeChat user in the same flow.
 * @param {string} prefix @param {string} nickname @param {string} [inviteWx] @param {AvatarChoice} [avatar]
 * @returns {Promise<AddOutcome>}
 */
export const addAgent = (prefix, nickname, inviteWx, avatar) => call('add_agent', { prefix, nickname, inviteWx: inviteWx || null, avatar: avatar || null });

export const updateAgent = (kfAccount, nickname) => call('update_agent', { kfAccount, nickname });

export const deleteAgent = (kfAccount) => call('delete_agent', { kfAccount });

export const inviteAgent = (kfAccount, inviteWx) => call('invite_agent', { kfAccount, inviteWx });

/** Assigns the first `count` waiting to the agents with the most free places. @returns {Promise<BatchItem[]>} */
export const assignWaiting = (count) => call('assign_waiting', { count });
/** The staff's notes on the active account's customers, by openid. @returns {Promise<Record<string, string>>} */
export const customerNotes = () => call('customer_notes');
/** Sets (empty removes) the note on a customer. @returns {Promise<Record<string, string>>} all notes */
export const setCustomerNote = (openid, note) => call('set_customer_note', { openid, note });
/** The active profile's local agent groups. @returns {Promise<Group[]>} */
export const listGroups = () => call('list_groups');

/** Replaces the active profile's groups. @returns {Promise<Group[]>} */
export const saveGroups = (groups) => call('save_groups', { groups });

/**
 * What a picture file becomes as an avatar (640×640 JPEG), for the preview.
 * @param {string} path
 * @param {CropNudge} [nudge] crop position, -1…1 on each axis
 * @returns {Promise<AvatarPreview>}
 */
export const prepareAvatar = (path, nudge) => call('prepare_avatar', { path, nudge: nudge || null });

/** Processes the file the same way and uploads it as the agent's avatar. */
export const uploadAvatar = (kfAccount, path, nudge) => call('upload_avatar', { kfAccount, path, nudge: nudge || null });

// Records
/** @returns {Promise<FetchSummary>} */
export const fetchRecords = (from, to, agent, customer) => call('fetch_records', { from, to, agent: agent || null, customer: customer || null });
export const cancelRecords = () => call('cancel_records');
/** Time order when `order` is absent. @param {string} search @param {number} offset @param {number} limit @param {RecordOrder|null} [order] @returns {Promise<RowsPage>} */
export const recordRows = (search, offset, limit, order = null) => call('record_rows', { search, offset, limit, order });
/** @param {string} path @param {string} search @param {RecordOrder|null} [order] @returns {Promise<Exported>} */
export const exportRecords = (path, search, order = null) => call('export_records', { path, search, order });
/** The Official Account's figures for `from..=to` (YYYY-MM-DD), and the period before; progress as `stats-progress`. @returns {Promise<MpStatsView>} */
export const mpStatistics = (from, to) => call('mp_statistics', { from, to });
/** WeCom's figures for one kf account (or all when `openKfid` is empty), the period before, each servicer's. @returns {Promise<WecomStatsView>} */
export const wecomStatistics = (from, to, openKfid) => call('wecom_statistics', { from, to, openKfid: openKfid || null });
export const cancelStatistics = () => call('cancel_statistics');
/** A table the page shows, as CSV at `path`. @param {string} path @param {string[]} header @param {string[][]} rows @returns {Promise<Saved>} */
export const exportTable = (path, header, rows) => call('export_table', { path, header, rows });
/** A chart (its canvas's `toDataURL('image/png')`) as a PNG file at `path`. @returns {Promise<Saved>} */
export const savePng = (path, dataUrl) => call('save_png', { path, dataUrl });

// Sessions
/** The queue (true total, earliest ≤ 100), online agents and their sessions. @returns {Promise<Overview>} */
export const sessionOverview = () => call('session_overview');
export const assignSession = (kfAccount, openid) => call('assign_session', { kfAccount, openid });
/**
 * Ends a session, sending `goodbye` first when given. A rejection means nothing happened (the
 * goodbye could not be sent); resolves with `close_error` when it was sent but closing failed.
 * @returns {Promise<CloseOutcome>}
 */
export const closeSession = (kfAccount, openid, goodbye) => call('close_session', { kfAccount, openid, goodbye: goodbye || null });
/** Close with `from`, create with `to`. @returns {Promise<TransferOutcome>} */
export const transferSession = (from, to, openid) => call('transfer_session', { from, to, openid });
/** @returns {Promise<CustomerSession|null>} */
export const findSession = (openid) => call('find_session', { openid });
/** Sends a text to the customer as `kfAccount`. */
export const sendText = (kfAccount, openid, text) => call('send_text', { kfAccount, openid, text });
/** "Typing…" on the customer's side (best effort). */
export const setTyping = (openid, typing) => call('set_typing', { openid, typing });

// WeCom 微信客服
/** Every kf account with its servicer counts. @returns {Promise<AccountRow[]>} */
export const listKfAccounts = () => call('list_kf_accounts');
/** Creates an account (WeCom requires the avatar). @param {string} name @param {AvatarChoice} avatar @returns {Promise<Added>} */
export const addKfAccount = (name, avatar) => call('add_kf_account', { name, avatar });
/** Renames and/or changes the avatar; either may be null. @param {string} openKfid @param {string|null} [name] @param {AvatarChoice|null} [avatar] */
export const updateKfAccount = (openKfid, name, avatar) => call('update_kf_account', { openKfid, name: name ?? null, avatar: avatar ?? null });
export const deleteKfAccount = (openKfid) => call('delete_kf_account', { openKfid });
/** @returns {Promise<ContactLink>} */
export const kfContactLink = (openKfid, scene) => call('kf_contact_link', { openKfid, scene: scene || null });
/** Writes the QR code of `url` as a PNG to `path`. */
export const saveQrPng = (url, path) => call('save_qr_png', { url, path });

/** @returns {Promise<Servicers>} */
export const listServicers = (openKfid) => call('list_servicers', { openKfid });
/** @returns {Promise<ItemOutcome[]>} */
export const addServicers = (openKfid, userids, departments) => call('add_servicers', { openKfid, selection: { userids, departments } });
/** @returns {Promise<ItemOutcome[]>} */
export const removeServicers = (openKfid, userids, departments) => call('remove_servicers', { openKfid, selection: { userids, departments } });

/** Conversations of the last 3 days (one account, or all when null). @returns {Promise<ConversationList>} */
export const listConversations = (openKfid) => call('list_conversations', { openKfid: openKfid || null });
/** @returns {Promise<ReaderView>} */
export const readerStatus = () => call('reader_status');
/** Reads these accounts' new messages soon. @param {string[]} openKfids @returns {Promise<ReaderView>} */
export const readNow = (openKfids) => call('read_now', { openKfids });
/** @returns {Promise<ConversationView>} */
export const openConversation = (openKfid, externalUserid) => call('open_conversation', { openKfid, externalUserid });
/** Moves a session to 1 (smart assistant), 2 (queue), 3 (a servicer) or 4 (end). @param {string} openKfid @param {string} externalUserid @param {number} to @param {string} [servicer] @returns {Promise<Moved>} */
export const moveConversation = (openKfid, externalUserid, to, servicer) =>
  call('move_conversation', { openKfid, externalUserid, to, servicer: servicer || null });
/** Sends once: a retry with the same msgid never sends twice. @param {string} openKfid @param {string} externalUserid @param {string} msgid @param {Outgoing} message @returns {Promise<Sent>} */
export const sendKfMessage = (openKfid, externalUserid, msgid, message) => call('send_kf_message', { openKfid, externalUserid, msgid, message });
/** The words an event code (msg_code) allows. @returns {Promise<Sent>} */
export const sendEventMessage = (openKfid, externalUserid, code, msgid, text) => call('send_event_message', { openKfid, externalUserid, code, msgid, text });

/** Newest first, at most 500. @param {Partial<ArchiveSearch>} search @returns {Promise<Found>} */
export const searchArchive = (search) => call('search_archive', { search });
/** Every match, oldest first, as CSV. @param {Partial<ArchiveSearch>} search @param {string} path @returns {Promise<Exported>} */
export const exportArchive = (search, path) => call('export_archive', { search, path });
/** A picture a customer sent, as a data: URL (fetched from WeCom once, then kept). @returns {Promise<string>} */
export const mediaPreview = (mediaId) => call('media_preview', { mediaId });
/** Saves what a customer sent to `path`. @returns {Promise<number>} bytes */
export const saveMedia = (mediaId, path) => call('save_media', { mediaId, path });

/** The kf accounts' welcome words (sent by themselves when a customer enters). @returns {Promise<Welcome>} */
export const welcomeWords = () => call('welcome_words');
/** Sets an account's welcome words; empty removes them. @returns {Promise<Welcome>} */
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
