//! Kf accounts (document/path/94662, 94663, 94664, 94661): list (paged), add, update, delete.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{Ack, WecomClient};
use crate::de::null_default;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// `account/list` returns at most this many a call; there is no total, so a shorter page ends it.
pub const ACCOUNT_LIST_PAGE: u32 = 100;
/// WeCom's ceiling for one corp (document stamp 2023/12/05): paging stops here whatever happens.
const MAX_ACCOUNTS: u32 = 5000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KfAccount {
    pub open_kfid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub avatar: String,
    /// Whether this app may change, assign and send for the account. Not returned to some app
    /// kinds: absent means "not known", shown as manageable-unknown by the UI.
    #[serde(default)]
    pub manage_privilege: Option<bool>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct AccountList {
    #[serde(default, deserialize_with = "null_default")]
    account_list: Vec<KfAccount>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Added {
    open_kfid: String,
}

impl WecomClient {
    /// One page of accounts.
    pub async fn account_page(&self, offset: u32, limit: u32) -> Result<Vec<KfAccount>, ApiError> {
        let body = json!({ "offset": offset, "limit": limit });
        let r: AccountList = self.t.call(&Call::post("/cgi-bin/kf/account/list", Kind::Read, body)).await?;
        Ok(r.account_list)
    }

    /// Every account, paged with offset/limit until a short page (at most 5 000).
    pub async fn account_list(&self) -> Result<Vec<KfAccount>, ApiError> {
        let mut all = Vec::new();
        loop {
            let page = self.account_page(all.len() as u32, ACCOUNT_LIST_PAGE).await?;
            let n = page.len() as u32;
            all.extend(page);
            if n < ACCOUNT_LIST_PAGE || all.len() as u32 >= MAX_ACCOUNTS {
                return Ok(all);
            }
        }
    }

    /// Creates an account with a name (≤16 characters) and an avatar media_id; its open_kfid.
    pub async fn add_account(&self, name: &str, media_id: &str) -> Result<String, ApiError> {
        let body = json!({ "name": name, "media_id": media_id });
        let r: Added = self.t.call(&Call::post("/cgi-bin/kf/account/add", Kind::Write, body)).await?;
        Ok(r.open_kfid)
    }

    /// Changes the name and/or the avatar; a `None` field is left out (kept as it is).
    pub async fn update_account(
        &self,
        open_kfid: &str,
        name: Option<&str>,
        media_id: Option<&str>,
    ) -> Result<(), ApiError> {
        let mut body = Map::new();
        body.insert("open_kfid".into(), json!(open_kfid));
        if let Some(n) = name {
            body.insert("name".into(), json!(n));
        }
        if let Some(m) = media_id {
            body.insert("media_id".into(), json!(m));
        }
        self.t.call::<Ack>(&Call::post("/cgi-bin/kf/account/update", Kind::Write, Value::Object(body))).await?;
        Ok(())
    }

    pub async fn delete_account(&self, open_kfid: &str) -> Result<(), ApiError> {
        let body = json!({ "open_kfid": open_kfid });
        self.t.call::<Ack>(&Call::post("/cgi-bin/kf/account/del", Kind::Write, body)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_decodes_the_documented_shape_and_missing_privilege() {
        let r: AccountList = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","account_list":[
              {"open_kfid":"wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q","name":"咨询客服","avatar":"https://wework.qpic.cn/wwhead/x/0","manage_privilege":false},
              {"open_kfid":"wk2","name":"n","avatar":""}]}"#,
        )
        .unwrap();
        assert_eq!(r.account_list[0].manage_privilege, Some(false));
        assert_eq!(r.account_list[1].manage_privilege, None);
        let null: AccountList = serde_json::from_str(r#"{"account_list":null}"#).unwrap();
        assert!(null.account_list.is_empty());
    }
}
