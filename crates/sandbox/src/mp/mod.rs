//! The Official Account endpoints of the sandbox, with WeChat's exact paths and methods (the
//! `/cgi-bin` prefix only where WeChat has it). One file per group, like `wechat::mp`.

mod accounts;
mod messages;
mod records;
mod sessions;
mod token;

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

pub use accounts::{respond_to_invite, valid_wechat_id};
pub use messages::send_message;
pub use sessions::{close_session, create_session};

use super::wire::{json_body, WxErr};
use super::Sbx;

pub type Q = Query<HashMap<String, String>>;

pub fn routes() -> Router<Sbx> {
    Router::new()
        .route("/cgi-bin/token", get(token::cgi_token))
        .route("/cgi-bin/stable_token", post(token::stable_token))
        .route("/cgi-bin/customservice/getkflist", get(accounts::kf_list).post(accounts::kf_list))
        .route("/cgi-bin/customservice/getonlinekflist", get(accounts::online_list).post(accounts::online_list))
        .route("/customservice/kfaccount/add", post(accounts::add))
        .route("/customservice/kfaccount/update", post(accounts::update))
        // All three shapes seen in the wild: POST JSON, GET with query, POST `[]` + query.
        .route("/customservice/kfaccount/del", get(accounts::del).post(accounts::del))
        .route("/customservice/kfaccount/uploadheadimg", post(accounts::upload_head_img))
        .route("/customservice/kfaccount/inviteworker", post(accounts::invite))
        .route("/sandbox-media/headimg/{kf_id}/{file}", get(accounts::head_img))
        .route("/customservice/kfsession/create", post(sessions::create))
        .route("/customservice/kfsession/close", post(sessions::close))
        .route("/customservice/kfsession/getsession", get(sessions::get_session).post(sessions::get_session))
        .route("/customservice/kfsession/getsessionlist", get(sessions::session_list).post(sessions::session_list))
        .route("/customservice/kfsession/getwaitcase", get(sessions::wait_case).post(sessions::wait_case))
        .route("/customservice/msgrecord/getmsglist", post(records::msg_list))
        .route("/cgi-bin/message/custom/send", post(messages::send))
        .route("/cgi-bin/message/custom/typing", post(messages::typing))
}

/// An Official Account request body: WeChat refuses non-ASCII characters written as `\uXXXX`
/// escapes (40033 不合法的请求字符) before it reads the JSON — send raw UTF-8. Then as
/// [`json_body`]: empty 44002, not a JSON object 47001.
/// Doc: /doc/offiaccount/Getting_Started/Global_Return_Code.html
pub fn body(bytes: &[u8]) -> Result<serde_json::Value, WxErr> {
    if escapes_non_ascii(bytes) {
        return Err(WxErr::new(40033));
    }
    json_body(bytes)
}

/// Whether `bytes` hold a `\uXXXX` escape of a non-ASCII character (an escaped backslash
/// followed by `u` is not one).
fn escapes_non_ascii(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') {
                let hex = bytes
                    .get(i + 2..i + 6)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                if hex.is_some_and(|c| c >= 0x80) {
                    return true;
                }
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Any path WeChat does not have (a misplaced `/cgi-bin`, a typo): 40066.
pub async fn invalid_url(State(s): State<Sbx>) -> Response {
    s.reply(Err(WxErr::new(40066)))
}

/// A GET on a POST-only endpoint: 43002.
pub async fn require_post(State(s): State<Sbx>) -> Response {
    s.reply(Err(WxErr::new(43002)))
}

#[cfg(test)]
mod body_tests {
    use super::escapes_non_ascii;

    #[test]
    fn only_escaped_non_ascii_is_refused() {
        assert!(escapes_non_ascii(br#"{"nickname":"\u5ba2\u670d"}"#));
        assert!(escapes_non_ascii(br#"{"nickname":"caf\u00e9"}"#));
        assert!(!escapes_non_ascii("{\"nickname\":\"客服\"}".as_bytes()), "raw UTF-8");
        assert!(!escapes_non_ascii(br#"{"a":"\u0041\n"}"#), "an ASCII escape");
        assert!(!escapes_non_ascii(br#"{"path":"C:\\u5ba2"}"#), "an escaped backslash, then text");
    }
}
