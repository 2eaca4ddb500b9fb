//! App-level commands: what the status bar shows, and the user's language.

use serde::Serialize;
use tauri::State;

use crate::config::SANDBOX_ID;
use crate::error::CommandError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    /// `sandbox` or `live`.
    pub kind: &'static str,
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
    let live = cfg.active.as_deref().filter(|id| *id != SANDBOX_ID).and_then(|id| cfg.profiles.iter().find(|p| p.id == id));
    match live {
        Some(p) => Some(ProfileInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: "live",
            base_url: p.api_base.clone().filter(|b| !b.is_empty()).unwrap_or_else(|| "https://api.weixin.qq.com".into()),
            oa_wechat_id: p.oa_wechat_id.clone(),
        }),
        None => state.sandbox().map(|sb| ProfileInfo {
            id: SANDBOX_ID.into(),
            name: "Sandbox".into(),
            kind: "sandbox",
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
