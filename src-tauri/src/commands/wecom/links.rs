//! Contact links 客服链接: the link customers open to reach a kf account, with an optional
//! scene, as text and as a QR code (PNG) that can be saved and printed.

use base64::Engine;
use serde::Serialize;
use tauri::State;

use super::super::{active_wecom, boundary};
use crate::error::{CommandError, Fault};
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::wecom::valid_scene;

/// Pixels per QR module in the PNG: a 33-module code (+ quiet zone) comes out near 600 px,
/// sharp when printed at 5 cm.
const MODULE_PX: u32 = 14;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ContactLink {
    pub url: String,
    /// `data:image/png;base64,…` of the QR code.
    pub qr_data_url: String,
}

/// `url` as a black-on-white QR code PNG (medium error correction, 4-module quiet zone).
pub fn qr_png(url: &str) -> Result<Vec<u8>, String> {
    let code =
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).map_err(|e| e.to_string())?;
    let img = code.render::<image::Luma<u8>>().module_dimensions(MODULE_PX, MODULE_PX).quiet_zone(true).build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// The contact link of `open_kfid`, with `scene` when given (≤32 bytes of `[0-9a-zA-Z_-]`).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn kf_contact_link(
    state: State<'_, AppState>,
    open_kfid: String,
    scene: Option<String>,
) -> Result<ContactLink, CommandError> {
    boundary(&state, async {
        let scene = scene.map(|s| s.trim().to_string()).unwrap_or_default();
        if !valid_scene(&scene) {
            return Err(Fault::invalid(S::SceneInvalid));
        }
        let c = active_wecom(&state).await?;
        let url = c.contact_link(&open_kfid, &scene).await?;
        let png = tokio::task::spawn_blocking({
            let url = url.clone();
            move || qr_png(&url)
        })
        .await
        .map_err(Fault::internal)?
        .map_err(Fault::internal)?;
        Ok(ContactLink {
            url,
            qr_data_url: format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png)),
        })
    })
    .await
}

/// Writes the QR code of `url` as a PNG to `path` (from the save dialog): a temporary file
/// beside it, renamed on success, so a failure never leaves a broken or missing file.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_qr_png(state: State<'_, AppState>, url: String, path: String) -> Result<(), CommandError> {
    boundary(&state, async {
        tokio::task::spawn_blocking(move || -> Result<(), Fault> {
            let png = qr_png(&url).map_err(Fault::internal)?;
            crate::files::write(std::path::Path::new(&path), &png)
                .map(drop)
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })
        })
        .await
        .map_err(Fault::internal)?
    })
    .await
}
