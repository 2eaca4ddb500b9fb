//! KefuDesk Server from Settings: signing in makes one WeCom profile per corp the staff member
//! may use (their session token in the keyring as the relay credential) and switches to the
//! first; deleting such a profile signs that session out when no other profile uses it.

use serde::Serialize;
use tauri::State;

use super::profiles::{io_error, view, ProfilesView};
use super::{boundary, keyring, secret_of};
use crate::config::{self, Profile};
use crate::error::{CommandError, Fault};
use crate::secrets::{self, SecretKind};
use crate::sentences::S;
use crate::state::AppState;
use crate::team_server;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServerSignedIn {
    pub view: ProfilesView,
    /// Who signed in, and their role on the server (`admin`, `supervisor`, `agent`).
    pub staff_name: String,
    pub role: String,
    /// The names of the profiles made or renewed.
    pub profiles: Vec<String>,
}

/// Signs in to KefuDesk Server at `address`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn server_sign_in(
    state: State<'_, AppState>,
    address: String,
    login: String,
    password: String,
) -> Result<ServerSignedIn, CommandError> {
    boundary(&state, async {
        // The keyring first: a session the desktop cannot keep is not opened.
        keyring(&state).await?;
        let (address, signed) = team_server::sign_in(&address, &login, &password).await?;
        if signed.corps.is_empty() {
            team_server::sign_out(&address, &signed.token).await;
            return Err(Fault::other("server_no_corps", S::ServerNoCorps));
        }
        let saved = state.config().profiles;
        let made: Vec<Profile> = signed
            .corps
            .iter()
            .map(|(corp, corp_id)| team_server::profile_for(&address, &signed, *corp, corp_id))
            .collect();
        for p in &made {
            let others: Vec<Profile> = saved.iter().filter(|o| !made.iter().any(|m| m.id == o.id)).cloned().collect();
            config::validate(p, &others).map_err(|e| Fault::invalid(e.s))?;
        }
        // The session this desktop had on the server before, if any, is ended.
        let mut old = Vec::new();
        for p in &made {
            if let Some(t) = secret_of(&state, &p.id, SecretKind::RelayCredential).await? {
                if t != signed.token && !old.contains(&t) {
                    old.push(t);
                }
            }
            secrets::save(p.id.clone(), SecretKind::RelayCredential, signed.token.clone()).await?;
        }
        state
            .update_config(|c| {
                for p in &made {
                    match c.profiles.iter_mut().find(|x| x.id == p.id) {
                        Some(existing) => *existing = p.clone(),
                        None => c.profiles.push(p.clone()),
                    }
                }
                c.active = Some(made[0].id.clone());
            })
            .map_err(io_error)?;
        state.reset_active();
        for t in old {
            team_server::sign_out(&address, &t).await;
        }
        Ok(ServerSignedIn {
            view: view(&state).await,
            staff_name: signed.staff_name,
            role: signed.role,
            profiles: made.into_iter().map(|p| p.name).collect(),
        })
    })
    .await
}

/// Before `profile` is deleted: its server session ends when no other profile uses it.
pub(crate) async fn sign_out_if_last(state: &AppState, profile: &Profile) {
    let Some(link) = &profile.server else { return };
    let Ok(Some(token)) = secret_of(state, &profile.id, SecretKind::RelayCredential).await else { return };
    for other in state.config().profiles.iter().filter(|o| o.id != profile.id && o.server.is_some()) {
        if let Ok(Some(t)) = secret_of(state, &other.id, SecretKind::RelayCredential).await {
            if t == token {
                return;
            }
        }
    }
    team_server::sign_out(&link.address, &token).await;
}
