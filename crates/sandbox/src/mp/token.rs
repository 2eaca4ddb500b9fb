//! `GET /cgi-bin/token` and `POST /cgi-bin/stable_token` (reference mp §2.1–2.2), as two
//! isolated token namespaces.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::world::{TokenKind, World, TOKEN_GRACE_SECS};
use super::MpSbx;
use super::Q;
use crate::wire::{str_field, WxErr, WxResult};
use kefu_wechat::cst::cst_day_number;

const CGI_DAILY_QUOTA: u32 = 2000;
const FORCE_REFRESH_DAILY: usize = 20;
const FORCE_REFRESH_SPACING: i64 = 30;

fn check_credentials(w: &World, grant_type: &str, appid: &str, secret: &str, bad_secret: i64) -> Result<(), WxErr> {
    if w.flags.ip_not_whitelisted {
        return Err(WxErr::with_msg(40164, "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist"));
    }
    if grant_type != "client_credential" {
        return Err(WxErr::new(40002));
    }
    if appid.is_empty() {
        return Err(WxErr::new(41002));
    }
    if secret.is_empty() {
        return Err(WxErr::new(41004));
    }
    if appid != w.cfg.appid {
        return Err(WxErr::new(40013));
    }
    if secret != w.cfg.secret {
        return Err(WxErr::new(bad_secret));
    }
    Ok(())
}

/// Each call issues a new token; the previous one keeps working for 5 minutes.
pub async fn cgi_token(State(s): State<MpSbx>, q: Q) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let r: WxResult = (|| {
        let mut w = s.world();
        // A wrong secret is 40125 here too (40001 only on some old paths).
        check_credentials(&w, get("grant_type"), get("appid"), get("secret"), 40125)?;
        // Daily quotas start again at midnight China Standard Time.
        let (now, day) = (w.now(), cst_day_number(w.now()));
        if w.tokens.cgi_calls.0 != day {
            w.tokens.cgi_calls = (day, 0);
        }
        if w.tokens.cgi_calls.1 >= CGI_DAILY_QUOTA {
            return Err(WxErr::new(45009));
        }
        w.tokens.cgi_calls.1 += 1;
        for t in w.tokens.issued.iter_mut().filter(|t| t.kind == TokenKind::Cgi && t.revoked_at.is_none()) {
            t.revoked_at = Some(now + TOKEN_GRACE_SECS);
        }
        let t = w.issue_token(TokenKind::Cgi);
        Ok(json!({ "access_token": t.value, "expires_in": t.expires_at - now }))
    })();
    s.reply(r)
}

/// The same token while it is valid (a new one in its last 5 minutes); `force_refresh`
/// replaces it at once, at most 20 times a day and 30 s apart.
pub async fn stable_token(State(s): State<MpSbx>, body: Bytes) -> Response {
    let r: WxResult = (|| {
        let b = super::wire::body(&body)?;
        let mut w = s.world();
        check_credentials(&w, str_field(&b, "grant_type"), str_field(&b, "appid"), str_field(&b, "secret"), 40125)?;
        let force = b.get("force_refresh").and_then(|v| v.as_bool()).unwrap_or(false);
        let now = w.now();
        let current = w
            .tokens
            .issued
            .iter()
            .rev()
            .find(|t| t.kind == TokenKind::Stable && t.revoked_at.is_none_or(|r| r > now) && t.expires_at > now)
            .cloned();
        let reuse = match (&current, force) {
            (Some(t), false) => t.expires_at - now > TOKEN_GRACE_SECS,
            (Some(_), true) => {
                let today = cst_day_number(now);
                w.tokens.force_refreshes.retain(|&at| cst_day_number(at) == today);
                if w.tokens.force_refreshes.len() >= FORCE_REFRESH_DAILY {
                    return Err(WxErr::new(45009));
                }
                // "否则不会刷新": within 30 s of the last forced refresh nothing changes.
                let too_soon = w.tokens.force_refreshes.last().is_some_and(|&at| now - at < FORCE_REFRESH_SPACING);
                if !too_soon {
                    w.tokens.force_refreshes.push(now);
                }
                too_soon
            }
            (None, _) => false,
        };
        let t = match current {
            Some(t) if reuse => t,
            old => {
                if let (Some(old), true) = (old, force) {
                    if let Some(o) = w.tokens.issued.iter_mut().find(|t| t.value == old.value) {
                        o.revoked_at = Some(now);
                    }
                }
                w.issue_token(TokenKind::Stable)
            }
        };
        Ok(json!({ "access_token": t.value, "expires_in": t.expires_at - now }))
    })();
    s.reply(r)
}
