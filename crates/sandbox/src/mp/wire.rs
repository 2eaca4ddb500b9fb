//! What the Official Account sandbox says on the wire: WeChat's errmsg texts, with the
//! ` rid: …` suffix real WeChat appends (so clients that match on errmsg break here too), and
//! how it reads a request body.

use serde_json::{json, Value};

use crate::wire::{json_body, WxErr};

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

#[cfg(test)]
mod tests {
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
