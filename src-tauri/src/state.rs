//! What the running app holds: the user's language, the configuration document, the built-in
//! sandboxes (one per platform), the active profile's client (built on first use), and secrets
//! the user chose to keep in memory for this run only.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use crate::config::{store, ConfigDoc};
use crate::i18n::Lang;
use crate::profile::ActiveProfile;
use crate::sandbox::mp::MpSandboxHandle;
use crate::sandbox::wecom::WecomSandboxHandle;
use crate::secrets::{KeyringError, SecretKind};
use crate::sentences::S;
use crate::wechat::Secret;

#[derive(Default)]
pub struct AppState {
    lang: RwLock<Lang>,
    config: Mutex<ConfigDoc>,
    /// Where the configuration is kept; `None` keeps it in memory (tests).
    config_path: Option<PathBuf>,
    /// A configuration file that could not be read and was set aside (path, reason).
    config_notice: RwLock<Option<(PathBuf, store::SetAsideReason)>>,
    /// Why the configuration file could not be read (permissions, a disk error): until it can
    /// be, nothing is written over it — it may hold every profile.
    config_unreadable: RwLock<Option<String>>,
    sandbox: RwLock<Option<MpSandboxHandle>>,
    /// Replaces the clients' whole-request timeout (tests).
    request_timeout: Option<Duration>,
    wecom_sandbox: RwLock<Option<WecomSandboxHandle>>,
    active: RwLock<Option<Arc<ActiveProfile>>>,
    /// Bumped whenever the active profile may have changed: a client built under an older
    /// generation is never cached (the user switched while it was being built).
    generation: AtomicU64,
    /// Held while the active profile's client is built: commands arriving meanwhile (several at
    /// start-up) wait for that one client instead of each building, reading the secret and
    /// fetching an access_token of its own.
    pub(crate) building: tokio::sync::Mutex<()>,
    /// How many commands have come to build the active client (tests).
    #[cfg(test)]
    pub(crate) build_waiters: std::sync::atomic::AtomicUsize,
    /// Held while a secret is read for a client (tests hold it to widen the switch race).
    #[cfg(test)]
    pub(crate) secret_gate: tokio::sync::Mutex<()>,
    /// How many secret reads have reached the gate.
    #[cfg(test)]
    pub(crate) secret_waiters: std::sync::atomic::AtomicUsize,
    /// Why the sandbox could not start.
    startup_error: RwLock<Option<String>>,
    /// The outcome of setting up the OS keyring, once tried.
    keyring: OnceLock<Result<(), KeyringError>>,
    /// Secrets kept for this run only, by `profile id/kind` (the user's choice when there is
    /// no usable keyring). Never written anywhere.
    memory_secrets: Mutex<HashMap<String, Secret>>,
    /// Where per-profile data (the WeCom message archive) is kept; next to the configuration
    /// when not set.
    data_dir: Option<PathBuf>,
    /// The WeCom reader of the active WeCom profile, once a page needed it.
    reader: Mutex<Option<Arc<crate::wecom::conversations::Reader>>>,
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
            Err(e) => {
                tracing::error!(error = %e, path = %path.display(), "cannot read the configuration");
                *s.config_unreadable.get_mut().expect("unreadable lock") = Some(e.to_string());
            }
        }
        s.config_path = Some(path);
        s
    }

    /// Keeps per-profile data under `dir`.
    pub fn with_data_dir(mut self, dir: PathBuf) -> Self {
        self.data_dir = Some(dir);
        self
    }

    /// The directory for per-profile data, if the app has one (tests without files have none).
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone().or_else(|| self.config_path.as_ref().and_then(|p| p.parent()).map(|p| p.to_path_buf()))
    }

    pub fn reader(&self) -> Option<Arc<crate::wecom::conversations::Reader>> {
        self.reader.lock().expect("reader lock").clone()
    }

    /// The WeCom reader of `profile`, started by `start` unless it runs already (one at a time:
    /// two pages asking at once share one reader and one archive).
    pub fn reader_for(
        &self,
        profile: &Arc<ActiveProfile>,
        start: impl FnOnce() -> Result<Arc<crate::wecom::conversations::Reader>, crate::error::Fault>,
    ) -> Result<Arc<crate::wecom::conversations::Reader>, crate::error::Fault> {
        // Only for the profile that is active now, checked under the lock a switch takes to
        // stop the reader: a command that began before a switch (an export awaiting WeChat)
        // must not start the old profile's reader again after it.
        let active = self.active.read().expect("active lock");
        if !active.as_ref().is_some_and(|a| Arc::ptr_eq(a, profile)) {
            return Err(crate::error::Fault::other("profile_changed", S::ProfileChanged));
        }
        let mut slot = self.reader.lock().expect("reader lock");
        if let Some(l) = slot.as_ref().filter(|l| Arc::ptr_eq(&l.profile, profile)) {
            return Ok(l.clone());
        }
        let l = start()?;
        *slot = Some(l.clone());
        Ok(l)
    }

    /// Replaces the WeCom reader (the old one stops when its last user lets go).
    pub fn set_reader(&self, reader: Option<Arc<crate::wecom::conversations::Reader>>) {
        *self.reader.lock().expect("reader lock") = reader;
    }

    /// A shorter whole-request timeout for every client this state builds (tests of a server
    /// that does not answer).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    pub fn request_timeout(&self) -> Option<Duration> {
        self.request_timeout
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
        if let Some(why) = self.config_unreadable() {
            return Err(std::io::Error::other(format!(
                "the configuration file could not be read ({why}), so it is not written over"
            )));
        }
        let mut guard = self.config.lock().expect("config lock");
        let mut next = guard.clone();
        let out = f(&mut next);
        if let Some(path) = &self.config_path {
            store::save(path, &next)?;
        }
        *guard = next;
        Ok(out)
    }

    #[cfg(test)]
    pub fn config_path_for_tests(&self) -> PathBuf {
        self.config_path.clone().expect("a configuration file")
    }

    /// Why the configuration file could not be read, while it cannot.
    pub fn config_unreadable(&self) -> Option<String> {
        self.config_unreadable.read().expect("unreadable lock").clone()
    }

    /// Reads the configuration file again (after the user fixed its permissions).
    pub fn reload_config(&self) -> std::io::Result<()> {
        let Some(path) = &self.config_path else { return Ok(()) };
        let loaded = store::load(path)
            .inspect_err(|e| *self.config_unreadable.write().expect("unreadable lock") = Some(e.to_string()))?;
        *self.config.lock().expect("config lock") = loaded.doc;
        *self.config_notice.write().expect("notice lock") = loaded.set_aside;
        *self.config_unreadable.write().expect("unreadable lock") = None;
        self.reset_active();
        Ok(())
    }

    pub fn config_notice(&self) -> Option<(PathBuf, store::SetAsideReason)> {
        self.config_notice.read().expect("notice lock").clone()
    }

    pub fn sandbox(&self) -> Option<MpSandboxHandle> {
        self.sandbox.read().expect("sandbox lock").clone()
    }

    pub fn set_sandbox(&self, sb: MpSandboxHandle) {
        *self.sandbox.write().expect("sandbox lock") = Some(sb);
    }

    pub fn wecom_sandbox(&self) -> Option<WecomSandboxHandle> {
        self.wecom_sandbox.read().expect("sandbox lock").clone()
    }

    pub fn set_wecom_sandbox(&self, sb: WecomSandboxHandle) {
        *self.wecom_sandbox.write().expect("sandbox lock") = Some(sb);
    }

    pub fn cached_active(&self) -> Option<Arc<ActiveProfile>> {
        self.active.read().expect("active lock").clone()
    }

    /// The generation a client being built belongs to (see [`AppState::cache_active`]).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Caches `p` as the active client if nothing changed since `generation` was read; false
    /// when the user switched (or edited the profile) meanwhile, so `p` must not be used.
    pub fn cache_active(&self, p: Arc<ActiveProfile>, generation: u64) -> bool {
        let mut active = self.active.write().expect("active lock");
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        *active = Some(p);
        true
    }

    /// Forgets the active client: the next command builds the one the configuration names.
    pub fn reset_active(&self) {
        let mut active = self.active.write().expect("active lock");
        self.generation.fetch_add(1, Ordering::SeqCst);
        *active = None;
        // The WeCom reader of the profile left behind stops.
        self.set_reader(None);
    }

    /// Drops the cached client when it belongs to profile `id` (edited or deleted), and any
    /// client being built meanwhile.
    pub fn forget_active_if(&self, id: &str) {
        let mut active = self.active.write().expect("active lock");
        self.generation.fetch_add(1, Ordering::SeqCst);
        if active.as_ref().is_some_and(|a| a.id == id) {
            *active = None;
        }
        if self.reader().is_some_and(|l| l.profile.id == id) {
            self.set_reader(None);
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

    pub fn forget_memory_secret(&self, id: &str, kind: SecretKind) {
        self.memory_secrets.lock().expect("secrets lock").remove(&format!("{id}/{kind:?}"));
    }

    pub fn forget_memory_secrets(&self, id: &str) {
        self.memory_secrets.lock().expect("secrets lock").retain(|k, _| !k.starts_with(&format!("{id}/")));
    }
}
