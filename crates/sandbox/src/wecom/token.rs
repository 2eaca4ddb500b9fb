//! `GET /cgi-bin/gettoken?corpid=&corpsecret=` (document/path/91039): the same token until it
//! expires; repeated wrong secrets ban the caller's IP for an hour (45009).

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::world::BAD_SECRET_LIMIT;
use super::{WecomSbx, Q};
use crate::wire::{WxErr, WxResult};

pub async fn gettoken(State(s): State<WecomSbx>, q: Q) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let r: WxResult = (|| {
        let mut w = s.world();
        let now = w.now();
        if now < w.banned_until {
            return Err(WxErr::with_msg(
                45009,
                "api freq out of limit, this ip is banned for too many invalid secrets",
            ));
        }
        let (corpid, secret) = (get("corpid"), get("corpsecret"));
        if corpid.is_empty() {
            return Err(WxErr::new(41002));
        }
        if secret.is_empty() {
            return Err(WxErr::new(41004));
        }
        if corpid != w.cfg.corp_id {
            return Err(WxErr::new(40013));
        }
        if secret != w.cfg.secret {
            w.bad_secrets.retain(|&t| now - t < 3600);
            w.bad_secrets.push(now);
            if w.bad_secrets.len() >= BAD_SECRET_LIMIT {
                w.banned_until = now + 3600;
                w.bad_secrets.clear();
            }
            return Err(WxErr::new(40001));
        }
        let t = w.token();
        Ok(json!({ "errcode": 0, "errmsg": "ok", "access_token": t.value, "expires_in": t.expires_at - now }))
    })();
    s.reply(r)
}
