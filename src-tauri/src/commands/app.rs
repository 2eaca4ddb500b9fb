//! App-level commands: what the status bar shows, the user's language, and what support needs
//! (the log folder, a diagnostics summary).

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::config::{is_sandbox, Account, WECOM_SANDBOX_ID};
use crate::error::{CommandError, Fault};
use crate::i18n::Lang;
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::{ClientConfig, Platform};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    /// `sandbox` or `live`.
    pub kind: &'static str,
    pub platform: Platform,
    /// The AppID or CorpID.
    pub account_id: String,
    pub base_url: String,
    pub oa_wechat_id: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    pub version: &'static str,
    /// The language the Rust side writes errors in.
    pub lang: Lang,
    /// The operating system's language, for a UI without a saved choice.
    pub os_lang: Lang,
    /// The active profile (the built-in sandbox unless another is chosen).
    pub profile: Option<ProfileInfo>,
    /// WeChat's limits the pages check while staff type.
    pub limits: Limits,
}

/// WeChat's limits as the pages need them (`wechat::limits`: each is defined once, there).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Limits {
    /// A text message (and WeCom's welcome words), in UTF-8 bytes.
    pub text_bytes: usize,
    /// About how many Chinese characters that is.
    pub text_chinese_chars: usize,
}

impl Limits {
    pub const WECHAT: Limits = Limits {
        text_bytes: crate::wechat::limits::TEXT_BYTES,
        text_chinese_chars: crate::wechat::limits::TEXT_CHINESE_CHARS,
    };
}

/// The active profile as the status bar shows it (from the configuration; no network).
pub fn active_info(state: &AppState) -> Option<ProfileInfo> {
    let cfg = state.config();
    let chosen = cfg.active.as_deref();
    let live = chosen.filter(|id| !is_sandbox(id)).and_then(|id| cfg.profiles.iter().find(|p| p.id == id));
    match live {
        Some(p) => Some(ProfileInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: "live",
            platform: p.platform(),
            account_id: match &p.account {
                Account::Mp { app_id, .. } => app_id.clone(),
                Account::Wecom { corp_id, .. } => corp_id.clone(),
            },
            base_url: p.api_base.clone().filter(|b| !b.is_empty()).unwrap_or_else(|| match p.platform() {
                Platform::Mp => ClientConfig::mp_default().base_url,
                Platform::Wecom => ClientConfig::wecom_default().base_url,
            }),
            oa_wechat_id: p.oa_wechat_id().to_string(),
        }),
        None if chosen == Some(WECOM_SANDBOX_ID) => state.wecom_sandbox().map(|sb| ProfileInfo {
            id: WECOM_SANDBOX_ID.into(),
            name: "Sandbox".into(),
            kind: "sandbox",
            platform: Platform::Wecom,
            account_id: sb.corp_id(),
            base_url: sb.base_url(),
            oa_wechat_id: String::new(),
        }),
        None => state.sandbox().map(|sb| ProfileInfo {
            id: crate::config::SANDBOX_ID.into(),
            name: "Sandbox".into(),
            kind: "sandbox",
            platform: Platform::Mp,
            account_id: sb.appid(),
            base_url: sb.base_url(),
            oa_wechat_id: sb.oa_wechat_id(),
        }),
    }
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        lang: state.lang(),
        os_lang: Lang::from_os(),
        profile: active_info(&state),
        limits: Limits::WECHAT,
    }
}

/// Sets the language of messages from Rust (the UI remembers the choice).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn set_locale(state: State<'_, AppState>, lang: Lang) -> Result<(), CommandError> {
    state.set_lang(lang);
    Ok(())
}

/// Opens the folder holding the app's log files in the file manager.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn open_log_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<String, CommandError> {
    super::boundary(&state, async {
        let dir = log_dir(&app).map_err(Fault::internal)?;
        std::fs::create_dir_all(&dir).map_err(|e| Fault::File { reading: false, detail: e.to_string() })?;
        let shown = dir.to_string_lossy().into_owned();
        app.opener().open_path(shown.clone(), None::<&str>).map_err(|e| {
            Fault::other_with(
                "open_failed",
                S::LogFolderNotOpened,
                [("e", e.to_string()), ("shown", shown.to_string())],
            )
        })?;
        Ok(shown)
    })
    .await
}

/// A plain-text summary for a support request: version, system, web view, which account kind
/// is in use (sandbox or live, Official Account or WeCom), the log's place and the last
/// problems. Never a secret, a token or an account's ID.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn diagnostics<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> String {
    let profile = active_info(&state);
    let account = match &profile {
        Some(p) => format!(
            "{} ({}, {})",
            p.name,
            p.kind,
            match p.platform {
                Platform::Mp => "Official Account",
                Platform::Wecom => "WeCom",
            }
        ),
        None => "none (the sandbox did not start)".into(),
    };
    let log = log_dir(&app).map(|d| d.join(crate::logs::FILE_NAME).display().to_string()).unwrap_or_default();
    let problems = crate::logs::recent_problems();
    let mut text = format!(
        "KefuDesk {}\nSystem: {} ({} {})\nWeb view: {WEBVIEW} {}\nPainting: {}\nLanguage: {}\nAccount in use: {account}\nLog file: {log}\n",
        env!("CARGO_PKG_VERSION"),
        os_name(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        crate::graphics::chosen().describe(),
        if state.lang() == Lang::ZhCn { "zh-CN" } else { "en" },
    );
    if problems.is_empty() {
        text.push_str("Recent problems: none\n");
    } else {
        text.push_str(&format!("Recent problems ({}):\n", problems.len()));
        for p in &problems {
            text.push_str("  ");
            text.push_str(p);
            text.push('\n');
        }
    }
    crate::wechat::redact::redact(&text)
}

/// Where the log is written: the directory it was opened in, else the OS log directory.
fn log_dir<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<std::path::PathBuf> {
    crate::logs::dir().map(Ok).unwrap_or_else(|| app.path().app_log_dir())
}

/// The system's web view, whose version `tauri::webview_version` gives.
#[cfg(target_os = "linux")]
const WEBVIEW: &str = "WebKitGTK";
#[cfg(target_os = "macos")]
const WEBVIEW: &str = "WKWebView";
#[cfg(target_os = "windows")]
const WEBVIEW: &str = "WebView2";
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
const WEBVIEW: &str = "web view";

/// The operating system's own name for itself, where it says one.
fn os_name() -> String {
    #[cfg(target_os = "linux")]
    if let Ok(release) = std::fs::read_to_string("/etc/os-release") {
        if let Some(name) = release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")) {
            return name.trim_matches('"').to_string();
        }
    }
    std::env::consts::OS.to_string()
}
