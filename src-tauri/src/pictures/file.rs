//! Pictures from the files staff pick or drop: read with the size checked before and while
//! reading, then prepared off the main thread — as an avatar or as a chat picture.

use std::io::Read;

use serde::Deserialize;

use super::{prepare, prepare_picture, CropNudge, PictureError, Prepared, MAX_FILE_BYTES};
use crate::error::Fault;

/// A picture chosen in a form (an agent's or a kf account's avatar), and where its square crop
/// sits.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AvatarChoice {
    pub path: String,
    pub nudge: Option<CropNudge>,
}

/// Reads a picture the user chose or dropped. Refused before reading when it is not a regular
/// file (a folder, a pipe that would never end, a device) or larger than the pipeline takes —
/// from its metadata; and never more than that is read, should it grow meanwhile. Blocking.
pub fn read_file(path: &str) -> Result<Vec<u8>, Fault> {
    let file_error = |e: std::io::Error| Fault::File { reading: true, detail: e.to_string() };
    let meta = std::fs::metadata(path).map_err(file_error)?;
    if !meta.is_file() {
        return Err(Fault::File { reading: true, detail: "not a file (a folder, a pipe or a device)".into() });
    }
    let limit = MAX_FILE_BYTES as u64;
    if meta.len() > limit {
        return Err(PictureError::FileTooLarge { bytes: meta.len().min(usize::MAX as u64) as usize }.into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).map_err(file_error)?.take(limit + 1).read_to_end(&mut bytes).map_err(file_error)?;
    if bytes.len() as u64 > limit {
        return Err(PictureError::FileTooLarge { bytes: bytes.len() }.into());
    }
    Ok(bytes)
}

/// The avatar the file at `path` becomes, read and processed off the main thread.
pub async fn prepare_avatar_file(path: String, nudge: Option<CropNudge>) -> Result<Prepared, Fault> {
    tokio::task::spawn_blocking(move || {
        let bytes = read_file(&path)?;
        Ok(prepare(&bytes, nudge.unwrap_or_default())?)
    })
    .await
    .map_err(Fault::internal)?
}

/// The chat picture the file at `path` becomes (its bytes and MIME type), read and
/// processed off the main thread.
pub async fn prepare_picture_file(path: String) -> Result<(Vec<u8>, &'static str), Fault> {
    tokio::task::spawn_blocking(move || Ok(prepare_picture(&read_file(&path)?)?)).await.map_err(Fault::internal)?
}
