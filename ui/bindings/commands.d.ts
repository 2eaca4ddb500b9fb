// Generated from the Rust types by src-tauri/src/commands/bindings_tests.rs (make bindings).
// Do not edit: change the Rust type and regenerate.

export type AccountRow = { open_kfid: string, name: string, 
/**
 * The avatar URL WeCom gave; the UI loads it through `kfimg:`.
 */
avatar_url: string, 
/**
 * `None` when WeCom did not say (some app kinds are not told).
 */
manage_privilege: boolean | null, 
/**
 * People and departments serving it; `None` when the list could not be read.
 */
servicer_users: number | null, servicer_departments: number | null, };

export type AddOutcome = { kf_account: string, 
/**
 * Set when the avatar upload failed after the agent was created (retry only the upload).
 */
avatar_error: CommandError | null, 
/**
 * Set when the invitation failed after the agent was created (retry only the invite).
 */
invite_error: CommandError | null, };

export type Added = { open_kfid: string, };

export type AgentFigures = { 
/**
 * The full kf account.
 */
agent: string, sessions: number, customers: number, received: number, sent: number, 
/**
 * Sessions with a measured first reply.
 */
replied: number, first_reply_median: number | null, first_reply_p90: number | null, 
/**
 * Sessions ended in the range (the basis of the average length).
 */
ended: number, session_avg: number | null, 
/**
 * Customers put in the queue; of them, taken from it, and the average wait of those.
 */
queued: number, taken: number, wait_avg: number | null, };

export type AgentRow = { kf_account: string, kf_id: string, nickname: string, 
/**
 * The avatar URL WeChat gave (`""` when none); the UI loads it through `kfimg:`.
 */
avatar_url: string, kf_wx: string | null, invite: InviteInfo | null, 
/**
 * 0 offline, 1 PC, 2 mobile, 3 both.
 */
online_status: number, auto_accept: number, accepted_case: number, };

export type AgentSessions = { kf_account: string, nickname: string, 
/**
 * 1 PC, 2 mobile, 3 both.
 */
status: number, auto_accept: number, accepted_case: number, sessions: Array<KfSession>, };

export type AppInfo = { version: string, 
/**
 * The language the Rust side writes errors in.
 */
lang: Lang, 
/**
 * The operating system's language, for a UI without a saved choice.
 */
os_lang: Lang, 
/**
 * The active profile (the built-in sandbox unless another is chosen).
 */
profile: ProfileInfo | null, 
/**
 * WeChat's limits the pages check while staff type.
 */
limits: Limits, };

export type ArchivedMessage = { msgid: string, open_kfid: string, external_userid: string | null, servicer_userid: string | null, origin: number, msgtype: string, event_type: string | null, send_time: number, 
/**
 * The searchable words (a text's content, a link's title and description, a place's name…).
 */
text: string, 
/**
 * The item as WeCom sent it.
 */
raw: JsonValue, };

export type AvatarChoice = { path: string, nudge: CropNudge | null, };

export type AvatarPreview = { 
/**
 * `data:image/jpeg;base64,…` of exactly what would be uploaded.
 */
data_url: string, bytes: number, source_width: number, source_height: number, };

export type BatchItem = { openid: string, kf_account: string, error: CommandError | null, };

export type CachedCustomer = { external_userid: string, nickname: string, avatar: string, gender: number, unionid: string, context: JsonValue | null, invalid: boolean, fetched_at: number, };

export type CachedState = { state: SessionState, servicer_userid: string, checked_at: number, };

export type CloseOutcome = { 
/**
 * The goodbye reached the customer (a retry must not send it again).
 */
goodbye_sent: boolean, 
/**
 * Set when the goodbye was sent but the session could not be closed: it is still open.
 */
close_error: CommandError | null, };

export type CommandError = { 
/**
 * Stable machine-readable kind, e.g. `wechat`, `credentials`, `network`, `invalid_input`.
 */
code: string, 
/**
 * WeChat's errcode when WeChat answered, else `null`.
 */
errcode: number | null, 
/**
 * A human sentence with a remedy, in the user's language. Never contains a secret.
 */
message: string, };

export type ConnectionReport = { platform: Platform, 
/**
 * Official Account agents, or WeCom kf accounts.
 */
agents: number, 
/**
 * Online agents (Official Account), or kf accounts this app may manage (WeCom).
 */
online: number, 
/**
 * The Official Account's WeChat ID as the existing agents' `@suffix` shows it (the most
 * common one), to fill in or check the form's field.
 */
oa_wechat_id_hint: string | null, };

