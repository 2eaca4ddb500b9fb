//! App-level commands: what the status bar shows, and the user's language.

use serde::Serialize;
use tauri::State;

use crate::config::{is_sandbox, Account, WECOM_SANDBOX_ID};
use crate::wechat::{ClientConfig, Platform};
use crate::error::CommandError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Serialize)]
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
pub struct AppInfo {
    pub version: &'static str,
    /// The language the Rust side writes errors in.
    pub lang: Lang,
    /// The operating system's language, for a UI without a saved choice.
    pub os_lang: Lang,
    /// The active profile (the built-in sandbox unless another is chosen).
    pub profile: Option<ProfileInfo>,
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
#[tracing::instrument(skip(state))]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo { version: env!("CARGO_PKG_VERSION"), lang: state.lang(), os_lang: Lang::from_os(), profile: active_info(&state) }
}

/// Sets the language of messages from Rust (the UI remembers the choice).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn set_locale(state: State<'_, AppState>, lang: Lang) -> Result<(), CommandError> {
    state.set_lang(lang);
    Ok(())
}
