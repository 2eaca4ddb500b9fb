//! `POST /customservice/msgrecord/getmsglist` (reference mp §5.1): 0 < end − start ≤ 24 h per
//! call (65417), seconds not milliseconds and `number` 1..=10000 (65416), optional msgid paging
//! (cursor = last + 1).

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::MpSbx;
use super::Q;
use crate::wire::{int_field, WxErr};

/// Unix seconds beyond this are milliseconds passed by mistake (year 5138).
const MAX_PLAUSIBLE_SECS: i64 = 99_999_999_999;

pub async fn msg_list(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        // msgid is optional: without it the window is read from its start.
        let msgid = int_field(&b, "msgid").unwrap_or(1);
        let (Some(start), Some(end), Some(number)) =
            (int_field(&b, "starttime"), int_field(&b, "endtime"), int_field(&b, "number"))
        else {
            return Err(WxErr::new(65416));
        };
        if start <= 0 || end > MAX_PLAUSIBLE_SECS || !(1..=10_000).contains(&number) || msgid < 0 {
            return Err(WxErr::new(65416));
        }
        // The window must be longer than nothing and at most 24 h.
        if end <= start || end - start > 86_400 {
            return Err(WxErr::new(65417));
        }
        // Records are stored by ascending msgid and time: binary-search both bounds.
        let all = w.records();
        let from =
            all.partition_point(|r| (r.msgid as i64) < msgid.max(1)).max(all.partition_point(|r| r.time < start));
        let records: Vec<_> = all[from..].iter().take_while(|r| r.time <= end).take(number as usize).collect();
        let next = records.last().map_or(msgid, |r| r.msgid as i64 + 1);
        Ok(json!({ "recordlist": records, "number": records.len(), "msgid": next }))
    })
}
