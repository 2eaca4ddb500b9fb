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
/// Reads a picture the user chose or dropped. Refused before reading when it is not a regular
/// file (a folder, a pipe that would never end, a device) or larger than the pipeline takes —
/// from its metadata; and never more than that is read, should it grow meanwhile. Blocking.
pub(crate) fn read_picture(path: &str) -> Result<Vec<u8>, Fault> {
    use std::io::Read;
    let file_error = |e: std::io::Error| Fault::File { reading: true, detail: e.to_string() };
    let meta = std::fs::metadata(path).map_err(file_error)?;
    if !meta.is_file() {
        return Err(Fault::File { reading: true, detail: "not a file (a folder, a pipe or a device)".into() });
    }
    let limit = avatar::MAX_FILE_BYTES as u64;
    if meta.len() > limit {
        return Err(avatar::AvatarError::FileTooLarge { bytes: meta.len().min(usize::MAX as u64) as usize }.into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).map_err(file_error)?.take(limit + 1).read_to_end(&mut bytes).map_err(file_error)?;
    if bytes.len() as u64 > limit {
        return Err(avatar::AvatarError::FileTooLarge { bytes: bytes.len() }.into());
    }
    Ok(bytes)
}

pub(super) async fn prepared(path: String, nudge: Option<CropNudge>) -> Result<avatar::Prepared, Fault> {
    tokio::task::spawn_blocking(move || {
        let bytes = read_picture(&path)?;
        Ok(avatar::prepare(&bytes, nudge.unwrap_or_default())?)
    })
    .await
    .map_err(Fault::internal)?
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
#[tracing::instrument(skip_all)]
pub async fn upload_avatar(
    state: State<'_, AppState>,
    kf_account: String,
    path: String,
    nudge: Option<CropNudge>,
) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = prepared(path, nudge).await?;
        let profile = active_mp(&state).await?;
        Ok(profile.upload_head_img(&kf_account, p.jpeg.into()).await?)
    })
    .await
}
