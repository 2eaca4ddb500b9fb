//! Tauri commands: thin wrappers that read state and call the typed WeChat client. A command's
//! body returns a [`Fault`]; [`boundary`] puts it into the user's language once, as the
//! [`CommandError`] the UI receives. One file per domain; each command is listed in `build.rs`
//! and granted in `capabilities/default.json` (a test checks the four lists agree).

pub mod app;
pub mod avatars;
pub mod exports;
pub mod mp;
pub mod profiles;
pub mod server;
pub mod stats;
pub mod wecom;

#[cfg(test)]
mod bindings_tests;
#[cfg(test)]
mod fault_matrix_tests;
#[cfg(test)]
mod ipc_tests;
#[cfg(test)]
mod registry_tests;

use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use crate::config::{is_sandbox, WECOM_SANDBOX_ID};
use crate::error::{CommandError, Fault};
use crate::profile::{secret_kind, ActiveProfile, Client};
use crate::secrets::{self, KeyringError, SecretKind};
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::mp::MpClient;
use crate::wechat::wecom::WecomClient;
use crate::wechat::{Platform, Secret};

/// Runs a command's body and, if it fails, says why in the user's language: the one place a
/// command's fault becomes a sentence.
///
/// A panic in the body (a bug) is caught here too: the window gets an `internal` error instead
/// of a promise that never settles.
pub(crate) async fn boundary<T>(
    state: &AppState,
    body: impl Future<Output = Result<T, Fault>>,
) -> Result<T, CommandError> {
    use futures_util::FutureExt;
    let outcome = std::panic::AssertUnwindSafe(body).catch_unwind().await.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(panic = %crate::wechat::redact::redact(&what), "a command panicked");
        Err(Fault::internal(what))
    });
    outcome.map_err(|f| {
        // The log and "Copy diagnostics" keep what went wrong, in English, already redacted.
        let said = f.localize(crate::i18n::Lang::En);
        tracing::warn!(code = said.code, errcode = ?said.errcode, "a command failed: {}", said.message);
        f.localize(state.lang())
    })
}

/// The active profile's client, built on first use (reading its secret off the main thread),
/// once: commands that come meanwhile wait for it. A client built for a profile the user
/// switched away from meanwhile is thrown away and the one for the newly active profile is
/// built instead: it is never cached or used.
pub(crate) async fn active(state: &AppState) -> Result<Arc<ActiveProfile>, Fault> {
    loop {
        if let Some(p) = state.cached_active() {
            return Ok(p);
        }
        #[cfg(test)]
        state.build_waiters.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let _building = state.building.lock().await;
        if let Some(p) = state.cached_active() {
            return Ok(p);
        }
        let generation = state.generation();
        let built = Arc::new(build_active(state).await?);
        if state.cache_active(built.clone(), generation) {
            return Ok(built);
        }
        tracing::info!(profile = %built.id, "the active profile changed while its client was built; building again");
    }
}

async fn build_active(state: &AppState) -> Result<ActiveProfile, Fault> {
    let cfg = state.config();
    let chosen = cfg.active.as_deref();
    let profile = chosen.filter(|id| !is_sandbox(id)).and_then(|id| cfg.profiles.iter().find(|p| p.id == id));
    match profile {
        None if chosen == Some(WECOM_SANDBOX_ID) => {
            let sb = state.wecom_sandbox().ok_or_else(|| no_sandbox(state))?;
            ActiveProfile::wecom_sandbox(&sb, state.request_timeout())
        }
        None => {
            let sb = state.sandbox().ok_or_else(|| no_sandbox(state))?;
            ActiveProfile::sandbox(&sb, state.request_timeout())
        }
        Some(p) => {
            // Before the secret is even read: a stored address that would carry it in clear
            // text (saved before the rule, or edited by hand) is refused in the form's words.
            if let Some(e) = crate::config::insecure_address(p) {
                return Err(Fault::Api(crate::wechat::ApiError::Insecure)).inspect_err(|_| {
                    tracing::warn!(field = e.field, "a profile's address is plain http to another computer: not used")
                });
            }
            let secret = secret_of(state, &p.id, secret_kind(p)).await?;
            if secret.is_none() && secret_kind(p) == SecretKind::AppSecret {
                return Err(match p.platform() {
                    Platform::Mp => Fault::other("no_secret", S::MpNoSecret),
                    Platform::Wecom => Fault::other("no_secret", S::WecomNoSecret),
                });
            }
            let proxy_password =
                match p.proxy.as_deref().and_then(|x| url::Url::parse(x).ok()).filter(|u| !u.username().is_empty()) {
                    Some(_) => secret_of(state, &p.id, SecretKind::ProxyPassword).await?,
                    None => None,
                };
            ActiveProfile::live(p, secret, proxy_password, state.request_timeout())
        }
    }
    .map_err(Fault::Api)
}

