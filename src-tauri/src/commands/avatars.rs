//! Avatars: turn a picture file (dropped or picked) into WeChat's 640×640 JPEG off the main
//! thread, preview it, and upload it as the agent's avatar.

use base64::Engine;
use serde::Serialize;
use tauri::State;

use super::{active_mp, boundary};
use crate::error::CommandError;
use crate::pictures::{self, CropNudge};
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AvatarPreview {
    /// `data:image/jpeg;base64,…` of exactly what would be uploaded.
    pub data_url: String,
    pub bytes: usize,
    pub source_width: u32,
    pub source_height: u32,
}

/// The avatar a file would become, for the preview.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn prepare_avatar(
    state: State<'_, AppState>,
    path: String,
    nudge: Option<CropNudge>,
) -> Result<AvatarPreview, CommandError> {
    boundary(&state, async {
        let p = pictures::prepare_avatar_file(path, nudge).await?;
        Ok(AvatarPreview {
            data_url: format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(&p.jpeg)),
            bytes: p.jpeg.len(),
            source_width: p.source_width,
            source_height: p.source_height,
        })
    })
    .await
}

/// Processes the file the same way and uploads it as `kf_account`'s avatar.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn upload_avatar(
    state: State<'_, AppState>,
    kf_account: String,
    path: String,
    nudge: Option<CropNudge>,
) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = pictures::prepare_avatar_file(path, nudge).await?;
        let profile = active_mp(&state).await?;
        Ok(profile.upload_head_img(&kf_account, p.jpeg.into()).await?)
    })
    .await
}