export type ContactLink = { url: string, 
/**
 * `data:image/png;base64,…` of the QR code.
 */
qr_data_url: string, };

export type ConversationList = { rows: Array<Row>, reader: ReaderView, 
/**
 * Why names or states may be out of date (the archive is shown anyway).
 */
stale: CommandError | null, now: number, };

export type ConversationView = { 
/**
 * Why sending is not possible now, in words (the composer shows it instead of failing).
 */
refusal: CommandError | null, stale: CommandError | null, now: number, open_kfid: string, external_userid: string, messages: Array<ArchivedMessage>, state: CachedState, 
/**
 * The states it can be moved to now.
 */
moves: Array<SessionState>, customer: CachedCustomer | null, replies: Replies, first_contact: number | null, last_contact: number | null, };

export type CropNudge = { x: number, y: number, };

export type CustomerSession = { kf_account: string, 
/**
 * Unix seconds the session was accepted.
 */
createtime: number, };

export type DayFigures = { 
/**
 * The CST day's start (unix seconds).
 */
day: number, sessions: number, customers: number, received: number, sent: number, 
/**
 * Sessions with a measured first reply.
 */
replied: number, first_reply_median: number | null, first_reply_p90: number | null, 
/**
 * Sessions ended in the range (the basis of the average length).
 */
ended: number, session_avg: number | null, 
/**
 * Customers put in the queue; of them, taken from it, and the average wait of those.
 */
queued: number, taken: number, wait_avg: number | null, };

export type Department = { id: number, name: string, };

export type Directory = { known: boolean, departments: Array<Department>, staff: Array<Person>, };

export type Exported = { rows: number, bytes: number, };

export type FetchSummary = { total: number, windows: number, requests: number, 
/**
 * Records received from WeChat, before the agent/customer filter.
 */
received: number, };

export type Figures = { sessions: number, customers: number, received: number, sent: number, 
/**
 * Sessions with a measured first reply.
 */
replied: number, first_reply_median: number | null, first_reply_p90: number | null, 
/**
 * Sessions ended in the range (the basis of the average length).
 */
ended: number, session_avg: number | null, 
/**
 * Customers put in the queue; of them, taken from it, and the average wait of those.
 */
queued: number, taken: number, wait_avg: number | null, };

export type Found = { 
/**
 * Newest first.
 */
rows: Array<ArchivedMessage>, 
/**
 * More matched than are shown.
 */
more: boolean, 
/**
 * Names of the customers in `rows`, where known.
 */
customers: { [key in string]: string }, 
/**
 * Messages in the archive.
 */
archived: number, };

export type Group = { name: string, 
/**
 * Full kf accounts.
 */
members: Array<string>, };

export type InviteInfo = { wx: string, 
/**
 * `waiting`, `expired` or `rejected`.
 */
status: string, expire_time: number, };

