//! Agents: the merged view of `getkflist` and `getonlinekflist`; add (with avatar and
//! invitation in one flow), edit, delete, invite. The rules and the add flow: `crate::mp::agents`.

use serde::Serialize;
use tauri::State;

use crate::commands::{active_mp, boundary};
use crate::error::{CommandError, Fault};
use crate::mp::agents::{self, check_nickname, check_wechat_id, merge, AgentRow, NewAgent};
use crate::pictures::AvatarChoice;
use crate::state::AppState;

/// All agents with their binding, invite and online state (both lists fetched concurrently).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<AgentRow>, CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        let (accounts, online) = tokio::join!(p.kf_list(), p.online_kf_list());
        Ok(merge(accounts?, &online?))
    })
    .await
}

/// What adding an agent did: it was created; a later step may have failed on its own.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AddOutcome {
    pub kf_account: String,
    /// Set when the avatar upload failed after the agent was created (retry only the upload).
    pub avatar_error: Option<CommandError>,
    /// Set when the invitation failed after the agent was created (retry only the invite).
    pub invite_error: Option<CommandError>,
}

/// Adds an agent, with its avatar and invitation when given (`mp::agents::add`).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn add_agent(
    state: State<'_, AppState>,
    prefix: String,
    nickname: String,
    invite_wx: Option<String>,
    avatar: Option<AvatarChoice>,
) -> Result<AddOutcome, CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        let added = agents::add(&p, &p.0.oa_wechat_id, NewAgent { prefix, nickname, invite_wx, avatar }).await?;
        let lang = state.lang();
        Ok(AddOutcome {
            kf_account: added.kf_account,
            avatar_error: added.avatar_error.map(|e| Fault::Api(e).localize(lang)),
            invite_error: added.invite_error.map(|e| Fault::Api(e).localize(lang)),
        })
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn update_agent(
    state: State<'_, AppState>,
    kf_account: String,
    nickname: String,
) -> Result<(), CommandError> {
    boundary(&state, async {
        check_nickname(&nickname).map_err(Fault::invalid)?;
        let p = active_mp(&state).await?;
        Ok(p.update_kf(&kf_account, nickname.trim()).await?)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn delete_agent(state: State<'_, AppState>, kf_account: String) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        Ok(p.delete_kf(&kf_account).await?)
    })
    .await
}

/// Invites (or re-invites, after an invitation expired or was rejected) a WeChat user to bind.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn invite_agent(
    state: State<'_, AppState>,
    kf_account: String,
    invite_wx: String,
) -> Result<(), CommandError> {
    boundary(&state, async {
        check_wechat_id(invite_wx.trim()).map_err(Fault::invalid)?;
        let p = active_mp(&state).await?;
        Ok(p.invite_worker(&kf_account, invite_wx.trim()).await?)
    })
    .await
}