#[cfg(test)]
mod boundary_tests {
    use super::boundary;
    use crate::error::Fault;
    use crate::i18n::Lang;
    use crate::state::AppState;

    /// A bug that panics inside a command still answers the window, in words, without the
    /// secret the panic message may hold.
    #[test]
    fn a_panicking_command_answers_with_an_internal_error() {
        let state = AppState::new(Lang::En);
        let answer = tauri::async_runtime::block_on(boundary(&state, async {
            if state.lang() == Lang::En {
                panic!("index out of bounds near ?access_token=SECRET123");
            }
            Ok::<(), Fault>(())
        }));
        let e = answer.unwrap_err();
        assert_eq!(e.code, "internal");
        assert!(e.message.contains("internal error") && !e.message.contains("SECRET123"), "{}", e.message);
    }
}

/// The active profile when it is an Official Account; derefs to its client.
pub(crate) struct MpActive(pub Arc<ActiveProfile>);

impl Deref for MpActive {
    type Target = MpClient;
    fn deref(&self) -> &MpClient {
        match &self.0.client {
            Client::Mp(c) => c,
            Client::Wecom(_) => unreachable!("MpActive is only made for Official Account profiles"),
        }
    }
}

/// The active profile when it is a WeCom corp; derefs to its client.
pub(crate) struct WecomActive(pub Arc<ActiveProfile>);

impl Deref for WecomActive {
    type Target = WecomClient;
    fn deref(&self) -> &WecomClient {
        match &self.0.client {
            Client::Wecom(c) => c,
            Client::Mp(_) => unreachable!("WecomActive is only made for WeCom profiles"),
        }
    }
}

/// The active Official Account, or `wrong_platform`.
pub(crate) async fn active_mp(state: &AppState) -> Result<MpActive, Fault> {
    let p = active(state).await?;
    match p.platform() {
        Platform::Mp => Ok(MpActive(p)),
        Platform::Wecom => Err(Fault::WrongPlatform { wanted: Platform::Mp }),
    }
}

/// The active WeCom corp, or `wrong_platform`.
pub(crate) async fn active_wecom(state: &AppState) -> Result<WecomActive, Fault> {
    let p = active(state).await?;
    match p.platform() {
        Platform::Wecom => Ok(WecomActive(p)),
        Platform::Mp => Err(Fault::WrongPlatform { wanted: Platform::Wecom }),
    }
}

fn no_sandbox(state: &AppState) -> Fault {
    let why = state.startup_error().unwrap_or_default();
    Fault::other_with("no_profile", S::SandboxDidNotStart, [("why", why.to_string())])
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
pub(crate) async fn secret_of(state: &AppState, id: &str, kind: SecretKind) -> Result<Option<Secret>, Fault> {
    #[cfg(test)]
    let _gate = {
        state.secret_waiters.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        state.secret_gate.lock().await
    };
    if let Some(s) = state.memory_secret(id, kind) {
        return Ok(Some(s));
    }
    keyring(state).await?;
    Ok(secrets::load(id.to_string(), kind).await?)
}

/// The cancel switch of a long read a page may stop (records, statistics): a new read stops the
/// one before it.
#[derive(Default)]
pub struct CancelSwitch(std::sync::Mutex<Option<Arc<std::sync::atomic::AtomicBool>>>);

impl CancelSwitch {
    /// A fresh switch for a read starting now; the previous read (if still going) is stopped.
    pub fn start(&self) -> Arc<std::sync::atomic::AtomicBool> {
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if let Some(previous) = self.0.lock().expect("cancel switch").replace(cancel.clone()) {
            previous.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        cancel
    }

    /// Stops the read under way.
    pub fn cancel(&self) {
        if let Some(c) = self.0.lock().expect("cancel switch").as_ref() {
            c.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}