export type ItemOutcome = { userid: string | null, department_id: number | null, 
/**
 * `done` (added or removed), `unchanged` (already there / not there), `failed`.
 */
outcome: string, errcode: number, 
/**
 * Why it failed, in the user's language.
 */
message: string | null, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type KfSession = { openid: string, createtime: number, };

export type Lang = "zh-CN" | "en";

export type LastWords = { text: string, time: number, };

export type Limits = { 
/**
 * A text message (and WeCom's welcome words), in UTF-8 bytes.
 */
text_bytes: number, 
/**
 * About how many Chinese characters that is.
 */
text_chinese_chars: number, };

export type Moved = { state: SessionState, 
/**
 * For send_event_message: the queue, accept or ending words WeCom now allows.
 */
msg_code: string | null, };

export type MpStats = { 
/**
 * Every day of the range, in order (days without records have zero figures).
 */
days: Array<DayFigures>, 
/**
 * Every agent with a session or a message in the range, busiest first.
 */
agents: Array<AgentFigures>, total: Figures, 
/**
 * First replies per bucket of [`REPLY_BUCKETS`] (one more for longer).
 */
reply_buckets: Array<number>, };

export type MpStatsView = { current: MpStats, 
/**
 * The same figures for the period just before, of the same length.
 */
previous: Figures, previous_from: number, previous_to: number, 
/**
 * `getmsglist` calls made for this (0 when the Records page's result was used).
 */
requests: number, reused: boolean, };

export type OrderKey = "time" | "agent" | "customer" | "operation";

export type Outgoing = { "kind": "text", text: string, } | { "kind": "menu", head: string, items: Array<string>, tail: string, } | { "kind": "image", path: string, } | { "kind": "link", title: string, url: string, desc: string, picture: string, };

export type Overview = { 
/**
 * Mean session length (s) over the last day or two; `None` when no session ended.
 */
avg_session_secs: number | null, 
/**
 * How many ended sessions that mean is based on.
 */
avg_basis_sessions: number, 
/**
 * What each customer on the page last wrote (from the records of the last day or two:
 * read in full every 10 minutes, what is newer at most every 30 s), by openid.
 */
last_words: { [key in string]: LastWords }, 
/**
 * Unix seconds of this snapshot.
 */
fetched_at: number, 
/**
 * The true number waiting (may exceed the ≤ 100 listed).
 */
waiting_count: number, 
/**
 * The earliest ≤ 100, in arrival order.
 */
waiting: Array<WaitCase>, 
/**
 * Online agents, by account.
 */
agents: Array<AgentSessions>, };

export type Person = { userid: string, name: string, department: number, };

export type Platform = "mp" | "wecom";

export type Profile = { id: string, name: string, token: TokenMode, 
/**
 * A company API gateway instead of api.weixin.qq.com.
 */
api_base?: string | null, proxy?: string | null, 
/**
 * Set when the profile works through KefuDesk Server (see [`ServerLink`]).
 */
server?: ServerLink | null, } & ({ "platform": "mp", app_id: string, oa_wechat_id: string, } | { "platform": "wecom", corp_id: string, 
/**
 * The company's callback relay (see `conversations::relay`): live reading with
 * callback Tokens instead of ~10 reads a minute.
 */
callback_relay?: string | null, });

export type ProfileInfo = { id: string, name: string, 
/**
 * `sandbox` or `live`.
 */
kind: string, platform: Platform, 
/**
 * The AppID or CorpID.
 */
account_id: string, base_url: string, oa_wechat_id: string, };

export type ProfileInput = { id: string | null, name: string, 
/**
 * `mp` (the default, as version 1 forms sent nothing) or `wecom`.
 */
platform: Platform, app_id: string, oa_wechat_id: string, corp_id: string, 
/**
 * A WeCom corp's callback relay, if the company runs one.
 */
callback_relay: string | null, 
/**
 * `app_secret` or `relay`.
 */
token_kind: string, relay_url: string | null, api_base: string | null, proxy: string | null, };

export type ProfileProblem = { field: string, message: string, };

export type ProfileView = { secret: SecretState, 
/**
 * What must be fixed before the profile can be used (an address that would carry secrets
 * in clear text): the field and the words.
 */
problem: ProfileProblem | null, id: string, name: string, token: TokenMode, 
/**
 * A company API gateway instead of api.weixin.qq.com.
 */
api_base?: string | null, proxy?: string | null, 
/**
 * Set when the profile works through KefuDesk Server (see [`ServerLink`]).
 */
server?: ServerLink | null, } & ({ "platform": "mp", app_id: string, oa_wechat_id: string, } | { "platform": "wecom", corp_id: string, 
/**
 * The company's callback relay (see `conversations::relay`): live reading with
 * callback Tokens instead of ~10 reads a minute.
 */
callback_relay?: string | null, });

export type ProfilesView = { 
/**
 * The active profile's id (`sandbox` or `sandbox-wecom` for the built-in ones).
 */
active: string, profiles: Array<ProfileView>, 
/**
 * Why the keyring cannot be used, when it cannot.
 */
keyring_error: CommandError | null, 
/**
 * A configuration file that could not be read (kept, not written over) or was set aside.
 */
config_notice: string | null, 
/**
 * The configuration file cannot be read now: Settings offers to read it again.
 */
config_unreadable: boolean, };

export type Progress = { windows_done: number, windows_total: number, 
/**
 * Records kept so far.
 */
records: number, };

export type Query = { 
/**
 * A substring of the message text (Chinese or not).
 */
text: string, open_kfid: string | null, external_userid: string | null, servicer_userid: string | null, 
/**
 * Unix seconds, inclusive / exclusive.
 */
from: number | null, to: number | null, limit: number, };

export type RangeProblem = { "problem": "reversed" } | { "problem": "too_old", earliest: number, } | { "problem": "no_data_yet" };

export type ReaderView = { revision: number, relay: boolean, blocked_until: number | null, last_read: number | null, requests: number, error: CommandError | null, 
/**
 * Something the user is told about the archive itself (an unreadable file set aside).
 */
notice: CommandError | null, };

export type RecordOrder = { key: OrderKey, desc: boolean, 
/**
 * Agent accounts or customer openids in the order of the names the page shows for them;
 * the ones not listed come after, by ID.
 */
ranked: Array<string>, };

export type RecordRow = { time: number, time_text: string, agent: string, customer: string, opercode: number, operation: string, text: string, };

export type RefusedAccount = { open_kfid: string, name: string, 
/**
 * Why, in words (WeCom's errcode as the trailing detail).
 */
reason: CommandError, };

export type Replies = { left: number, until: number | null, };

export type Row = { customer: CachedCustomer | null, state: CachedState | null, open_kfid: string, external_userid: string, 
/**
 * The customer's last message (Unix seconds), if any in the window.
 */
last_customer_time: number | null, last_time: number, messages: number, 
/**
 * The last message (an event only when there is nothing else).
 */
last: ArchivedMessage, };

export type RowsPage = { 
/**
 * Records in the result.
 */
total: number, 
/**
 * Records matching the search.
 */
matching: number, offset: number, rows: Array<RecordRow>, };

export type Saved = { rows: number, bytes: number, };

export type SecretState = "keyring" | "memory" | "none" | "unknown";

export type Selection = { userids: Array<string>, departments: Array<number>, };

export type Sent = { msgid: string, 
/**
 * The message had already reached WeCom on an earlier try: it was not sent again.
 */
already: boolean, };

export type ServerLink = { 
/**
 * The server's address, e.g. `https://kefu.shop.cn`.
 */
address: string, 
/**
 * The corp's number on the server.
 */
corp: number, 
/**
 * Who signed in: login name, display name and role (`admin`, `supervisor`, `agent`).
 */
login: string, staff_name: string, role: string, };

export type ServerSignedIn = { view: ProfilesView, 
/**
 * Who signed in, and their role on the server (`admin`, `supervisor`, `agent`).
 */
staff_name: string, role: string, 
/**
 * The names of the profiles made or renewed.
 */
profiles: Array<string>, };

export type ServicerDays = { userid: string, days: Array<StatDay>, };

export type ServicerRow = { userid: string | null, department_id: number | null, 
/**
 * From the directory, when known.
 */
name: string | null, 
/**
 * `receiving`, `stopped`, `paused`, or `unknown` (WeCom tells only an app that manages the
 * account); departments have none.
 */
status: string | null, };

export type Servicers = { rows: Array<ServicerRow>, directory: Directory, };

export type SessionState = number;

export type StatDay = { day: number, figures: { [key in string]: JsonValue } | null, };

export type StatsProgress = { done: number, total: number, };

export type TokenMode = { "kind": "app_secret" } | { "kind": "relay", url: string, };

export type TransferOutcome = { 
/**
 * Set when the session was closed but the new agent could not take it: the customer is
 * now served by nobody until they write again or are assigned.
 */
create_error: CommandError | null, };

export type WaitCase = { openid: string, 
/**
 * Unix seconds of the customer's latest message.
 */
latest_time: number, 
/**
 * The agent the customer asked for; only older variants of the API say (mp §4.5).
 */
kf_account?: string | null, };

export type WecomStatsView = { 
/**
 * The accounts summed (one, or every account when none was chosen).
 */
accounts: Array<string>, days: Array<StatDay>, 
/**
 * The period just before, of the same length; `None` with the reason when WeCom does not
 * keep it (older than 180 days).
 */
previous: Array<StatDay> | null, previous_problem: RangeProblem | null, previous_from: number, previous_to: number, 
/**
 * Each person serving the accounts, their figures over the range.
 */
servicers: Array<ServicerDays>, 
/**
 * Accounts left out of the sum because WeCom refused their figures (an account this app
 * may not manage): the page names them and says the sum is of the others.
 */
refused: Array<RefusedAccount>, };

export type Welcome = { 
/**
 * Words by open_kfid.
 */
words: { [key in string]: string }, 
/**
 * Whether news is read at once (a callback relay): without one the 20 seconds may pass
 * before the customer's entry is read.
 */
relay: boolean, };
