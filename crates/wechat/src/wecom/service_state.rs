//! Session state (document/path/94669): read it, and move a conversation to the smart assistant
//! (1), the queue (2), a servicer (3) or end it (4). The answer's `servicer_userid` (not
//! `service_userid`, an SDK typo) is meaningful only in state 3.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::WecomClient;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceState {
    pub service_state: u8,
    #[serde(default)]
    pub servicer_userid: String,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Moved {
    #[serde(default)]
    msg_code: Option<String>,
}

impl WecomClient {
    pub async fn service_state(&self, open_kfid: &str, external_userid: &str) -> Result<ServiceState, ApiError> {
        let body = json!({ "open_kfid": open_kfid, "external_userid": external_userid });
        self.t.call(&Call::post("/cgi-bin/kf/service_state/get", Kind::Read, body)).await
    }

    /// Moves the conversation to `state` (3 needs `servicer`); the msg_code for
    /// send_msg_on_event when WeCom gives one.
    pub async fn trans_service_state(
        &self,
        open_kfid: &str,
        external_userid: &str,
        state: u8,
        servicer: Option<&str>,
    ) -> Result<Option<String>, ApiError> {
        let mut body = Map::new();
        body.insert("open_kfid".into(), json!(open_kfid));
        body.insert("external_userid".into(), json!(external_userid));
        body.insert("service_state".into(), json!(state));
        // Left out when there is none (WxJava sends null, which WeCom may refuse).
        if let Some(s) = servicer.filter(|s| !s.is_empty()) {
            body.insert("servicer_userid".into(), json!(s));
        }
        let r: Moved =
            self.t.call(&Call::post("/cgi-bin/kf/service_state/trans", Kind::Write, Value::Object(body))).await?;
        Ok(r.msg_code.filter(|c| !c.is_empty()))
    }
}
