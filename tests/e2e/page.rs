//! What the tests ask of the page, by name: the JavaScript snippets several pages' tests share
//! (each module keeps its own at its top).

/// The first agent's row, once the Agents table is drawn.
pub const AGENT_ROW: &str = "return document.querySelector('#agents-table tbody tr[data-account]');";

/// The next save dialog answers `arguments[0]` (tests cannot click a native dialog).
pub const SAVE_NEXT_TO: &str = "window.__kefudesk.nextSavePath = arguments[0]; return true;";

/// Marks the page, to tell later whether the app was reloaded since.
pub const MARK_PAGE: &str = "window.__notReloaded = true; return true;";

/// The page still carries the mark of `MARK_PAGE`: it was not reloaded.
pub const PAGE_MARKED: &str = "return window.__notReloaded === true;";

/// Reloads the app's page (a restart of the web view), leaving a mark that must go.
pub const RELOAD: &str = "window.__beforeReload = true; location.reload(); return true;";

/// The navigation speaks English.
pub const NAV_IN_ENGLISH: &str = "return document.querySelector('#nav [data-view=agents]').textContent === 'Agents';";

/// The error the Records page shows.
pub const RECORDS_ERROR: &str = "return document.querySelector('#records-page .error-message')?.textContent;";

/// How many lines the open chat record shows (null: none yet).
pub const CHAT_LINES: &str =
    "const n = document.querySelectorAll('#records-chat .bubble, #records-chat .event-line').length; return n || null;";

/// Records found and drawn, a customer in the first row.
pub const RECORDS_SHOWN: &str =
    "return document.getElementById('records-summary') && document.querySelector('#records-body .vrow .c-customer');";

/// The question asked before switching to a live account.
pub const LIVE_SWITCH_QUESTION: &str = "return document.querySelector('#live-switch span')?.textContent;";

/// The Statistics page says it saved the file.
pub const STATS_SAVED: &str = "return document.getElementById('stats-notice')?.textContent.startsWith('已保存到');";

/// The error under the profile form.
pub const PROFILE_ERROR: &str = "return document.querySelector('#profile-form .error-message')?.textContent;";

/// Statistics counted and shown.
pub const STATS_DONE: &str =
    "return document.querySelector('#stats-cards') && !document.getElementById('stats-progress');";
