//! Temporary media: `POST /cgi-bin/media/upload?type=…` (document/path/90253), multipart field
//! `media`, and `GET /cgi-bin/media/get?media_id=…` (document/path/90254) for what customers
//! sent. A media_id lasts 3 days; kf accounts take one as their avatar.

use serde::Deserialize;
use serde_json::json;

use super::WecomClient;
use crate::de::string_or_number;
use crate::error::ApiError;
use crate::http::Body;
use crate::transport::{Call, Download, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Voice,
    Video,
    File,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Voice => "voice",
            MediaKind::Video => "video",
            MediaKind::File => "file",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Uploaded {
    pub media_id: String,
    /// A string in WeCom's answer, a number in some SDKs: kept as text.
    #[serde(default, deserialize_with = "string_or_number")]
    pub created_at: String,
}

impl WecomClient {
    /// Uploads `bytes` as temporary media and returns its media_id.
    pub async fn upload_media(
        &self,
        kind: MediaKind,
        filename: &str,
        mime: &'static str,
        bytes: bytes::Bytes,
    ) -> Result<Uploaded, ApiError> {
        let call = Call {
            body: Body::File { field: "media", filename: filename.into(), mime, bytes },
            ..Call::post("/cgi-bin/media/upload", Kind::Write, json!(null))
        }
        .query("type", kind.as_str());
        self.t.call(&call).await
    }

    /// The file behind a media_id (an image, voice, video or file a customer sent), while
    /// WeCom still keeps it (3 days).
    pub async fn media(&self, media_id: &str) -> Result<Download, ApiError> {
        self.t.download(&Call::get("/cgi-bin/media/get").query("media_id", media_id)).await
    }
}
