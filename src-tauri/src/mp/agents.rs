//! The Official Account's agents (kf accounts): the merged view of the account list and the
//! online list, WeChat's rules for a new agent, and adding one — with its avatar and invitation —
//! in one flow that never creates twice.

use serde::Serialize;

use crate::error::Fault;
use crate::pictures::{prepare_avatar_file, AvatarChoice};
use crate::sentences::S;
use crate::wechat::error::ApiError;
use crate::wechat::mp::{KfAccount, MpClient, OnlineKf};

/// One agent as the Agents page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
#[cfg_attr(test, derive(ts_rs::TS))]
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

/// WeChat's rules for a new agent, checked before calling (客服帐号管理,
/// developers.weixin.qq.com/doc/offiaccount/Customer_Service/Customer_Service_Management.html).
pub fn check_new_agent(prefix: &str, nickname: &str, existing: usize) -> Result<(), S> {
    if prefix.is_empty() || prefix.len() > 10 || !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(S::AgentPrefixInvalid);
    }
    check_nickname(nickname)?;
    if existing >= 100 {
        return Err(S::AgentLimitReached);
    }
    Ok(())
}

pub fn check_nickname(nickname: &str) -> Result<(), S> {
    let n = nickname.trim().chars().count();
    if n == 0 || n > 16 {
        return Err(S::NicknameLength);
    }
    Ok(())
}

pub fn check_wechat_id(wx: &str) -> Result<(), S> {
    let ok = (6..=20).contains(&wx.len())
        && wx.starts_with(|c: char| c.is_ascii_alphabetic())
        && wx.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        return Err(S::WechatIdInvalid);
    }
    Ok(())
}

/// A new agent as the add form describes it.
pub struct NewAgent {
    pub prefix: String,
    pub nickname: String,
    pub invite_wx: Option<String>,
    pub avatar: Option<AvatarChoice>,
}

/// What adding an agent did: it was created; a later step may have failed on its own.
#[derive(Debug)]
pub struct Added {
    pub kf_account: String,
    /// The avatar upload failed after the agent was created (retry only the upload).
    pub avatar_error: Option<ApiError>,
    /// The invitation failed after the agent was created (retry only the invite).
    pub invite_error: Option<ApiError>,
}

/// Creates `prefix@<the account's WeChat ID>`, then uploads the avatar and invites the WeChat
/// user when given. The input and the picture are checked before anything is created, so an
/// unusable file changes nothing; a lost answer to the creation is checked, never re-sent.
pub async fn add(client: &MpClient, oa_wechat_id: &str, new: NewAgent) -> Result<Added, Fault> {
    let (prefix, nickname) = (new.prefix.trim(), new.nickname.trim());
    let invite_wx = new.invite_wx.as_deref().map(str::trim).filter(|w| !w.is_empty());
    if let Some(wx) = invite_wx {
        check_wechat_id(wx).map_err(Fault::invalid)?;
    }
    let jpeg = match new.avatar {
        Some(a) => Some(prepare_avatar_file(a.path, a.nudge).await?.jpeg),
        None => None,
    };
    let existing = client.kf_list().await?;
    check_new_agent(prefix, nickname, existing.len()).map_err(Fault::invalid)?;
    let account = format!("{prefix}@{oa_wechat_id}");
    if let Err(e) = client.add_kf(&account, nickname).await {
        // A lost answer leaves the outcome unknown: look instead of guessing or re-sending.
        let created =
            e.is_transient() && client.kf_list().await.is_ok_and(|l| l.iter().any(|a| a.kf_account == account));
        if !created {
            return Err(e.into());
        }
    }
    // The agent exists now: a later step's failure is part of the outcome.
    let avatar_error = match jpeg {
        Some(jpeg) => client.upload_head_img(&account, jpeg.into()).await.err(),
        None => None,
    };
    let invite_error = match invite_wx {
        Some(wx) => client.invite_worker(&account, wx).await.err(),
        None => None,
    };
    Ok(Added { kf_account: account, avatar_error, invite_error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_agent_rules() {
        assert!(check_new_agent("xiao_mei1", "小美", 12).is_ok());
        assert!(check_new_agent("", "小美", 0).is_err());
        assert!(check_new_agent("elevenchars", "小美", 0).is_err());
        assert!(check_new_agent("xiao-mei", "小美", 0).is_err());
        assert!(check_new_agent("ok", "一二三四五六七八九十一二三四五六七", 0).is_err());
        assert!(check_new_agent("ok", "一二三四五六七八九十一二三四五六", 0).is_ok());
        assert!(check_new_agent("ok", "  ", 0).is_err());
        assert!(check_new_agent("ok", "小美", 100).is_err());
        assert!(check_wechat_id("wx_ok_123").is_ok() && check_wechat_id("13800138000").is_err());
    }
}
