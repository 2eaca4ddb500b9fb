//! What the WeCom sandbox says on the wire: WeCom's errmsg texts with the suffix real WeCom
//! appends (`, hint: [...], from ip: ..., more info at ...?e=N`), so that clients matching on
//! errmsg break here as they would live (match on errcode only).

use serde_json::{json, Value};

use crate::wire::WxErr;

/// WeCom's English errmsg for `code`.
pub fn errmsg(code: i64) -> &'static str {
    match code {
        -1 => "system busy",
        0 => "ok",
        40001 => "invalid credential",
        40003 => "invalid userid",
        40004 => "invalid media type",
        40005 => "invalid file type",
        40006 => "invalid file size",
        40007 => "invalid media_id",
        40009 => "invalid image size",
        40013 => "invalid corpid",
        40014 => "invalid access_token",
        40058 => "invalid Request Parameter",
        40063 => "some parameters are empty",
        40091 => "secret is invalid",
        41001 => "access_token missing",
        41002 => "corpid missing",
        41004 => "corpsecret missing",
        41006 => "media_id missing",
        42001 => "access_token expired",
        44001 => "empty media data",
        45009 => "api freq out of limit",
        48002 => "api forbidden",
        60011 => "no privilege to access/modify contact/party/agent",
        60020 => "not allow to access from your ip",
        60111 => "invalid string value `userid`. userid not found",
        60123 => "invalid party id",
        95000 => "invalid open_kfid",
        95004 => "open_kfid not exist",
        95005 => "kf account count exceed limit",
        95006 => "invalid kf account name",
        95014 => "user is not servicer",
        95027 => "corp not verified, can only create 10 kf accounts",
        _ => "system busy",
    }
}

/// `{"errcode": N, "errmsg": "<text>, hint: [...], from ip: 127.0.0.1, more info at …?e=N"}`.
pub fn error_body(err: &WxErr, serial: u64) -> Value {
    let text = err.msg.as_deref().unwrap_or_else(|| errmsg(err.code));
    let hint = 1_761_875_715_499_301_309u64.wrapping_add(serial.wrapping_mul(7919));
    json!({
        "errcode": err.code,
        "errmsg": format!("{text}, hint: [{hint}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={}", err.code),
    })
}

/// `{"errcode":0,"errmsg":"ok"}` plus `fields`.
pub fn ok_with(fields: Value) -> Value {
    let mut v = json!({ "errcode": 0, "errmsg": "ok" });
    if let (Some(o), Value::Object(f)) = (v.as_object_mut(), fields) {
        o.extend(f);
    }
    v
}

/// Parses a POST body as WeCom does: empty, or not JSON → 40058 ("Warning: wrong json format.").
pub fn json_body(body: &[u8]) -> Result<Value, WxErr> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(WxErr::new(40058));
    }
    serde_json::from_slice(body)
        .map_err(|_| WxErr::with_msg(40058, "Warning: wrong json format. invalid Request Parameter"))
}

/// A required string field: absent → 40058, `""` → `field 'X' unexpected empty string` (40058).
pub fn required<'a>(v: &'a Value, key: &str) -> Result<&'a str, WxErr> {
    match v.get(key).and_then(Value::as_str) {
        None => Err(WxErr::with_msg(40058, format!("missing field `{key}`. invalid Request Parameter"))),
        Some("") => {
            Err(WxErr::with_msg(40058, format!("field '{key}' unexpected empty string. invalid Request Parameter")))
        }
        Some(s) => Ok(s),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn errmsg_carries_wecom_suffix() {
        let v = super::error_body(&crate::wire::WxErr::new(95004), 3);
        let m = v["errmsg"].as_str().unwrap();
        assert!(m.starts_with("open_kfid not exist, hint: ["), "{m}");
        assert!(m.ends_with("more info at https://open.work.weixin.qq.com/devtool/query?e=95004"), "{m}");
    }
}
