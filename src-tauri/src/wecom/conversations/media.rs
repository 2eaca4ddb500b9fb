//! Pictures, voice, video and files customers sent: fetched from WeCom only when someone opens
//! them (media/get, document/path/90254), then kept — on disk next to the profile's archive, so
//! they stay viewable after WeCom's 3 days; in memory for the built-in sandbox. And pictures
//! staff send, uploaded first (media/upload, document/path/90253).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::{blocking, blocking_io};
use crate::error::Fault;
use crate::wechat::wecom::{MediaKind, WecomClient};
use crate::wecom::archive::Archive;

/// Reads, prepares (off the main thread) and uploads a picture staff chose for the message
/// `msgid`; its media_id. Nothing is uploaded for a message already sent (a retry).
pub async fn upload_picture(
    client: &WecomClient,
    archive: &Arc<Archive>,
    msgid: &str,
    path: String,
) -> Result<String, Fault> {
    let id = msgid.to_string();
    if blocking(archive, move |a| a.has_sent(&id)).await? {
        return Ok(String::new());
    }
    let (picture, mime) = crate::pictures::prepare_picture_file(path).await?;
    let name = if mime == "image/png" { "picture.png" } else { "picture.jpg" };
    Ok(client.upload_media(MediaKind::Image, name, mime, picture.into()).await?.media_id)
}

pub enum MediaCache {
    Memory(Mutex<HashMap<String, Bytes>>),
    Dir(PathBuf),
}

/// The type of a kept file, from its first bytes (the types WeCom sends).
pub fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"GIF8") {
        "image/gif"
    } else if bytes.starts_with(b"#!AMR") {
        "audio/amr"
    } else if bytes.len() > 12 && &bytes[4..8] == b"ftyp" {
        "video/mp4"
    } else {
        "application/octet-stream"
    }
}

/// A media_id as a file name (WeCom's are letters and digits; anything else is replaced).
fn file_name(media_id: &str) -> String {
    media_id
        .chars()
        .take(128)
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

impl MediaCache {
    pub fn memory() -> MediaCache {
        MediaCache::Memory(Mutex::new(HashMap::new()))
    }

    async fn kept(&self, media_id: &str) -> Option<Bytes> {
        match self {
            MediaCache::Memory(m) => m.lock().expect("media lock").get(media_id).cloned(),
            MediaCache::Dir(dir) => {
                let path = dir.join(file_name(media_id));
                blocking_io(move || std::fs::read(path)).await.ok().map(Bytes::from)
            }
        }
    }

    async fn keep(&self, media_id: &str, bytes: Bytes) -> Result<(), Fault> {
        match self {
            MediaCache::Memory(m) => {
                m.lock().expect("media lock").insert(media_id.to_string(), bytes);
                Ok(())
            }
            MediaCache::Dir(dir) => {
                let (dir, name) = (dir.clone(), file_name(media_id));
                blocking_io(move || {
                    std::fs::create_dir_all(&dir)?;
                    // Written whole, then renamed: a half-written file is never taken for the media.
                    let tmp = dir.join(format!(".{name}.part"));
                    std::fs::write(&tmp, &bytes)?;
                    std::fs::rename(&tmp, dir.join(&name))
                })
                .await
                .map_err(|e| Fault::File { reading: false, detail: e.to_string() })
            }
        }
    }

    /// The file behind `media_id`: kept, or fetched from WeCom now and kept.
    pub async fn get(&self, client: &WecomClient, media_id: &str) -> Result<(&'static str, Bytes), Fault> {
        if let Some(b) = self.kept(media_id).await {
            return Ok((sniff(&b), b));
        }
        let d = client.media(media_id).await?;
        self.keep(media_id, d.bytes.clone()).await?;
        Ok((sniff(&d.bytes), d.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_files_know_their_type_and_ids_are_safe_names() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(sniff(b"#!AMR\n"), "audio/amr");
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42...."), "video/mp4");
        assert_eq!(sniff(b"%PDF-1.7"), "application/octet-stream");
        assert_eq!(file_name("3abc/../x"), "3abc____x");
    }
}
