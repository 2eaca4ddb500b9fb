//! Profiles: list, add/edit (secret to the keyring, or to memory for this run), delete, switch,
//! and test a connection before saving.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::{boundary, keyring, secret_of};
use crate::config::{self, is_sandbox, Account, Profile, TokenMode, SANDBOX_ID};
use crate::error::{CommandError, Fault};
use crate::profile::{client_for, secret_kind, Client};
use crate::secrets::{self, SecretKind};
use crate::sentences::{self, S};
use crate::state::AppState;
use crate::wechat::{Platform, Secret};

/// A profile as the Settings form sends it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileInput {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    /// `mp` (the default, as version 1 forms sent nothing) or `wecom`.
    #[serde(default = "mp")]
    pub platform: Platform,
    #[serde(default)]
    pub app_id: String,
    #[serde(default)]
    pub oa_wechat_id: String,
    #[serde(default)]
    pub corp_id: String,
    /// A WeCom corp's callback relay, if the company runs one.
    #[serde(default)]
    pub callback_relay: Option<String>,
    /// `app_secret` or `relay`.
    pub token_kind: String,
    #[serde(default)]
    pub relay_url: Option<String>,
    #[serde(default)]
    pub api_base: Option<String>,
    #[serde(default)]
    pub proxy: Option<String>,
}

