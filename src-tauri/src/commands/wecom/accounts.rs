//! Kf accounts 客服账号: list (with servicer counts), add with an avatar (picture → 640×640
//! JPEG → temporary media → account/add), rename, change the avatar, delete. The rules and the
//! flows: `crate::wecom::accounts`.

use serde::Serialize;
use tauri::State;

use super::super::{active_wecom, boundary};
use crate::error::CommandError;
use crate::pictures::AvatarChoice;
use crate::state::AppState;
use crate::wecom::accounts;

/// One account as the Accounts page shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AccountRow {
    pub open_kfid: String,
    pub name: String,
    /// The avatar URL WeCom gave; the UI loads it through `kfimg:`.
    pub avatar_url: String,
    /// `None` when WeCom did not say (some app kinds are not told).
    pub manage_privilege: Option<bool>,
    /// People and departments serving it; `None` when the list could not be read.
    pub servicer_users: Option<usize>,
    pub servicer_departments: Option<usize>,
}

/// Every account, with how many people and departments serve it (read four at a time).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_kf_accounts(state: State<'_, AppState>) -> Result<Vec<AccountRow>, CommandError> {
    boundary(&state, async {
        let c = active_wecom(&state).await?;
        let accounts = c.account_list().await?;
        let mut rows = Vec::with_capacity(accounts.len());
        for chunk in accounts.chunks(4) {
            let lists = futures_util::future::join_all(chunk.iter().map(|a| c.servicer_list(&a.open_kfid))).await;
            for (a, list) in chunk.iter().zip(lists) {
                let list = list.ok();
                rows.push(AccountRow {
                    open_kfid: a.open_kfid.clone(),
                    name: a.name.clone(),
                    avatar_url: a.avatar.clone(),
                    manage_privilege: a.manage_privilege,
                    servicer_users: list.as_ref().map(|l| l.iter().filter(|s| s.userid.is_some()).count()),
                    servicer_departments: list.as_ref().map(|l| l.iter().filter(|s| s.department_id.is_some()).count()),
                });
            }
        }
        Ok(rows)
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Added {
    pub open_kfid: String,
}

/// Creates an account. WeCom requires an avatar: the picture is processed and uploaded first,
/// so an unusable file creates nothing; a lost answer is checked, never re-sent.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn add_kf_account(
    state: State<'_, AppState>,
    name: String,
    avatar: Option<AvatarChoice>,
) -> Result<Added, CommandError> {
    boundary(&state, async {
        let c = active_wecom(&state).await?;
        Ok(Added { open_kfid: accounts::add(&c, &name, avatar).await? })
    })
    .await
}

/// Renames and/or changes the avatar (each optional).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn update_kf_account(
    state: State<'_, AppState>,
    open_kfid: String,
    name: Option<String>,
    avatar: Option<AvatarChoice>,
) -> Result<(), CommandError> {
    boundary(&state, async {
        let c = active_wecom(&state).await?;
        accounts::update(&c, &open_kfid, name.as_deref(), avatar).await
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn delete_kf_account(state: State<'_, AppState>, open_kfid: String) -> Result<(), CommandError> {
    boundary(&state, async {
        let c = active_wecom(&state).await?;
        Ok(c.delete_account(&open_kfid).await?)
    })
    .await
}
