//! Servicers 接待人员 of an account (document/path/94645, 94646, 94647): list, add, remove —
//! by userid or by department, at most 100 of each a call.
//!
//! Beware: `servicer/list` encodes status as 0 = 接待中, 1 = 停止接待, while the
//! `servicer_status_change` event uses 1 = 接待中, 2 = 停止接待.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::WecomClient;
use crate::de::null_default;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// userids (and department ids) per add/del call.
pub const SERVICERS_PER_CALL: usize = 100;

/// One entry of `servicer/list`: a person or a whole department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Servicer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<u64>,
    /// 0 = 接待中 (receiving), 1 = 停止接待; only returned when the app manages the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u8>,
    /// With status 1: 0 = stopped, 1 = paused (暂时挂起).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_type: Option<u8>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServicerList {
    #[serde(default, deserialize_with = "null_default")]
    pub servicer_list: Vec<Servicer>,
}

/// What add/del did for one person or department; errcode 0 with errmsg "ignored" is a no-op
/// (already there on add, not there on del). The call can succeed while items fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<u64>,
    #[serde(default)]
    pub errcode: i64,
    #[serde(default)]
    pub errmsg: String,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Results {
    #[serde(default, deserialize_with = "null_default")]
    result_list: Vec<ItemResult>,
}

impl WecomClient {
    pub async fn servicer_list(&self, open_kfid: &str) -> Result<Vec<Servicer>, ApiError> {
        let call = Call::get("/cgi-bin/kf/servicer/list").query("open_kfid", open_kfid);
        let r: ServicerList = self.t.call(&call).await?;
        Ok(r.servicer_list)
    }

    /// Adds people and departments, in as many calls of ≤100 each as needed; every item's result.
    pub async fn add_servicers(
        &self,
        open_kfid: &str,
        userids: &[String],
        departments: &[u64],
    ) -> Result<Vec<ItemResult>, ApiError> {
        self.servicer_batches("/cgi-bin/kf/servicer/add", open_kfid, userids, departments).await
    }

    pub async fn remove_servicers(
        &self,
        open_kfid: &str,
        userids: &[String],
        departments: &[u64],
    ) -> Result<Vec<ItemResult>, ApiError> {
        self.servicer_batches("/cgi-bin/kf/servicer/del", open_kfid, userids, departments).await
    }

    async fn servicer_batches(
        &self,
        path: &'static str,
        open_kfid: &str,
        userids: &[String],
        departments: &[u64],
    ) -> Result<Vec<ItemResult>, ApiError> {
        let mut out = Vec::new();
        let batches = userids.len().div_ceil(SERVICERS_PER_CALL).max(departments.len().div_ceil(SERVICERS_PER_CALL));
        for i in 0..batches {
            let users = chunk(userids, i);
            let depts = chunk(departments, i);
            let mut body = Map::new();
            body.insert("open_kfid".into(), json!(open_kfid));
            if !users.is_empty() {
                body.insert("userid_list".into(), json!(users));
            }
            if !depts.is_empty() {
                body.insert("department_id_list".into(), json!(depts));
            }
            let r: Results = self.t.call(&Call::post(path, Kind::Write, Value::Object(body))).await?;
            out.extend(r.result_list);
        }
        Ok(out)
    }
}

fn chunk<T>(items: &[T], i: usize) -> &[T] {
    let start = (i * SERVICERS_PER_CALL).min(items.len());
    &items[start..(start + SERVICERS_PER_CALL).min(items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_are_people_or_departments() {
        let r: ServicerList = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","servicer_list":[{"userid":"zhangsan","status":0},{"userid":"lisi","status":1,"stop_type":1},{"department_id":2}]}"#,
        )
        .unwrap();
        assert_eq!(r.servicer_list[0].status, Some(0));
        assert_eq!(r.servicer_list[1].stop_type, Some(1));
        assert_eq!(r.servicer_list[2].department_id, Some(2));
        assert_eq!(r.servicer_list[2].userid, None);
    }

    #[test]
    fn batches_cover_every_item_once() {
        let ids: Vec<u32> = (0..250).collect();
        assert_eq!(chunk(&ids, 0).len(), 100);
        assert_eq!(chunk(&ids, 2), &ids[200..]);
        assert!(chunk(&ids, 3).is_empty());
    }
}