fn mp() -> Platform {
    Platform::Mp
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl ProfileInput {
    fn into_profile(self, new_id: impl FnOnce() -> String) -> Profile {
        Profile {
            id: clean(self.id).unwrap_or_else(new_id),
            name: self.name.trim().to_string(),
            account: match self.platform {
                Platform::Mp => Account::Mp {
                    app_id: self.app_id.trim().to_string(),
                    oa_wechat_id: self.oa_wechat_id.trim().to_string(),
                },
                Platform::Wecom => Account::Wecom {
                    corp_id: self.corp_id.trim().to_string(),
                    callback_relay: clean(self.callback_relay),
                },
            },
            token: match self.token_kind.as_str() {
                "relay" => TokenMode::Relay { url: clean(self.relay_url).unwrap_or_default() },
                _ => TokenMode::AppSecret,
            },
            api_base: clean(self.api_base),
            proxy: clean(self.proxy),
            server: None,
        }
    }
}

/// Where a profile's secret is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    Keyring,
    Memory,
    None,
    /// The keyring cannot be read right now.
    Unknown,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileView {
    #[serde(flatten)]
    pub profile: Profile,
    pub secret: SecretState,
    /// What must be fixed before the profile can be used (an address that would carry secrets
    /// in clear text): the field and the words.
    pub problem: Option<ProfileProblem>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileProblem {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfilesView {
    /// The active profile's id (`sandbox` or `sandbox-wecom` for the built-in ones).
    pub active: String,
    pub profiles: Vec<ProfileView>,
    /// Why the keyring cannot be used, when it cannot.
    pub keyring_error: Option<crate::error::CommandError>,
    /// A configuration file that could not be read (kept, not written over) or was set aside.
    pub config_notice: Option<String>,
    /// The configuration file cannot be read now: Settings offers to read it again.
    pub config_unreadable: bool,
}

fn new_id() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    format!("p{ms:x}{}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

fn unknown_profile() -> Fault {
    Fault::invalid(S::NoSuchProfile)
}

pub(crate) fn io_error(e: std::io::Error) -> Fault {
    Fault::other_with("config_write", S::SettingsNotSaved, [("e", e.to_string())])
}

pub(crate) async fn view(state: &AppState) -> ProfilesView {
    let lang = state.lang();
    let cfg = state.config();
    let keyring_ok = keyring(state).await;
    let mut profiles = Vec::new();
    for p in cfg.profiles {
        let kind = secret_kind(&p);
        let secret = if state.memory_secret(&p.id, kind).is_some() {
            SecretState::Memory
        } else if keyring_ok.is_err() {
            SecretState::Unknown
        } else {
            match secrets::load(p.id.clone(), kind).await {
                Ok(Some(_)) => SecretState::Keyring,
                Ok(None) => SecretState::None,
                Err(_) => SecretState::Unknown,
            }
        };
        let problem = config::insecure_address(&p).map(|e| ProfileProblem {
            field: e.field,
            message: sentences::fill(
                lang,
                S::PlainHttpProfileUnused,
                &[("why", sentences::text(lang, e.s).to_string())],
            ),
        });
        profiles.push(ProfileView { profile: p, secret, problem });
    }
    let unreadable = state.config_unreadable().map(|why| sentences::fill(lang, S::ConfigUnreadable, &[("why", why)]));
    let config_notice = unreadable.or_else(|| {
        state
            .config_notice()
            .map(|(path, _)| sentences::fill(lang, S::ConfigSetAside, &[("path", path.display().to_string())]))
    });
    ProfilesView {
        active: cfg.active.unwrap_or_else(|| SANDBOX_ID.into()),
        profiles,
        keyring_error: keyring_ok.err().map(|e| Fault::Keyring(e).localize(lang)),
        config_notice,
        config_unreadable: state.config_unreadable().is_some(),
    }
}

/// Reads the configuration file again (after its permissions were fixed).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reload_config(state: State<'_, AppState>) -> Result<ProfilesView, CommandError> {
    boundary(&state, async {
        let _ = state.reload_config();
        Ok(view(&state).await)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<ProfilesView, CommandError> {
    boundary(&state, async { Ok(view(&state).await) }).await
}

fn validated(state: &AppState, input: ProfileInput) -> Result<Profile, Fault> {
    let p = input.into_profile(new_id);
    let others = state.config().profiles;
    config::validate(&p, &others).map_err(|e| Fault::invalid(e.s))?;
    Ok(p)
}

/// Adds or edits a profile. A non-empty `secret` replaces the stored one: in the keyring, or
/// in memory for this run when `remember` is `"memory"`. Nothing is saved if storing fails.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_profile(
    state: State<'_, AppState>,
    profile: ProfileInput,
    secret: Option<String>,
    remember: Option<String>,
) -> Result<ProfilesView, CommandError> {
    boundary(&state, async {
        let mut p = validated(&state, profile)?;
        // A profile of KefuDesk Server stays one when edited.
        p.server = state.config().profiles.into_iter().find(|x| x.id == p.id).and_then(|x| x.server);
        // A proxy's password goes where the other secrets go; the configuration keeps the
        // address without it.
        let proxy_password = match p.proxy.as_deref().map(secrets::split_proxy_password) {
            Some((bare, pw)) => {
                p.proxy = Some(bare);
                pw
            }
            None => None,
        };
        // A stored password goes only to the proxy it was typed for: another host, port or
        // user must be given the password again, and a proxy without a user keeps none.
        let saved_proxy = state.config().profiles.into_iter().find(|x| x.id == p.id).and_then(|x| x.proxy);
        let target = secrets::proxy_target(p.proxy.as_deref());
        let names_user = target.as_ref().is_some_and(secrets::ProxyTarget::has_user);
        if proxy_password.is_none() && target != secrets::proxy_target(saved_proxy.as_deref()) {
            let stored = secret_of(&state, &p.id, SecretKind::ProxyPassword).await?.is_some();
            if stored && names_user {
                return Err(Fault::invalid(S::ProxyPasswordAgain));
            }
            if stored {
                state.forget_memory_secret(&p.id, SecretKind::ProxyPassword);
                if keyring(&state).await.is_ok() {
                    secrets::delete_one(p.id.clone(), SecretKind::ProxyPassword).await?;
                }
            }
        }
        if let Some(pw) = proxy_password {
            if remember.as_deref() == Some("memory") {
                state.set_memory_secret(&p.id, SecretKind::ProxyPassword, pw);
            } else {
                keyring(&state).await?;
                secrets::save(p.id.clone(), SecretKind::ProxyPassword, pw).await?;
            }
        }
        let kind = secret_kind(&p);
        let secret = clean(secret).map(Secret::new);
        match secret {
            Some(s) if remember.as_deref() == Some("memory") => state.set_memory_secret(&p.id, kind, s),
            Some(s) => {
                keyring(&state).await?;
                secrets::save(p.id.clone(), kind, s).await?;
            }
            None if kind == SecretKind::AppSecret && secret_of(&state, &p.id, kind).await?.is_none() => {
                return Err(secret_missing(p.platform()));
            }
            None => {}
        }
        state
            .update_config(|c| match c.profiles.iter_mut().find(|x| x.id == p.id) {
                Some(existing) => *existing = p.clone(),
                None => c.profiles.push(p.clone()),
            })
            .map_err(io_error)?;
        state.forget_active_if(&p.id);
        Ok(view(&state).await)
    })
    .await
}

/// Deletes a profile and its keyring entries. The built-in sandbox cannot be deleted.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn delete_profile(state: State<'_, AppState>, id: String) -> Result<ProfilesView, CommandError> {
    boundary(&state, async {
        if is_sandbox(&id) {
            return Err(Fault::invalid(S::SandboxNotDeletable));
        }
        let Some(profile) = state.config().profiles.into_iter().find(|p| p.id == id) else {
            return Err(unknown_profile());
        };
        super::server::sign_out_if_last(&state, &profile).await;
        // Secrets first: a profile must not disappear while its secret stays behind.
        if keyring(&state).await.is_ok() {
            secrets::delete(id.clone()).await?;
        }
        state.forget_memory_secrets(&id);
        state
            .update_config(|c| {
                c.profiles.retain(|p| p.id != id);
                c.groups.remove(&id);
                c.welcome.remove(&id);
                if c.active.as_deref() == Some(id.as_str()) {
                    c.active = None;
                }
            })
            .map_err(io_error)?;
        state.forget_active_if(&id);
        Ok(view(&state).await)
    })
    .await
}

/// Makes `id` (or `sandbox`) the active profile.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_active_profile(state: State<'_, AppState>, id: String) -> Result<ProfilesView, CommandError> {
    boundary(&state, async {
        if !is_sandbox(&id) && !state.config().profiles.iter().any(|p| p.id == id) {
            return Err(unknown_profile());
        }
        state.update_config(|c| c.active = (id != SANDBOX_ID).then(|| id.clone())).map_err(io_error)?;
        state.reset_active();
        Ok(view(&state).await)
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConnectionReport {
    pub platform: Platform,
    /// Official Account agents, or WeCom kf accounts.
    pub agents: usize,
    /// Online agents (Official Account), or kf accounts this app may manage (WeCom).
    pub online: usize,
    /// The Official Account's WeChat ID as the existing agents' `@suffix` shows it (the most
    /// common one), to fill in or check the form's field.
    pub oa_wechat_id_hint: Option<String>,
}

/// The most common `@suffix` among kf accounts.
pub fn suffix_hint<'a>(accounts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in accounts {
        if let Some((_, suffix)) = a.split_once('@') {
            *counts.entry(suffix).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(s, _)| s.to_string())
}

/// Fetches a token and the agent list with the form's settings (and the typed secret, or the
/// stored one), without saving anything.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn test_connection(
    state: State<'_, AppState>,
    profile: ProfileInput,
    secret: Option<String>,
) -> Result<ConnectionReport, CommandError> {
    boundary(&state, async {
        // Name and WeChat ID are not needed to connect; the test can even discover the ID.
        let p = profile.into_profile(new_id);
        config::validate_connection(&p).map_err(|e| Fault::invalid(e.s))?;
        let kind = secret_kind(&p);
        let secret = match clean(secret) {
            Some(s) => Some(Secret::new(s)),
            // A new profile (no id yet) has nothing stored.
            None if state.config().profiles.iter().any(|x| x.id == p.id) => secret_of(&state, &p.id, kind).await?,
            None => None,
        };
        if secret.is_none() && kind == SecretKind::AppSecret {
            return Err(secret_missing(p.platform()));
        }
        match client_for(&p, secret, None, state.request_timeout())? {
            Client::Mp(client) => {
                let (agents, online) = tokio::join!(client.kf_list(), client.online_kf_list());
                let (agents, online) = (agents?, online?);
                let oa_wechat_id_hint = suffix_hint(agents.iter().map(|a| a.kf_account.as_str()));
                Ok(ConnectionReport {
                    platform: Platform::Mp,
                    agents: agents.len(),
                    online: online.len(),
                    oa_wechat_id_hint,
                })
            }
            Client::Wecom(client) => {
                let accounts = client.account_list().await?;
                let managed = accounts.iter().filter(|a| a.manage_privilege != Some(false)).count();
                Ok(ConnectionReport {
                    platform: Platform::Wecom,
                    agents: accounts.len(),
                    online: managed,
                    oa_wechat_id_hint: None,
                })
            }
        }
    })
    .await
}

fn secret_missing(platform: Platform) -> Fault {
    match platform {
        Platform::Mp => Fault::invalid(S::EnterMpSecret),
        Platform::Wecom => Fault::invalid(S::EnterWecomSecret),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wechat_id_is_the_most_common_suffix() {
        let accounts = ["a@shop_cs", "b@shop_cs", "c@old_name", "broken"];
        assert_eq!(super::suffix_hint(accounts.into_iter()).as_deref(), Some("shop_cs"));
        assert_eq!(super::suffix_hint(std::iter::empty()), None);
    }
}
