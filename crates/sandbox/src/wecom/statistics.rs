//! Statistics (document/path/95489 corp, 95490 servicer): per CST day, the range floored to
//! midnight and closed, at most 31 days within the last 180, no data for today (T+1), days
//! without data listed without `statistic`. Figures are generated from the seed, so the same
//! day always shows the same numbers.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::wire::{json_body, ok_with, required};
use super::world::World;
use super::{WecomSbx, Q};
use crate::rng::Rng;
use crate::wire::{int_field, str_field, WxErr};
use kefu_wechat::cst::cst_day_start;

const DAY: i64 = 86_400;

/// The days of a request: floored, closed, ≤31, within 180 days.
fn days(w: &World, b: &Value) -> Result<Vec<i64>, WxErr> {
    let bad = |m: &str| WxErr::with_msg(40058, format!("{m}. invalid Request Parameter"));
    let (start, end) = match (int_field(b, "start_time"), int_field(b, "end_time")) {
        (Some(s), Some(e)) if s > 0 && e > 0 => (cst_day_start(s), cst_day_start(e)),
        _ => return Err(bad("start_time and end_time are required")),
    };
    if end < start {
        return Err(bad("end_time is before start_time"));
    }
    if (end - start) / DAY + 1 > 31 {
        return Err(bad("the range may span at most 31 days"));
    }
    if start < cst_day_start(w.now()) - 180 * DAY {
        return Err(bad("only the last 180 days can be queried"));
    }
    Ok((0..=(end - start) / DAY).map(|i| start + i * DAY).collect())
}

/// A deterministic generator for one account (and servicer) on one day.
fn day_rng(w: &World, open_kfid: &str, who: &str, day: i64) -> Rng {
    let mut h = w.cfg.seed ^ (day as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for b in open_kfid.bytes().chain(who.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01B3);
    }
    Rng::new(h)
}

/// Whether there is data for `day`: not today or later (T+1), and one quiet day in nine.
fn has_data(w: &World, rng: &mut Rng, day: i64) -> bool {
    day < cst_day_start(w.now()) && rng.range(0, 8) != 0
}

pub async fn corp(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?.to_string();
        w.account(&open_kfid)?;
        let list: Vec<Value> = days(w, &b)?
            .into_iter()
            .map(|day| {
                let mut r = day_rng(w, &open_kfid, "", day);
                if !has_data(w, &mut r, day) {
                    return json!({ "stat_time": day });
                }
                let customers = r.range(8, 60);
                let sessions = customers + r.range(0, customers / 3);
                let ai_replies = r.range(0, sessions);
                json!({ "stat_time": day, "statistic": {
                    "session_cnt": sessions, "customer_cnt": customers, "customer_msg_cnt": sessions * r.range(3, 9),
                    "upgrade_service_customer_cnt": r.range(0, 3), "ai_session_reply_cnt": ai_replies,
                    "ai_transfer_rate": if ai_replies == 0 { 0.0 } else { r.range(10, 60) as f64 / 100.0 },
                    "ai_knowledge_hit_rate": r.range(40, 95) as f64 / 100.0, "msg_rejected_customer_cnt": r.range(0, 2),
                }})
            })
            .collect();
        Ok(ok_with(json!({ "statistic_list": list })))
    })
}

pub async fn servicer(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?.to_string();
        w.account(&open_kfid)?;
        let who = str_field(&b, "servicer_userid").to_string();
        if !who.is_empty() && !w.serves(&open_kfid, &who) {
            return Err(WxErr::new(95014));
        }
        let list: Vec<Value> = days(w, &b)?
            .into_iter()
            .map(|day| {
                let mut r = day_rng(w, &open_kfid, &who, day);
                if !has_data(w, &mut r, day) {
                    return json!({ "stat_time": day });
                }
                let scale = if who.is_empty() { 4 } else { 1 };
                let customers = r.range(2, 15) * scale;
                let surveyed = r.range(0, customers / 2);
                let (sat, mid) = (r.range(60, 90), r.range(5, 20));
                let mut stat = json!({
                    "session_cnt": customers + r.range(0, 3), "customer_cnt": customers, "customer_msg_cnt": customers * r.range(3, 8),
                    "reply_rate": r.range(80, 100) as f64 / 100.0, "first_reply_average_sec": r.range(8, 120),
                    "satisfaction_investgate_cnt": surveyed, "upgrade_service_customer_cnt": r.range(0, 2),
                    "upgrade_service_member_invite_cnt": r.range(0, 2), "upgrade_service_member_customer_cnt": r.range(0, 1),
                    "upgrade_service_groupchat_invite_cnt": r.range(0, 1), "upgrade_service_groupchat_customer_cnt": 0,
                    "msg_rejected_customer_cnt": r.range(0, 1),
                });
                if surveyed > 0 {
                    stat["satisfaction_participation_rate"] = json!(r.range(20, 70) as f64 / 100.0);
                    stat["satisfied_rate"] = json!(sat as f64 / 100.0);
                    stat["middling_rate"] = json!(mid as f64 / 100.0);
                    stat["dissatisfied_rate"] = json!((100 - sat - mid) as f64 / 100.0);
                }
                json!({ "stat_time": day, "statistic": stat })
            })
            .collect();
        Ok(ok_with(json!({ "statistic_list": list })))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_start_at_cst_day_start() {
        // 1554296400 (2019-04-03 21:00 CST) floors to 1554220800, as in the doc's example.
        assert_eq!(super::cst_day_start(1_554_296_400), 1_554_220_800);
        assert_eq!(super::cst_day_start(1_554_220_800), 1_554_220_800);
    }
}
