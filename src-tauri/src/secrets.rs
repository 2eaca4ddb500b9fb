//! Secrets (AppSecrets, token-relay credentials) live only in the OS keyring through
//! keyring-core: Keychain on macOS, Credential Manager on Windows, the Secret Service (GNOME
//! Keyring, KWallet) on Linux. Never on disk, in logs, in errors or in the web view. Every
//! keyring call is blocking, so the async wrappers run it on tokio's blocking pool.

use std::fmt;

use crate::wechat::Secret;

/// The keyring "service" of every KefuDesk entry.
pub const SERVICE: &str = "app.kefudesk.desktop";

/// Which secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    AppSecret,
    RelayCredential,
    /// The password of the profile's proxy (`http://user:password@host`); the configuration
    /// keeps the address without it.
    ProxyPassword,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] = [SecretKind::AppSecret, SecretKind::RelayCredential, SecretKind::ProxyPassword];

    fn label(self) -> &'static str {
        match self {
            SecretKind::AppSecret => "appsecret",
            SecretKind::RelayCredential => "relay-credential",
            SecretKind::ProxyPassword => "proxy-password",
        }
    }
}

/// A proxy address without its password, and the password.
pub fn split_proxy_password(proxy: &str) -> (String, Option<Secret>) {
    match url::Url::parse(proxy) {
        Ok(mut u) if u.password().is_some_and(|p| !p.is_empty()) => {
            let pw =
                percent_encoding::percent_decode_str(u.password().unwrap_or_default()).decode_utf8_lossy().to_string();
            let _ = u.set_password(None);
            (u.to_string(), Some(Secret::new(pw)))
        }
        _ => (proxy.to_string(), None),
    }
}

/// The proxy address with `password` put back (only when it names a user).
pub fn with_proxy_password(proxy: &str, password: Option<&Secret>) -> String {
    match (url::Url::parse(proxy), password) {
        (Ok(mut u), Some(pw)) if !u.username().is_empty() && u.password().is_none() => {
            let _ = u.set_password(Some(pw.expose()));
            u.to_string()
        }
        _ => proxy.to_string(),
    }
}

/// Why the keyring could not be used. Carries the platform's words, never a secret.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyringError {
    /// No keyring service (e.g. Linux without a Secret Service on the session bus).
    Unavailable(String),
    /// The keyring exists but is locked or access was refused.
    Locked(String),
    /// Anything else the platform reported.
    Failed(String),
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyringError::Unavailable(d) => write!(f, "no system keyring: {d}"),
            KeyringError::Locked(d) => write!(f, "system keyring locked or access refused: {d}"),
            KeyringError::Failed(d) => write!(f, "system keyring error: {d}"),
        }
    }
}

impl std::error::Error for KeyringError {}

impl From<keyring_core::Error> for KeyringError {
    fn from(e: keyring_core::Error) -> Self {
        use keyring_core::Error as E;
        match e {
            E::NoStorageAccess(p) => KeyringError::Locked(p.to_string()),
            E::PlatformFailure(p) => KeyringError::Unavailable(p.to_string()),
            E::NoDefaultStore => KeyringError::Unavailable("no credential store was set up".into()),
            // BadEncoding/BadDataFormat carry the stored bytes: never print them.
            E::BadEncoding(_) | E::BadDataFormat(..) => KeyringError::Failed("the stored secret is not text".into()),
            other => KeyringError::Failed(other.to_string()),
        }
    }
}

/// Sets up the platform's keyring as the default store. Call once, off the main thread.
pub fn init_os_store() -> Result<(), KeyringError> {
    #[cfg(target_os = "linux")]
    let store = dbus_secret_service_keyring_store::Store::new()?;
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new()?;
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new()?;
    keyring_core::set_default_store(store);
    Ok(())
}

fn entry(profile_id: &str, kind: SecretKind) -> Result<keyring_core::Entry, KeyringError> {
    Ok(keyring_core::Entry::new(SERVICE, &format!("{profile_id}/{}", kind.label()))?)
}

