//! Messages: `sync_msg` (document/path/94670) one page at a time, and sending with `send_msg`
//! (94677) or `send_msg_on_event` (95122). Every envelope field is optional (events carry
//! none of the customer ones); the payload stays JSON under the key named by `msgtype`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::WecomClient;
use crate::de::null_default;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// One item of `msg_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KfMessage {
    #[serde(default)]
    pub msgid: String,
    #[serde(default)]
    pub open_kfid: Option<String>,
    #[serde(default)]
    pub external_userid: Option<String>,
    #[serde(default)]
    pub send_time: i64,
    /// 3 customer, 4 system event, 5 servicer in the WeCom app.
    #[serde(default)]
    pub origin: u8,
    #[serde(default)]
    pub servicer_userid: Option<String>,
    #[serde(default)]
    pub msgtype: String,
    /// `text`, `image`, `event`, … with their fields.
    #[serde(flatten)]
    pub payload: Map<String, Value>,
}

impl KfMessage {
    /// The object under the key named by `msgtype`.
    pub fn body(&self) -> Option<&Value> {
        self.payload.get(&self.msgtype)
    }
}

/// One page of `sync_msg`. `has_more` can be true while `msg_list` is empty: loop on it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncPage {
    #[serde(default)]
    pub next_cursor: String,
    #[serde(default, deserialize_with = "crate::de::number_or_string")]
    pub has_more: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub msg_list: Vec<KfMessage>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Sent {
    #[serde(default)]
    msgid: String,
}

/// A msgid of the caller's choosing that WeCom accepts (document/path/94677): 1 to 32 bytes of
/// `[0-9a-zA-Z_-]`. Choosing it is what makes a retried send safe to recognise.
pub fn valid_msgid(msgid: &str) -> bool {
    !msgid.is_empty() && msgid.len() <= 32 && msgid.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

impl WecomClient {
    /// One page from `cursor` (empty = the earliest of the last 3 days) of `open_kfid`'s
    /// messages; `token` is a callback Token less than 10 minutes old, if any.
    pub async fn sync_page(
        &self,
        open_kfid: &str,
        cursor: &str,
        token: Option<&str>,
        limit: u32,
    ) -> Result<SyncPage, ApiError> {
        let mut body = Map::new();
        // Empty keys are left out: WeCom refuses `"open_kfid":""` and an empty cursor or token.
        body.insert("open_kfid".into(), json!(open_kfid));
        if !cursor.is_empty() {
            body.insert("cursor".into(), json!(cursor));
        }
        if let Some(t) = token.filter(|t| !t.is_empty()) {
            body.insert("token".into(), json!(t));
        }
        body.insert("limit".into(), json!(limit.clamp(1, 1000)));
        self.t.call(&Call::post("/cgi-bin/kf/sync_msg", Kind::Read, Value::Object(body))).await
    }

    /// Sends `payload` (e.g. `{"text": {"content": "…"}}`) of `msgtype` to a customer; WeCom's
    /// msgid. Success does not mean delivered: a msg_send_fail event may follow.
    pub async fn send_msg(
        &self,
        open_kfid: &str,
        touser: &str,
        msgtype: &str,
        payload: Value,
        msgid: Option<&str>,
    ) -> Result<String, ApiError> {
        let mut body = Map::new();
        body.insert("touser".into(), json!(touser));
        body.insert("open_kfid".into(), json!(open_kfid));
        if let Some(m) = msgid.filter(|m| !m.is_empty()) {
            body.insert("msgid".into(), json!(m));
        }
        body.insert("msgtype".into(), json!(msgtype));
        body.insert(msgtype.into(), payload);
        let r: Sent = self.t.call(&Call::post("/cgi-bin/kf/send_msg", Kind::Write, Value::Object(body))).await?;
        Ok(r.msgid)
    }

    /// Sends with a single-use welcome_code or msg_code (`text` or `msgmenu`).
    pub async fn send_msg_on_event(&self, code: &str, msgtype: &str, payload: Value) -> Result<String, ApiError> {
        self.send_msg_on_event_with_msgid(code, msgtype, payload, "").await
    }

    /// The same with a msgid of the caller's choosing (`""`: WeCom chooses).
    pub async fn send_msg_on_event_with_msgid(
        &self,
        code: &str,
        msgtype: &str,
        payload: Value,
        msgid: &str,
    ) -> Result<String, ApiError> {
        let mut body = Map::new();
        body.insert("code".into(), json!(code));
        if !msgid.is_empty() {
            body.insert("msgid".into(), json!(msgid));
        }
        body.insert("msgtype".into(), json!(msgtype));
        body.insert(msgtype.into(), payload);
        let r: Sent =
            self.t.call(&Call::post("/cgi-bin/kf/send_msg_on_event", Kind::Write, Value::Object(body))).await?;
        Ok(r.msgid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_without_envelope_fields_decode() {
        let p: SyncPage = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","next_cursor":"4gw7MepFLfgF2VC5npN","has_more":1,"msg_list":[
              {"msgid":"from_msgid_4622416642169452483","open_kfid":"wkA","external_userid":"wmA","send_time":1615478585,"origin":3,"msgtype":"text","text":{"content":"你好"}},
              {"msgtype":"event","event":{"event_type":"user_recall_msg","open_kfid":"wkA","external_userid":"wmA","recall_msgid":"R"}}]}"#,
        )
        .unwrap();
        assert_eq!(p.has_more, 1);
        assert_eq!(p.msg_list[0].body().unwrap()["content"], "你好");
        assert_eq!(p.msg_list[1].open_kfid, None);
        assert_eq!(p.msg_list[1].body().unwrap()["event_type"], "user_recall_msg");
    }
}
