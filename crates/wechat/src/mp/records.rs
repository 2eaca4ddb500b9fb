//! Chat records (reference mp §5.1): `getmsglist`, one ≤24 h window and ≤10 000 records per call.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::MpClient;
use crate::de::{null_default, number_or_string};
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// WeChat's limit on `endtime - starttime`.
pub const MAX_WINDOW_SECS: i64 = 24 * 3600;
/// WeChat's limit on `number`.
pub const MAX_RECORDS_PER_CALL: u32 = 10_000;

/// One chat record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MsgRecord {
    #[serde(default)]
    pub openid: String,
    /// See reference mp §5.3 (2002 = agent sent, 2003 = agent received…).
    #[serde(default, deserialize_with = "number_or_string")]
    pub opercode: i64,
    #[serde(default)]
    pub text: String,
    #[serde(default, deserialize_with = "number_or_string")]
    pub time: i64,
    /// Full kf account.
    #[serde(default)]
    pub worker: String,
}

/// One page of records and the cursor for the next call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MsgPage {
    #[serde(default, deserialize_with = "null_default")]
    pub recordlist: Vec<MsgRecord>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub number: i64,
    /// Pass this as `msgid` to continue.
    #[serde(default, deserialize_with = "number_or_string")]
    pub msgid: i64,
}

impl MpClient {
    /// Records with `starttime..=endtime` (unix **seconds**, at most 24 h apart), from message
    /// id `msgid` (start at 1), at most `number` (≤10 000).
    pub async fn msg_list(&self, starttime: i64, endtime: i64, msgid: i64, number: u32) -> Result<MsgPage, ApiError> {
        let body = json!({ "starttime": starttime, "endtime": endtime, "msgid": msgid, "number": number });
        self.t.call(&Call::post("/customservice/msgrecord/getmsglist", Kind::Read, body)).await
    }
}
