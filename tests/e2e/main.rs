//! The real app window, driven through tauri-driver + WebKitWebDriver under Xvfb: one test
//! binary, a module per page (`mp_*` the Official Account's, `wecom/` WeCom's; `profiles`,
//! `window`, `keyboard` both). Ignored by a plain `cargo test`; `make test` runs it with
//! `--ignored` under `xvfb-run -a dbus-run-session`, where a missing prerequisite fails it.
//! The shared set-up is here.

mod keyboard;
mod mp_agents;
mod mp_records;
mod mp_sessions;
mod mp_stats;
mod page;
mod profiles;
mod wecom;
mod window;

use kefu_e2e::{
    agents_from_sandbox, bmp, poll, sandbox_get, sandbox_post, sandbox_token, wait_until, Driver, Session,
    WindowManager, MIN_SIZE_PROBLEMS,
};
use kefu_wechat::cst::{cst_day_start, format_cst, DAY};
use page::*;
use serde_json::{json, Value};

/// Starts the app in `locale`, waits for the Agents page, and returns the sandbox's base URL.
async fn open_app(locale: &str) -> (Driver, Session, String) {
    let driver = Driver::start(&[("LANG", locale), ("LC_ALL", locale)]);
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", ROWS).await;
    let info = s.invoke("app_info", json!({})).await;
    let base = info["ok"]["profile"]["base_url"].as_str().unwrap_or_else(|| panic!("{info}")).to_string();
    (driver, s, base)
}

const ROWS: &str = "return [...document.querySelectorAll('#agents-table tbody tr[data-account]')].map(tr => ({
    account: tr.dataset.account, nick: tr.querySelector('.nick').textContent,
    binding: tr.querySelector('.binding').textContent, status: tr.querySelector('.online').textContent }));";

/// Unix seconds as `YYYY-MM-DD HH:MM:SS` in China Standard Time (computed here, independently of
/// the app's formatting: the civil-from-days algorithm).
/// The records of the last `days` CST days (today included), asked of the sandbox day by day
/// like any WeChat client, oldest first.
async fn last_days_records(base: &str, token: &str, days: i64) -> Vec<Value> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let today = cst_day_start(now);
    let mut out = Vec::new();
    for d in (0..days).rev() {
        let start = today - d * 86_400;
        let page = sandbox_post(
            &format!("{base}/customservice/msgrecord/getmsglist?access_token={token}"),
            json!({"starttime": start, "endtime": start + 86_399, "msgid": 1, "number": 10000}),
        )
        .await;
        out.extend(page["recordlist"].as_array().expect("recordlist").iter().cloned());
    }
    out
}

/// 12345 → "12,345" (the page formats numbers for the locale).
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether the app's active profile is the sandbox or live, as the app itself says.
async fn active_kind(s: &Session) -> String {
    s.invoke("app_info", json!({})).await["ok"]["profile"]["kind"].as_str().unwrap().to_string()
}

/// The band above the pages: live or sandbox, its words, and where it sits.
/// The band's words, as a JS expression.
const BAND_TEXT: &str = "document.getElementById('env-band').textContent";
const BAND: &str = "const b = document.getElementById('env-band'); if (!b || b.hidden) return null;
    const r = b.getBoundingClientRect(); return {kind: b.dataset.kind, text: b.textContent, top: r.top, height: r.height};";

/// Sets a `<select>` the way a user does (its value, then a change event).
const SELECT: &str = "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change')); return s.value === arguments[1];";
