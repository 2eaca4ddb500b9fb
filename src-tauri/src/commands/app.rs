//! App-level commands: what the status bar shows, and the user's language.

use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct ProfileInfo {
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
    pub profile: Option<ProfileInfo>,
}

#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let profile = state.profile().map(|p| ProfileInfo {
        name: p.name.clone(),
        kind: if p.sandbox.is_some() { "sandbox" } else { "live" },
        base_url: p.mp.transport().config().base_url.clone(),
        oa_wechat_id: p.oa_wechat_id.clone(),
    });
    AppInfo { version: env!("CARGO_PKG_VERSION"), lang: state.lang(), os_lang: Lang::from_os(), profile }
}

/// Sets the language of messages from Rust (the UI remembers the choice).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub fn set_locale(state: State<'_, AppState>, lang: Lang) -> Result<(), CommandError> {
    state.set_lang(lang);
    Ok(())
}
