//! Avatars: turn a picture file (dropped or picked) into WeChat's 640×640 JPEG off the main
//! thread, preview it, and upload it as the agent's avatar.

use base64::Engine;
use serde::Serialize;
use tauri::State;

use super::active_mp;
use crate::avatar::{self, CropNudge};
use crate::error::CommandError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct AvatarPreview {
    /// `data:image/jpeg;base64,…` of exactly what would be uploaded.
    pub data_url: String,
    pub bytes: usize,
    pub source_width: u32,
    pub source_height: u32,
}

/// The file read and processed off the main thread; errors already in the user's language.
pub(super) async fn prepared(lang: Lang, path: String, nudge: Option<CropNudge>) -> Result<avatar::Prepared, CommandError> {
    tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| {
            CommandError::new(
                "file",
                match lang {
                    Lang::ZhCn => format!("无法读取文件（{e}）。请确认文件存在且有读取权限。"),
                    Lang::En => format!("Cannot read the file ({e}). Check that it exists and that you may read it."),
                },
            )
        })?;
        avatar::prepare(&bytes, nudge.unwrap_or_default()).map_err(|e| CommandError::new("image", e.message(lang)))
    })
    .await
    .map_err(|e| CommandError::internal(lang, e))?
}

/// The avatar a file would become, for the preview.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn prepare_avatar(state: State<'_, AppState>, path: String, nudge: Option<CropNudge>) -> Result<AvatarPreview, CommandError> {
    let p = prepared(state.lang(), path, nudge).await?;
    Ok(AvatarPreview {
        data_url: format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(&p.jpeg)),
        bytes: p.jpeg.len(),
        source_width: p.source_width,
        source_height: p.source_height,
    })
}

/// Processes the file the same way and uploads it as `kf_account`'s avatar.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn upload_avatar(state: State<'_, AppState>, kf_account: String, path: String, nudge: Option<CropNudge>) -> Result<(), CommandError> {
    let lang = state.lang();
    let p = prepared(lang, path, nudge).await?;
    let profile = active_mp(&state).await?;
    profile.upload_head_img(&kf_account, p.jpeg.into()).await.map_err(|e| CommandError::from_api(&e, lang))
}
