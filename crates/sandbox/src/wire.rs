//! What both sandboxes share on the wire: the error value handlers return, JSON replies and
//! reading request bodies. Each platform's errmsg texts are in its own `wire` (`mp::wire`,
//! `wecom::wire`).

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