/// Stores (or replaces) a secret.
pub fn save_blocking(profile_id: &str, kind: SecretKind, secret: &Secret) -> Result<(), KeyringError> {
    Ok(entry(profile_id, kind)?.set_password(secret.expose())?)
}

/// Reads a secret back; `None` when none is stored.
pub fn load_blocking(profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, KeyringError> {
    match entry(profile_id, kind)?.get_password() {
        Ok(s) => Ok(Some(Secret::new(s))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Deletes one secret of a profile (an absent one is fine).
pub fn delete_one_blocking(profile_id: &str, kind: SecretKind) -> Result<(), KeyringError> {
    match entry(profile_id, kind)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Deletes every secret of a profile (absent ones are fine).
pub fn delete_blocking(profile_id: &str) -> Result<(), KeyringError> {
    SecretKind::ALL.into_iter().try_for_each(|kind| delete_one_blocking(profile_id, kind))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| KeyringError::Failed(e.to_string()))?
}

pub async fn save(profile_id: String, kind: SecretKind, secret: Secret) -> Result<(), KeyringError> {
    blocking(move || save_blocking(&profile_id, kind, &secret)).await
}

pub async fn load(profile_id: String, kind: SecretKind) -> Result<Option<Secret>, KeyringError> {
    blocking(move || load_blocking(&profile_id, kind)).await
}

pub async fn delete_one(profile_id: String, kind: SecretKind) -> Result<(), KeyringError> {
    blocking(move || delete_one_blocking(&profile_id, kind)).await
}

/// Where a proxy's password may go. A stored password is sent only to the proxy it was typed
/// for: the same scheme, host, port and user.
#[derive(Debug, PartialEq, Eq)]
pub struct ProxyTarget {
    scheme: String,
    host: String,
    port: Option<u16>,
    user: String,
}

impl ProxyTarget {
    /// Whether the address names a user (only then is there a password to keep).
    pub fn has_user(&self) -> bool {
        !self.user.is_empty()
    }
}

/// The target of a proxy address, `None` when there is no proxy (or no usable address).
pub fn proxy_target(proxy: Option<&str>) -> Option<ProxyTarget> {
    let u = url::Url::parse(proxy?).ok()?;
    Some(ProxyTarget {
        scheme: u.scheme().to_string(),
        host: u.host_str()?.to_ascii_lowercase(),
        port: u.port_or_known_default(),
        user: u.username().to_string(),
    })
}

pub async fn delete(profile_id: String) -> Result<(), KeyringError> {
    blocking(move || delete_blocking(&profile_id)).await
}

/// keyring-core's in-memory store as the default, installed once per test process (tests
/// run in parallel, so it is never taken away again).
#[cfg(test)]
pub fn use_mock_store() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().expect("mock store")));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against keyring-core's in-memory store: the logic, not the platform (the platform is
    /// tested against a real Secret Service in `tests/keyring_secret_service.rs`).
    #[test]
    fn save_load_replace_delete_with_the_mock_store() {
        use_mock_store();
        let id = "p-mock";
        assert_eq!(load_blocking(id, SecretKind::AppSecret).unwrap(), None);
        save_blocking(id, SecretKind::AppSecret, &Secret::new("one")).unwrap();
        save_blocking(id, SecretKind::RelayCredential, &Secret::new("relay")).unwrap();
        assert_eq!(load_blocking(id, SecretKind::AppSecret).unwrap().unwrap().expose(), "one");
        save_blocking(id, SecretKind::AppSecret, &Secret::new("two")).unwrap();
        assert_eq!(load_blocking(id, SecretKind::AppSecret).unwrap().unwrap().expose(), "two");
        delete_blocking(id).unwrap();
        assert_eq!(load_blocking(id, SecretKind::AppSecret).unwrap(), None);
        assert_eq!(load_blocking(id, SecretKind::RelayCredential).unwrap(), None);
        delete_blocking(id).unwrap();
    }

    #[test]
    fn errors_never_print_stored_bytes() {
        let e: KeyringError = keyring_core::Error::BadEncoding(b"hunter2".to_vec()).into();
        assert!(!e.to_string().contains("hunter2"));
    }
}
