//! Agents: the merged view of `getkflist` and `getonlinekflist`.

use serde::Serialize;
use tauri::State;

use super::active;
use crate::error::CommandError;
use crate::state::AppState;
use crate::wechat::mp::{KfAccount, OnlineKf};

/// One agent as the Agents page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRow {
    pub kf_account: String,
    pub kf_id: String,
    pub nickname: String,
    /// The avatar URL WeChat gave (`""` when none); the UI loads it through `kfimg:`.
    pub avatar_url: String,
    pub kf_wx: Option<String>,
    pub invite: Option<InviteInfo>,
    /// 0 offline, 1 PC, 2 mobile, 3 both.
    pub online_status: i64,
    pub auto_accept: i64,
    pub accepted_case: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InviteInfo {
    pub wx: String,
    /// `waiting`, `expired` or `rejected`.
    pub status: String,
    pub expire_time: i64,
}

/// Joins the account list with the online list (by kf_account).
pub fn merge(accounts: Vec<KfAccount>, online: &[OnlineKf]) -> Vec<AgentRow> {
    accounts
        .into_iter()
        .map(|a| {
            let on = online.iter().find(|o| o.kf_account == a.kf_account);
            AgentRow {
                invite: match (&a.kf_wx, &a.invite_wx) {
                    (None, Some(wx)) => Some(InviteInfo {
                        wx: wx.clone(),
                        status: a.invite_status.clone().unwrap_or_else(|| "waiting".into()),
                        expire_time: a.invite_expire_time,
                    }),
                    _ => None,
                },
                kf_account: a.kf_account,
                kf_id: a.kf_id,
                nickname: a.kf_nick,
                avatar_url: a.kf_headimgurl,
                kf_wx: a.kf_wx.filter(|w| !w.is_empty()),
                online_status: on.map_or(0, |o| o.status),
                auto_accept: on.map_or(0, |o| o.auto_accept),
                accepted_case: on.map_or(0, |o| o.accepted_case),
            }
        })
        .collect()
}

/// All agents with their binding, invite and online state (both lists fetched concurrently).
#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<AgentRow>, CommandError> {
    let p = active(&state).await?;
    let (accounts, online) = tokio::join!(p.mp.kf_list(), p.mp.online_kf_list());
    let lang = state.lang();
    let accounts = accounts.map_err(|e| CommandError::from_api(&e, lang))?;
    let online = online.map_err(|e| CommandError::from_api(&e, lang))?;
    Ok(merge(accounts, &online))
}
