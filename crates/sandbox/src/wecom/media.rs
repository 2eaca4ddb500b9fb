//! `POST /cgi-bin/media/upload?type=image|voice|video|file` (document/path/90253): multipart
//! field `media`, more than 5 bytes; images JPG/PNG up to 10 MB; voice AMR 2 MB; video MP4
//! 10 MB; files 20 MB. Answers `created_at` as a string, like WeCom. `GET /cgi-bin/media/get`
//! (document/path/90254) answers the file with its type, or errcode JSON (40007 unknown or
//! expired after 3 days).

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{WecomSbx, Q};
use crate::wire::{WxErr, WxResult};

const MB: usize = 1024 * 1024;

pub async fn upload(State(s): State<WecomSbx>, q: Q, req: Request) -> Response {
    let r: WxResult = async {
        s.check(&q)?;
        let kind = q.get("type").map(String::as_str).unwrap_or("");
        let max = match kind {
            "image" | "video" => 10 * MB,
            "voice" => 2 * MB,
            "file" => 20 * MB,
            _ => return Err(WxErr::new(40005)),
        };
        let mut form = Multipart::from_request(req, &()).await.map_err(|_| WxErr::new(44001))?;
        let mut data = None;
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some("media") {
                data = Some(field.bytes().await.map_err(|_| WxErr::new(44001))?);
                break;
            }
        }
        let data = data.filter(|d| !d.is_empty()).ok_or(WxErr::new(44001))?;
        if data.len() <= 5 {
            return Err(WxErr::new(40006));
        }
        if data.len() > max {
            return Err(WxErr::new(if kind == "image" { 40009 } else { 40006 }));
        }
        let format_ok = match kind {
            "image" => data.starts_with(&[0xFF, 0xD8, 0xFF]) || data.starts_with(b"\x89PNG\r\n\x1a\n"),
            "voice" => data.starts_with(b"#!AMR"),
            "video" => data.len() > 12 && &data[4..8] == b"ftyp",
            _ => true,
        };
        if !format_ok {
            return Err(WxErr::new(40004));
        }
        let (media_id, created_at) = s.world().add_media(kind, data);
        Ok(json!({ "errcode": 0, "errmsg": "", "type": kind, "media_id": media_id, "created_at": created_at.to_string() }))
    }
    .await;
    s.reply(r)
}

pub async fn get(State(s): State<WecomSbx>, q: Q) -> Response {
    let r: Result<(String, axum::body::Bytes), WxErr> = (|| {
        s.check(&q)?;
        let id = q.get("media_id").map(String::as_str).unwrap_or("");
        if id.is_empty() {
            return Err(WxErr::new(41006));
        }
        let w = s.world();
        let m = w
            .media
            .get(id)
            .filter(|m| w.now() - m.created_at < super::world::MEDIA_TTL_SECS)
            .ok_or(WxErr::new(40007))?;
        let mime = match m.kind.as_str() {
            "image" if m.bytes.starts_with(b"\x89PNG") => "image/png",
            "image" => "image/jpeg",
            "voice" => "audio/amr",
            "video" => "video/mp4",
            _ => "application/octet-stream",
        };
        Ok((mime.to_string(), m.bytes.clone()))
    })();
    match r {
        Ok((mime, bytes)) => (
            [(header::CONTENT_TYPE, mime), (header::CONTENT_DISPOSITION, "attachment; filename=\"media\"".to_string())],
            bytes,
        )
            .into_response(),
        Err(e) => s.reply(Err(e)),
    }
}
