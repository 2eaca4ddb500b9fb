//! Tauri commands: thin wrappers that read state, call the typed WeChat client and map errors
//! to [`CommandError`]. One file per domain; each is listed in `build.rs` and granted in
//! `capabilities/default.json`.

pub mod agents;
pub mod app;
pub mod avatars;
pub mod groups;
pub mod profiles;
pub mod records;
pub mod sessions;

#[cfg(test)]
mod ipc_tests;

use std::sync::Arc;

use crate::config::SANDBOX_ID;
use crate::error::CommandError;
use crate::i18n::Lang;
use crate::secrets::{self, KeyringError, SecretKind};
use crate::state::{secret_kind, ActiveProfile, AppState};
use crate::wechat::Secret;

/// The active profile's client, built on first use (reading its secret off the main thread).
pub(crate) async fn active(state: &AppState) -> Result<Arc<ActiveProfile>, CommandError> {
    if let Some(p) = state.cached_active() {
        return Ok(p);
    }
    let lang = state.lang();
    let cfg = state.config();
    let profile = cfg.active.as_deref().filter(|id| *id != SANDBOX_ID).and_then(|id| cfg.profiles.iter().find(|p| p.id == id));
    let built = match profile {
        None => {
            let sb = state.sandbox().ok_or_else(|| no_sandbox(state))?;
            ActiveProfile::sandbox(sb)
        }
        Some(p) => {
            let secret = secret_of(state, &p.id, secret_kind(p)).await?;
            if secret.is_none() && secret_kind(p) == SecretKind::AppSecret {
                return Err(CommandError::new(
                    "no_secret",
                    lang.pick("该配置还没有保存 AppSecret。请在设置中编辑该配置并输入 AppSecret。", "This profile has no AppSecret yet. Edit it in Settings and enter the AppSecret."),
                ));
            }
            ActiveProfile::live(p, secret)
        }
    }
    .map_err(|e| CommandError::from_api(&e, lang))?;
    let built = Arc::new(built);
    state.set_active(Some(built.clone()));
    Ok(built)
}

fn no_sandbox(state: &AppState) -> CommandError {
    let why = state.startup_error().unwrap_or_default();
    let lang = state.lang();
    CommandError::new(
        "no_profile",
        match lang {
            Lang::ZhCn => format!("内置沙箱未能启动（{why}），也没有选择其他配置。请在设置中添加公众号，或重启应用。"),
            Lang::En => format!("The built-in sandbox could not start ({why}) and no other profile is selected. Add an Official Account in Settings, or restart the app."),
        },
    )
}

/// Sets up the OS keyring once (off the main thread).
pub(crate) async fn keyring(state: &AppState) -> Result<(), KeyringError> {
    if let Some(r) = state.keyring_state() {
        return r;
    }
    let r = tokio::task::spawn_blocking(secrets::init_os_store)
        .await
        .unwrap_or_else(|e| Err(KeyringError::Failed(e.to_string())));
    state.set_keyring_state(r)
}

/// A profile's secret: from this run's memory, else from the keyring.
pub(crate) async fn secret_of(state: &AppState, id: &str, kind: SecretKind) -> Result<Option<Secret>, CommandError> {
    if let Some(s) = state.memory_secret(id, kind) {
        return Ok(Some(s));
    }
    let lang = state.lang();
    keyring(state).await.map_err(|e| CommandError::from_keyring(&e, lang))?;
    secrets::load(id.to_string(), kind).await.map_err(|e| CommandError::from_keyring(&e, lang))
}
