//! What the running app holds: the user's language, the configuration document, the built-in
//! sandbox, the active profile's client (built on first use), and secrets the user chose to keep
//! in memory for this run only.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use crate::config::{store, ConfigDoc, Profile, TokenMode, SANDBOX_ID};
use crate::i18n::Lang;
use crate::sandbox::SandboxHandle;
use crate::secrets::{KeyringError, SecretKind};
use crate::wechat::mp::MpClient;
use crate::wechat::{ApiError, ClientConfig, Secret, TokenSource};

/// The profile in use.
pub struct ActiveProfile {
    pub id: String,
    pub name: String,
    /// The Official Account's WeChat ID, the `@suffix` of its kf accounts.
    pub oa_wechat_id: String,
    pub mp: MpClient,
    /// Set when this profile is the built-in sandbox.
    pub sandbox: Option<SandboxHandle>,
}

impl ActiveProfile {
    /// The built-in sandbox profile, talking to `sb` over loopback HTTP like any live account.
    pub fn sandbox(sb: SandboxHandle) -> Result<Self, ApiError> {
        let source = TokenSource::MpStable { appid: sb.appid(), secret: Secret::new(sb.secret()) };
        let mp = MpClient::new(ClientConfig::new(sb.base_url()), source)?;
        Ok(ActiveProfile { id: SANDBOX_ID.into(), name: "Sandbox".into(), oa_wechat_id: sb.oa_wechat_id(), mp, sandbox: Some(sb) })
    }

    /// A saved profile with its secret (the AppSecret, or the relay's optional credential).
    pub fn live(p: &Profile, secret: Option<Secret>) -> Result<Self, ApiError> {
        Ok(ActiveProfile {
            id: p.id.clone(),
            name: p.name.clone(),
            oa_wechat_id: p.oa_wechat_id.clone(),
            mp: client_for(p, secret)?,
            sandbox: None,
        })
    }
}

/// The WeChat client a profile describes.
pub fn client_for(p: &Profile, secret: Option<Secret>) -> Result<MpClient, ApiError> {
    let mut cfg = match p.api_base.as_deref().filter(|b| !b.trim().is_empty()) {
        Some(base) => ClientConfig::new(base.trim()),
        None => ClientConfig::mp_default(),
    };
    cfg.proxy = p.proxy.clone().filter(|x| !x.trim().is_empty());
    let source = match &p.token {
        TokenMode::AppSecret => TokenSource::MpStable {
            appid: p.app_id.clone(),
            secret: secret.ok_or(ApiError::Config { detail: "no AppSecret".into() })?,
        },
        TokenMode::Relay { url } => TokenSource::Relay { url: url.clone(), bearer: secret },
    };
    MpClient::new(cfg, source)
}

/// The secret a profile's token source needs.
pub fn secret_kind(p: &Profile) -> SecretKind {
    match p.token {
        TokenMode::AppSecret => SecretKind::AppSecret,
        TokenMode::Relay { .. } => SecretKind::RelayCredential,
    }
}

#[derive(Default)]
pub struct AppState {
    lang: RwLock<Lang>,
    config: Mutex<ConfigDoc>,
    /// Where the configuration is kept; `None` keeps it in memory (tests).
    config_path: Option<PathBuf>,
    /// A configuration file that could not be read and was set aside (path, reason).
    config_notice: RwLock<Option<(PathBuf, store::SetAsideReason)>>,
    sandbox: RwLock<Option<SandboxHandle>>,
    active: RwLock<Option<Arc<ActiveProfile>>>,
    /// Why the sandbox could not start.
    startup_error: RwLock<Option<String>>,
    /// The outcome of setting up the OS keyring, once tried.
    keyring: OnceLock<Result<(), KeyringError>>,
    /// Secrets kept for this run only, by `profile id/kind` (the user's choice when there is
    /// no usable keyring). Never written anywhere.
    memory_secrets: Mutex<HashMap<String, Secret>>,
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        AppState { lang: RwLock::new(lang), ..Default::default() }
    }

    /// Loads the configuration from `path` (setting unreadable files aside).
    pub fn with_config_file(lang: Lang, path: PathBuf) -> Self {
        let mut s = AppState::new(lang);
        match store::load(&path) {
            Ok(l) => {
                *s.config.get_mut().expect("config lock") = l.doc;
                *s.config_notice.get_mut().expect("notice lock") = l.set_aside;
            }
            Err(e) => tracing::error!(error = %e, path = %path.display(), "cannot read the configuration"),
        }
        s.config_path = Some(path);
        s
    }

    /// Marks the keyring as already set up (tests install keyring-core's mock store).
    pub fn with_keyring_ready(self) -> Self {
        let _ = self.keyring.set(Ok(()));
        self
    }

    pub fn lang(&self) -> Lang {
        *self.lang.read().expect("lang lock")
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.write().expect("lang lock") = lang;
    }

    pub fn config(&self) -> ConfigDoc {
        self.config.lock().expect("config lock").clone()
    }

    /// Changes the configuration and writes it to disk atomically; on a write error nothing
    /// changes in memory either.
    pub fn update_config<T>(&self, f: impl FnOnce(&mut ConfigDoc) -> T) -> std::io::Result<T> {
        let mut guard = self.config.lock().expect("config lock");
        let mut next = guard.clone();
        let out = f(&mut next);
        if let Some(path) = &self.config_path {
            store::save(path, &next)?;
        }
        *guard = next;
        Ok(out)
    }

    pub fn config_notice(&self) -> Option<(PathBuf, store::SetAsideReason)> {
        self.config_notice.read().expect("notice lock").clone()
    }

    pub fn sandbox(&self) -> Option<SandboxHandle> {
        self.sandbox.read().expect("sandbox lock").clone()
    }

    pub fn set_sandbox(&self, sb: SandboxHandle) {
        *self.sandbox.write().expect("sandbox lock") = Some(sb);
    }

    pub fn cached_active(&self) -> Option<Arc<ActiveProfile>> {
        self.active.read().expect("active lock").clone()
    }

    pub fn set_active(&self, p: Option<Arc<ActiveProfile>>) {
        *self.active.write().expect("active lock") = p;
    }

    /// Drops the cached client when it belongs to profile `id` (edited or deleted).
    pub fn forget_active_if(&self, id: &str) {
        let mut active = self.active.write().expect("active lock");
        if active.as_ref().is_some_and(|a| a.id == id) {
            *active = None;
        }
    }

    pub fn startup_error(&self) -> Option<String> {
        self.startup_error.read().expect("startup lock").clone()
    }

    pub fn set_startup_error(&self, e: String) {
        *self.startup_error.write().expect("startup lock") = Some(e);
    }

    pub fn keyring_state(&self) -> Option<Result<(), KeyringError>> {
        self.keyring.get().cloned()
    }

    pub fn set_keyring_state(&self, r: Result<(), KeyringError>) -> Result<(), KeyringError> {
        let _ = self.keyring.set(r);
        self.keyring.get().cloned().expect("just set")
    }

    pub fn memory_secret(&self, id: &str, kind: SecretKind) -> Option<Secret> {
        self.memory_secrets.lock().expect("secrets lock").get(&format!("{id}/{kind:?}")).cloned()
    }

    pub fn set_memory_secret(&self, id: &str, kind: SecretKind, s: Secret) {
        self.memory_secrets.lock().expect("secrets lock").insert(format!("{id}/{kind:?}"), s);
    }

    pub fn forget_memory_secrets(&self, id: &str) {
        self.memory_secrets.lock().expect("secrets lock").retain(|k, _| !k.starts_with(&format!("{id}/")));
    }
}
