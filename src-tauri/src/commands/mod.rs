//! Tauri commands: thin wrappers that read state, call the typed WeChat client and map errors
//! to [`CommandError`]. One file per domain; each is listed in `build.rs` and granted in
//! `capabilities/default.json`.

pub mod agents;
pub mod app;

#[cfg(test)]
mod ipc_tests;

use std::sync::Arc;

use crate::error::CommandError;
use crate::state::{ActiveProfile, AppState};

/// The active profile, or a localised error saying why there is none.
pub(crate) fn active(state: &AppState) -> Result<Arc<ActiveProfile>, CommandError> {
    state.profile().ok_or_else(|| {
        let lang = state.lang();
        let why = state.startup_error().unwrap_or_default();
        CommandError::new(
            "no_profile",
            match lang {
                crate::i18n::Lang::ZhCn => format!("没有可用的账号配置（{why}）。请在设置中添加公众号，或重启应用以使用内置沙箱。"),
                crate::i18n::Lang::En => format!("No account is set up ({why}). Add an Official Account in Settings, or restart the app to use the built-in sandbox."),
            },
        )
    })
}
