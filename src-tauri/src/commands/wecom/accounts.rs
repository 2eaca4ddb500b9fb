//! Kf accounts 客服账号: list (with servicer counts), add with an avatar (picture → 640×640
//! JPEG → temporary media → account/add), rename, change the avatar, delete.

use serde::Serialize;
use tauri::State;

use super::super::{active_wecom, boundary};
use crate::error::{CommandError, Fault};
use crate::pictures::{prepare_avatar_file, AvatarChoice};
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::wecom::{KfAccount, MediaKind, WecomClient};
use crate::wechat::ApiError;

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

/// A name WeCom accepts: 1 to 16 characters (document/path/94662).
pub fn check_name(name: &str) -> Result<(), S> {
    let n = name.trim().chars().count();
    if n == 0 || n > 16 {
        return Err(S::KfAccountNameLength);
    }
    Ok(())
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

/// The picture processed (off the main thread) and uploaded as temporary image media.
async fn upload_avatar(c: &WecomClient, avatar: AvatarChoice) -> Result<String, Fault> {
    let jpeg = prepare_avatar_file(avatar.path, avatar.nudge).await?.jpeg;
    Ok(c.upload_media(MediaKind::Image, "avatar.jpg", "image/jpeg", jpeg.into()).await?.media_id)
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
        let name = name.trim().to_string();
        check_name(&name).map_err(Fault::invalid)?;
        let avatar = avatar.ok_or_else(|| Fault::invalid(S::KfAccountNeedsAvatar))?;
        let c = active_wecom(&state).await?;
        let media_id = upload_avatar(&c, avatar).await?;
        let before = c.account_list().await?;
        match c.add_account(&name, &media_id).await {
            Ok(open_kfid) => Ok(Added { open_kfid }),
            Err(e) => match created_meanwhile(&c, &e, &before, &name).await {
                Some(open_kfid) => Ok(Added { open_kfid }),
                None => Err(e.into()),
            },
        }
    })
    .await
}

/// After a lost answer: the account with this name that was not there before, if WeCom made it.
async fn created_meanwhile(c: &WecomClient, e: &ApiError, before: &[KfAccount], name: &str) -> Option<String> {
    if !e.is_transient() {
        return None;
    }
    let after = c.account_list().await.ok()?;
    after
        .into_iter()
        .find(|a| a.name == name && !before.iter().any(|b| b.open_kfid == a.open_kfid))
        .map(|a| a.open_kfid)
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
        let name = name.map(|n| n.trim().to_string());
        if let Some(n) = &name {
            check_name(n).map_err(Fault::invalid)?;
        }
        let c = active_wecom(&state).await?;
        let media_id = match avatar {
            Some(a) => Some(upload_avatar(&c, a).await?),
            None => None,
        };
        if name.is_none() && media_id.is_none() {
            return Ok(());
        }
        Ok(c.update_account(&open_kfid, name.as_deref(), media_id.as_deref()).await?)
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

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_1_to_16_characters() {
        assert!(super::check_name("售前咨询").is_ok());
        assert!(super::check_name("一二三四五六七八九十一二三四五六").is_ok());
        assert!(super::check_name("一二三四五六七八九十一二三四五六七").is_err());
        assert!(super::check_name("  ").is_err());
    }
}
