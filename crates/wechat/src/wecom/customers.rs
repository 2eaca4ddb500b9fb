//! Customers (document/path/95159): `customer/batchget`, ≤100 ids a call; ids of customers
//! not active with the account in the last 48 hours come back as invalid.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::WecomClient;
use crate::de::null_default;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

pub const CUSTOMERS_PER_CALL: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KfCustomer {
    pub external_userid: String,
    #[serde(default)]
    pub nickname: String,
    #[serde(default)]
    pub avatar: String,
    /// 0 unknown, 1 male, 2 female (always 0 for third-party apps).
    #[serde(default)]
    pub gender: u8,
    #[serde(default)]
    pub unionid: String,
    #[serde(default)]
    pub enter_session_context: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Customers {
    #[serde(default, deserialize_with = "null_default")]
    pub customer_list: Vec<KfCustomer>,
    #[serde(default, deserialize_with = "null_default")]
    pub invalid_external_userid: Vec<String>,
}

impl WecomClient {
    /// The customers behind `ids`, in batches of 100.
    pub async fn customers(&self, ids: &[String], with_context: bool) -> Result<Customers, ApiError> {
        let mut out = Customers::default();
        for chunk in ids.chunks(CUSTOMERS_PER_CALL) {
            let body = json!({ "external_userid_list": chunk, "need_enter_session_context": u8::from(with_context) });
            let r: Customers = self.t.call(&Call::post("/cgi-bin/kf/customer/batchget", Kind::Read, body)).await?;
            out.customer_list.extend(r.customer_list);
            out.invalid_external_userid.extend(r.invalid_external_userid);
        }
        Ok(out)
    }
}
