//! Session control (reference mp §4): create, close, a customer's session, an agent's
//! sessions and the waiting queue.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Ack, MpClient};
use crate::de::{null_default, number_or_string};
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// The session a customer is in (`getsession`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustomerSession {
    pub kf_account: String,
    /// Unix seconds the session was accepted.
    pub createtime: i64,
}

/// One session of an agent (`getsessionlist`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KfSession {
    pub openid: String,
    #[serde(default, deserialize_with = "number_or_string")]
    pub createtime: i64,
}

/// One waiting customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaitCase {
    pub openid: String,
    /// Unix seconds of the customer's latest message.
    #[serde(default, deserialize_with = "number_or_string")]
    pub latest_time: i64,
    /// The agent the customer asked for; only older variants of the API say (mp §4.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kf_account: Option<String>,
}

/// The waiting queue: `count` is the true total, `waitcaselist` at most the first 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WaitCases {
    #[serde(default, deserialize_with = "number_or_string")]
    pub count: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub waitcaselist: Vec<WaitCase>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct RawSession {
    #[serde(default, deserialize_with = "null_default")]
    kf_account: String,
    #[serde(default, deserialize_with = "number_or_string")]
    createtime: i64,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct SessionList {
    #[serde(default, deserialize_with = "null_default")]
    sessionlist: Vec<KfSession>,
}

impl MpClient {
    /// Assigns a customer to an agent (who must be bound and online).
    pub async fn create_session(&self, kf_account: &str, openid: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account, "openid": openid });
        self.t.call::<Ack>(&Call::post("/customservice/kfsession/create", Kind::Write, body)).await?;
        Ok(())
    }

    pub async fn close_session(&self, kf_account: &str, openid: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account, "openid": openid });
        self.t.call::<Ack>(&Call::post("/customservice/kfsession/close", Kind::Write, body)).await?;
        Ok(())
    }

    /// The customer's current session, or `None` when nobody serves them.
    pub async fn get_session(&self, openid: &str) -> Result<Option<CustomerSession>, ApiError> {
        let call = Call::get("/customservice/kfsession/getsession").query("openid", openid);
        let r: RawSession = self.t.call(&call).await?;
        Ok((!r.kf_account.is_empty()).then_some(CustomerSession { kf_account: r.kf_account, createtime: r.createtime }))
    }

    pub async fn session_list(&self, kf_account: &str) -> Result<Vec<KfSession>, ApiError> {
        let call = Call::get("/customservice/kfsession/getsessionlist").query("kf_account", kf_account);
        let r: SessionList = self.t.call(&call).await?;
        Ok(r.sessionlist)
    }

    pub async fn wait_cases(&self) -> Result<WaitCases, ApiError> {
        self.t.call(&Call::get("/customservice/kfsession/getwaitcase")).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_reads_todays_shape_and_the_older_one_with_the_requested_agent() {
        // Today's documented answer (mp §4.5), and timestamps sent as strings by some gateways.
        let q: WaitCases =
            serde_json::from_str(r#"{"count":150,"waitcaselist":[{"latest_time":"123456789","openid":"OPENID1"}]}"#)
                .unwrap();
        assert_eq!(
            (q.count, q.waitcaselist[0].latest_time, q.waitcaselist[0].kf_account.as_deref()),
            (150, 123_456_789, None)
        );
        // The older 多客服 variant names the agent the customer asked for.
        let q: WaitCases = serde_json::from_str(
            r#"{"count":1,"waitcaselist":[{"latest_time":5,"createtime":4,"kf_account":"a@x","openid":"O"}]}"#,
        )
        .unwrap();
        assert_eq!(q.waitcaselist[0].kf_account.as_deref(), Some("a@x"));
        // An empty queue may come without the list, or with null.
        let q: WaitCases = serde_json::from_str(r#"{"count":0,"waitcaselist":null}"#).unwrap();
        assert!(q.waitcaselist.is_empty());
    }
}
