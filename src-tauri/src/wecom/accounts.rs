//! WeCom kf accounts 客服账号: the name rule, and adding or changing one with its avatar — the
//! picture made WeCom's JPEG and uploaded as temporary media first, so an unusable file changes
//! nothing; a lost answer to account/add is checked, never re-sent (document/path/94662).

use crate::error::Fault;
use crate::pictures::{prepare_avatar_file, AvatarChoice};
use crate::sentences::S;
use crate::wechat::wecom::{KfAccount, MediaKind, WecomClient};
use crate::wechat::ApiError;

/// A name WeCom accepts: 1 to 16 characters (document/path/94662).
pub fn check_name(name: &str) -> Result<(), S> {
    let n = name.trim().chars().count();
    if n == 0 || n > 16 {
        return Err(S::KfAccountNameLength);
    }
    Ok(())
}

/// The picture processed (off the main thread) and uploaded as temporary image media.
async fn upload_avatar(c: &WecomClient, avatar: AvatarChoice) -> Result<String, Fault> {
    let jpeg = prepare_avatar_file(avatar.path, avatar.nudge).await?.jpeg;
    Ok(c.upload_media(MediaKind::Image, "avatar.jpg", "image/jpeg", jpeg.into()).await?.media_id)
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

/// Creates an account named `name` with `avatar` (WeCom requires one); its open_kfid.
pub async fn add(c: &WecomClient, name: &str, avatar: Option<AvatarChoice>) -> Result<String, Fault> {
    let name = name.trim();
    check_name(name).map_err(Fault::invalid)?;
    let avatar = avatar.ok_or_else(|| Fault::invalid(S::KfAccountNeedsAvatar))?;
    let media_id = upload_avatar(c, avatar).await?;
    let before = c.account_list().await?;
    match c.add_account(name, &media_id).await {
        Ok(open_kfid) => Ok(open_kfid),
        Err(e) => created_meanwhile(c, &e, &before, name).await.ok_or_else(|| e.into()),
    }
}

/// Renames and/or changes the avatar of `open_kfid` (each optional; neither does nothing).
pub async fn update(
    c: &WecomClient,
    open_kfid: &str,
    name: Option<&str>,
    avatar: Option<AvatarChoice>,
) -> Result<(), Fault> {
    let name = name.map(str::trim);
    if let Some(n) = name {
        check_name(n).map_err(Fault::invalid)?;
    }
    let media_id = match avatar {
        Some(a) => Some(upload_avatar(c, a).await?),
        None => None,
    };
    if name.is_none() && media_id.is_none() {
        return Ok(());
    }
    Ok(c.update_account(open_kfid, name, media_id.as_deref()).await?)
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
