//! What the sandbox says on the wire: WeChat's errmsg texts (with the ` rid: …` suffix real
//! WeChat appends, so clients that match on errmsg break here too) and JSON replies.

use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// A WeChat error answer (HTTP 200 with `{"errcode","errmsg"}`).
#[derive(Debug, Clone, PartialEq)]
pub struct WxErr {
    pub code: i64,
    /// Replaces the canonical errmsg (e.g. 40164 quotes the caller's IP).
    pub msg: Option<String>,
}

impl WxErr {
    pub fn new(code: i64) -> Self {
        WxErr { code, msg: None }
    }
    pub fn with_msg(code: i64, msg: impl Into<String>) -> Self {
        WxErr { code, msg: Some(msg.into()) }
    }
}

impl From<i64> for WxErr {
    fn from(code: i64) -> Self {
        WxErr::new(code)
    }
}

pub type WxResult = Result<Value, WxErr>;

/// WeChat's English errmsg for `code`, as returned on the wire.
pub fn errmsg(code: i64) -> &'static str {
    match code {
        -1 => "system error",
        0 => "ok",
        40001 => "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r",
        40002 => "invalid grant_type",
        40003 => "invalid openid",
        40005 => "invalid file type",
        40007 => "invalid media_id",
        40008 => "invalid message type",
        40009 => "invalid image size",
        40013 => "invalid appid",
        40014 => "invalid access_token",
        40066 => "invalid url",
        40097 => "invalid args",
        40125 => "invalid appsecret",
        40200 => "invalid account type",
        41001 => "access_token missing",
        41002 => "appid missing",
        41004 => "appsecret missing",
        41005 => "media data missing",
        42001 => "access_token expired",
        43002 => "require POST method",
        43004 => "require subscribe",
        44002 => "empty post data",
        45002 => "content size out of limit",
        45008 => "article size out of limit",
        45009 => "reach max api daily quota limit",
        45011 => "api minute-quota reach limit  mustslower  retry next minute",
        45015 => "response out of time limit or subscription is canceled",
        45047 => "out of response count limit",
        45072 => "invalid command",
        45080 => "need sending message to user first",
        45081 => "已经在输入状态，不可重复下发",
        47001 => "data format error",
        48001 => "api unauthorized",
        65400 => "please enable new custom service, or wait for a while if you have enabled",
        65401 => "invalid custom service account",
        65402 => "the custom service account need to bind a wechat user",
        65403 => "illegal nickname",
        65404 => "illegal custom service account",
        65405 => "custom service account number reach limit",
        65406 => "custom service account exists",
        65407 => "the wechat user have been one of your workers",
        65408 => "you have already invited the wechat user",
        65409 => "wechat account invalid",
        65410 => "too many custom service accounts bound by the worker",
        65411 => "a effective invitation to bind the custom service account exists",
        65412 => "the custom service account have been bound by a wechat user",
        65413 => "no effective session for the customer",
        65414 => "another worker is serving the customer",
        65415 => "the worker is not online",
        65416 => "param invalid, please check",
        65417 => "it is too long from the starttime to endtime",
        _ => "system error",
    }
}

/// A fake request id in WeChat's `rid: xxxxxxxx-xxxxxxxx-xxxxxxxx` form.
pub fn rid(n: u64) -> String {
    format!("rid: {:08x}-{:08x}-{:08x}", (n >> 32) as u32, n as u32, (n.rotate_left(17) >> 32) as u32)
}

pub fn error_body(err: &WxErr, n: u64) -> Value {
    let text = err.msg.as_deref().unwrap_or_else(|| errmsg(err.code));
    json!({ "errcode": err.code, "errmsg": format!("{text} {}", rid(n)) })
}

/// `{"errcode":0,"errmsg":"ok"}`, what write endpoints answer.
pub fn ok() -> Value {
    json!({ "errcode": 0, "errmsg": "ok" })
}

/// JSON with WeChat's content type (`application/json; encoding=utf-8`).
pub fn json_response(v: &Value) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json; encoding=utf-8")], v.to_string()).into_response()
}

/// Parses a POST body the way WeChat does: empty → 44002, not JSON → 47001.
pub fn json_body(body: &[u8]) -> Result<Value, WxErr> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(WxErr::new(44002));
    }
    // A body that is JSON but not an object (`[]`, `"x"`, `1`) is no request either.
    serde_json::from_slice::<Value>(body).ok().filter(Value::is_object).ok_or(WxErr::new(47001))
}

/// A string field of a JSON body (`""` when absent or not a string).
pub fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// An integer field, accepting numeric strings.
pub fn int_field(v: &Value, key: &str) -> Option<i64> {
    let f = v.get(key)?;
    f.as_i64().or_else(|| f.as_str().and_then(|s| s.trim().parse().ok()))
}
