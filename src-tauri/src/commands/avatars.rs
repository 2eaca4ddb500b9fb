//! Avatars: turn a picture file (dropped or picked) into WeChat's 640×640 JPEG off the main
//! thread, preview it, and upload it as the agent's avatar.

use base64::Engine;
use serde::Serialize;
use tauri::State;

use super::{active_mp, boundary};
use crate::avatar::{self, CropNudge};
use crate::error::{CommandError, Fault};
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct AvatarPreview {
    /// `data:image/jpeg;base64,…` of exactly what would be uploaded.
    pub data_url: String,
    pub bytes: usize,
    pub source_width: u32,
    pub source_height: u32,
}

/// The file read and processed off the main thread.
pub(super) async fn prepared(path: String, nudge: Option<CropNudge>) -> Result<avatar::Prepared, Fault> {
    tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| Fault::File { reading: true, detail: e.to_string() })?;
        Ok(avatar::prepare(&bytes, nudge.unwrap_or_default())?)
    })
    .await
    .map_err(Fault::internal)?
}

/// The avatar a file would become, for the preview.
#[tauri::command]
#[tracing::instrument(skip(state))]
pub async fn prepare_avatar(state: State<'_, AppState>, path: String, nudge: Option<CropNudge>) -> Result<AvatarPreview, CommandError> {
    boundary(&state, async {
        let p = prepared(path, nudge).await?;
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
#[tracing::instrument(skip(state))]
pub async fn upload_avatar(state: State<'_, AppState>, kf_account: String, path: String, nudge: Option<CropNudge>) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = prepared(path, nudge).await?;
        let profile = active_mp(&state).await?;
        Ok(profile.upload_head_img(&kf_account, p.jpeg.into()).await?)
    })
    .await
}
