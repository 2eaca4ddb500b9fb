//! The account's customer-entry link: `POST /cgi-bin/kf/add_contact_way` (document/path/94665).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::WecomClient;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// `scene`: at most 32 bytes of `[0-9a-zA-Z_-]`.
pub const SCENE_MAX_BYTES: usize = 32;

/// Whether `scene` is one WeCom accepts (empty = no scene).
pub fn valid_scene(scene: &str) -> bool {
    scene.len() <= SCENE_MAX_BYTES && scene.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Link {
    url: String,
}

impl WecomClient {
    /// The link customers open to reach `open_kfid`; an empty scene is left out of the request.
    /// Asking again returns a link too: it is not a write that must not repeat.
    pub async fn contact_link(&self, open_kfid: &str, scene: &str) -> Result<String, ApiError> {
        let mut body = Map::new();
        body.insert("open_kfid".into(), Value::from(open_kfid));
        if !scene.is_empty() {
            body.insert("scene".into(), Value::from(scene));
        }
        let r: Link = self.t.call(&Call::post("/cgi-bin/kf/add_contact_way", Kind::Read, Value::Object(body))).await?;
        Ok(r.url)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scenes_follow_the_documented_pattern() {
        assert!(super::valid_scene(""));
        assert!(super::valid_scene("store_12-A"));
        assert!(!super::valid_scene("门店"));
        assert!(!super::valid_scene("a b"));
        assert!(!super::valid_scene(&"x".repeat(33)));
        assert!(super::valid_scene(&"x".repeat(32)));
    }
}
