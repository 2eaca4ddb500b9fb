//! Statistics (document/path/95489 corp, 95490 servicer): per CST day, ≤31 days a call within
//! the last 180, T+1; days without data have no `statistic`. Rates arrive as integers or floats.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::WecomClient;
use crate::de::null_default;
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// Days a statistics call may span.
pub const MAX_DAYS_PER_CALL: i64 = 31;

/// One day: midnight CST, and the figures when WeCom has them (field names as WeCom sends them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayStatistic {
    pub stat_time: i64,
    #[serde(default)]
    pub statistic: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct List {
    #[serde(default, deserialize_with = "null_default")]
    statistic_list: Vec<DayStatistic>,
}

impl WecomClient {
    /// The account's summary for the days from `start` to `end` (unix seconds, floored by WeCom).
    pub async fn corp_statistic(&self, open_kfid: &str, start: i64, end: i64) -> Result<Vec<DayStatistic>, ApiError> {
        let body = json!({ "open_kfid": open_kfid, "start_time": start, "end_time": end });
        let r: List = self.t.call(&Call::post("/cgi-bin/kf/get_corp_statistic", Kind::Read, body)).await?;
        Ok(r.statistic_list)
    }

    /// One servicer's figures, or the account's servicer aggregate when `servicer` is `None`.
    pub async fn servicer_statistic(
        &self,
        open_kfid: &str,
        servicer: Option<&str>,
        start: i64,
        end: i64,
    ) -> Result<Vec<DayStatistic>, ApiError> {
        let mut body = Map::new();
        body.insert("open_kfid".into(), json!(open_kfid));
        if let Some(s) = servicer.filter(|s| !s.is_empty()) {
            body.insert("servicer_userid".into(), json!(s));
        }
        body.insert("start_time".into(), json!(start));
        body.insert("end_time".into(), json!(end));
        let r: List =
            self.t.call(&Call::post("/cgi-bin/kf/get_servicer_statistic", Kind::Read, Value::Object(body))).await?;
        Ok(r.statistic_list)
    }
}
