//! Customer-service accounts (reference mp §3): list, online list, add, update, delete,
//! avatar upload and invite binding.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Ack, MpClient};
use crate::de::{null_default, number_or_string, string_or_number};
use crate::error::ApiError;
use crate::http::Body;
use crate::transport::{Call, Kind};

/// One entry of `getkflist`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KfAccount {
    pub kf_account: String,
    #[serde(default)]
    pub kf_nick: String,
    /// A number on the wire, a string in the docs: kept as a string.
    #[serde(default, deserialize_with = "string_or_number")]
    pub kf_id: String,
    #[serde(default)]
    pub kf_headimgurl: String,
    /// Bound WeChat ID, when bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kf_wx: Option<String>,
    /// WeChat ID of a pending or failed invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_wx: Option<String>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub invite_expire_time: i64,
    /// `waiting`, `rejected` or `expired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_status: Option<String>,
}

/// One entry of `getonlinekflist`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OnlineKf {
    pub kf_account: String,
    #[serde(default, deserialize_with = "string_or_number")]
    pub kf_id: String,
    /// 1 = PC, 2 = mobile, 3 = both (0 = offline in the newest docs).
    #[serde(default, deserialize_with = "number_or_string")]
    pub status: i64,
    #[serde(default, deserialize_with = "number_or_string")]
    pub auto_accept: i64,
    #[serde(default, deserialize_with = "number_or_string")]
    pub accepted_case: i64,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct KfList {
    #[serde(default, deserialize_with = "null_default")]
    kf_list: Vec<KfAccount>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct OnlineList {
    #[serde(default, deserialize_with = "null_default")]
    kf_online_list: Vec<OnlineKf>,
}

impl MpClient {
    /// All customer-service accounts.
    pub async fn kf_list(&self) -> Result<Vec<KfAccount>, ApiError> {
        let r: KfList = self.t.call(&Call::get("/cgi-bin/customservice/getkflist")).await?;
        Ok(r.kf_list)
    }

    /// Accounts logged in to the web or mobile kf tool, with their load.
    pub async fn online_kf_list(&self) -> Result<Vec<OnlineKf>, ApiError> {
        let r: OnlineList = self.t.call(&Call::get("/cgi-bin/customservice/getonlinekflist")).await?;
        Ok(r.kf_online_list)
    }

    pub async fn add_kf(&self, kf_account: &str, nickname: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account, "nickname": nickname });
        self.t.call::<Ack>(&Call::post("/customservice/kfaccount/add", Kind::Write, body)).await?;
        Ok(())
    }

    pub async fn update_kf(&self, kf_account: &str, nickname: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account, "nickname": nickname });
        self.t.call::<Ack>(&Call::post("/customservice/kfaccount/update", Kind::Write, body)).await?;
        Ok(())
    }

    /// Deletes an account (the current official shape: POST with a JSON body).
    pub async fn delete_kf(&self, kf_account: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account });
        self.t.call::<Ack>(&Call::post("/customservice/kfaccount/del", Kind::Write, body)).await?;
        Ok(())
    }

    /// Uploads a JPEG avatar (≤5 MB; 640×640 recommended) as multipart field `media`.
    pub async fn upload_head_img(&self, kf_account: &str, jpeg: bytes::Bytes) -> Result<(), ApiError> {
        let call = Call {
            body: Body::File { field: "media", filename: "avatar.jpg".into(), mime: "image/jpeg", bytes: jpeg },
            ..Call::post("/customservice/kfaccount/uploadheadimg", Kind::Write, json!(null))
        }
        .query("kf_account", kf_account);
        self.t.call::<Ack>(&call).await?;
        Ok(())
    }

    /// Invites a WeChat user (by WeChat ID) to bind the account; they confirm in WeChat.
    pub async fn invite_worker(&self, kf_account: &str, invite_wx: &str) -> Result<(), ApiError> {
        let body = json!({ "kf_account": kf_account, "invite_wx": invite_wx });
        self.t.call::<Ack>(&Call::post("/customservice/kfaccount/inviteworker", Kind::Write, body)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kf_list_decodes_leniently() {
        let r: KfList = serde_json::from_str(
            r#"{"kf_list":[{"kf_account":"kevin@kevin","kf_headimgurl":"","kf_id":2001,"kf_nick":"kevin"},
              {"kf_account":"t2@t","kf_id":"1002","kf_nick":"n","invite_wx":"kfwx2","invite_expire_time":"123456789","invite_status":"waiting","extra":1}]}"#,
        )
        .unwrap();
        assert_eq!(r.kf_list[0].kf_id, "2001");
        assert_eq!(r.kf_list[1].kf_id, "1002");
        assert_eq!(r.kf_list[1].invite_expire_time, 123456789);
        assert_eq!(r.kf_list[1].invite_status.as_deref(), Some("waiting"));
        let empty: KfList = serde_json::from_str("{}").unwrap();
        assert!(empty.kf_list.is_empty());
        let null: OnlineList = serde_json::from_str(r#"{"kf_online_list":null}"#).unwrap();
        assert!(null.kf_online_list.is_empty());
    }
}
