//! Session state (document/path/94669): read it, and move a conversation to the smart assistant
//! (1), the queue (2), a servicer (3) or end it (4). The answer's `servicer_userid` (not
//! `service_userid`, an SDK typo) is meaningful only in state 3.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::WecomClient;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// Where a conversation is (document/path/94669). On the wire and in the page a number: WeCom's
/// own; a state WeCom adds later is kept as [`SessionState::Other`] rather than refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
pub enum SessionState {
    /// 0 未处理: new, nobody has taken it.
    Untreated,
    /// 1 由智能助手接待: with the smart assistant (the kf account's API may reply).
    SmartAssistant,
    /// 2 待接入池排队中: waiting in the queue for a servicer.
    Queued,
    /// 3 由人工接待: a servicer is serving the customer.
    Servicer,
    /// 4 已结束/未开始: ended.
    Ended,
    /// A state this client does not know.
    Other(u8),
}

impl From<u8> for SessionState {
    fn from(n: u8) -> Self {
        match n {
            0 => SessionState::Untreated,
            1 => SessionState::SmartAssistant,
            2 => SessionState::Queued,
            3 => SessionState::Servicer,
            4 => SessionState::Ended,
            n => SessionState::Other(n),
        }
    }
}

impl From<SessionState> for u8 {
    fn from(s: SessionState) -> u8 {
        match s {
            SessionState::Untreated => 0,
            SessionState::SmartAssistant => 1,
            SessionState::Queued => 2,
            SessionState::Servicer => 3,
            SessionState::Ended => 4,
            SessionState::Other(n) => n,
        }
    }
}

/// In TypeScript, WeCom's number (the page names them once, in `ui/lib/wecom/conversations.js`).
#[cfg(feature = "ts")]
impl ts_rs::TS for SessionState {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "SessionState".into()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "number".into()
    }
    fn decl(cfg: &ts_rs::Config) -> String {
        format!("type SessionState = {};", Self::inline(cfg))
    }
    fn decl_concrete(cfg: &ts_rs::Config) -> String {
        Self::decl(cfg)
    }
    fn output_path() -> Option<std::path::PathBuf> {
        Some("SessionState.ts".into())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceState {
    pub service_state: SessionState,
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
        state: SessionState,
        servicer: Option<&str>,
    ) -> Result<Option<String>, ApiError> {
        let mut body = Map::new();
        body.insert("open_kfid".into(), json!(open_kfid));
        body.insert("external_userid".into(), json!(external_userid));
        body.insert("service_state".into(), json!(u8::from(state)));
        // Left out when there is none (WxJava sends null, which WeCom may refuse).
        if let Some(s) = servicer.filter(|s| !s.is_empty()) {
            body.insert("servicer_userid".into(), json!(s));
        }
        let r: Moved =
            self.t.call(&Call::post("/cgi-bin/kf/service_state/trans", Kind::Write, Value::Object(body))).await?;
        Ok(r.msg_code.filter(|c| !c.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_wecoms_numbers_and_an_unknown_one_is_kept() {
        for n in 0..=5u8 {
            let s = SessionState::from(n);
            assert_eq!(u8::from(s), n);
            assert_eq!(serde_json::to_value(s).unwrap(), json!(n));
            assert_eq!(serde_json::from_value::<SessionState>(json!(n)).unwrap(), s);
        }
        assert_eq!(SessionState::from(3), SessionState::Servicer);
        assert_eq!(SessionState::from(5), SessionState::Other(5));
        let got: ServiceState = serde_json::from_value(json!({"service_state": 7})).unwrap();
        assert_eq!((got.service_state, got.servicer_userid.as_str()), (SessionState::Other(7), ""));
    }
}
