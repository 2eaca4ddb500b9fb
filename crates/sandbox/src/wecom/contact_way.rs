//! `POST /cgi-bin/kf/add_contact_way` (document/path/94665): the account's customer-entry
//! link, optionally with a `scene` (≤32 bytes of `[0-9a-zA-Z_-]`) that the enter_session event
//! echoes. Needs only basic permission, so unmanaged accounts get links too.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use base64::Engine;
use serde_json::json;

use super::wire::{json_body, ok_with, required};
use super::{WecomSbx, Q};
use crate::wire::{str_field, WxErr};
use kefu_wechat::wecom::valid_scene;

pub async fn add_contact_way(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?;
        let scene = str_field(&b, "scene");
        if !valid_scene(scene) {
            return Err(WxErr::with_msg(
                40058,
                "scene must be at most 32 bytes of [0-9a-zA-Z_-]. invalid Request Parameter",
            ));
        }
        let code = w.account(open_kfid)?.link_code.clone();
        let mut url = format!("https://work.weixin.qq.com/kf/{code}");
        if !scene.is_empty() {
            let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{code}:{scene}"));
            url.push_str(&format!("?enc_scene=ENC{enc}"));
        }
        Ok(ok_with(json!({ "url": url })))
    })
}
