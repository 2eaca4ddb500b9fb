//! The gateway's `sync_msg` and callback feed, answered from the team's archive instead of
//! WeCom: a desktop reads what the server read (with callback Tokens, at once) plus what every
//! desktop sent through the server, which WeCom's own sync_msg never returns. The cursor is the
//! archive's position in the account (`kds<seq>`); an account the server never read is read
//! from WeCom first.

use deadpool_postgres::GenericClient;
use serde_json::{json, Value};

use super::super::reader::read_account;
use super::super::Corp;
use crate::failure::Failure;
use crate::staff::sessions::Caller;
use crate::AppState;

/// How far back an empty cursor starts, as on WeCom: 3 days.
const FIRST_READ_SECS: i64 = 3 * 86_400;
/// The most messages a page holds, as on WeCom.
const PAGE_MAX: i64 = 1000;

fn parse_cursor(c: &str) -> Option<i64> {
    if c.is_empty() {
        return Some(0);
    }
    c.strip_prefix("kds")?.parse().ok()
}

/// `sync_msg` for `open_kfid` from `body`'s `cursor` and `limit`: WeCom's answer shape. Sent
/// messages carry `kefudesk: {sent_by, desktop}` beside WeCom's fields.
pub async fn sync(state: &AppState, corp: &Corp, open_kfid: &str, body: &Value) -> Result<Value, Failure> {
    let Some(after) = parse_cursor(body["cursor"].as_str().unwrap_or_default()) else {
        return Err(Failure { errcode: Some(40058), ..Failure::invalid("invalid cursor") });
    };
    let limit = body["limit"].as_i64().unwrap_or(PAGE_MAX).clamp(1, PAGE_MAX);
    let db = state.db.get().await?;
    let known =
        db.query_opt("select 1 from wecom_cursors where corp = $1 and open_kfid = $2", &[&corp.id, &open_kfid]).await?;
    if known.is_none() {
        drop(db);
        read_account(state, corp, open_kfid, None).await.map_err(|e| {
            tracing::warn!(corp = corp.id, "a first read for a desktop failed: {e}");
            Failure { errcode: Some(-1), ..Failure::invalid("WeCom could not be read") }
        })?;
        return Box::pin(sync(state, corp, open_kfid, body)).await;
    }
    let from_start = after == 0;
    let rows = db
        .query(
            "select m.seq, m.body, s.name, m.desktop from wecom_messages m left join staff s on s.id = m.sent_by
              where m.corp = $1 and m.open_kfid = $2 and m.seq > $3
                and (not $4 or m.send_time >= extract(epoch from now())::bigint - $5)
              order by m.seq limit $6",
            &[&corp.id, &open_kfid, &after, &from_start, &FIRST_READ_SECS, &(limit + 1)],
        )
        .await?;
    let has_more = rows.len() as i64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let next = page.last().map_or(after, |r| r.get(0));
    let msg_list: Vec<Value> = page
        .iter()
        .map(|r| {
            let mut m: Value = r.get(1);
            if let Some(name) = r.get::<_, Option<String>>(2) {
                m["kefudesk"] = json!({"sent_by": name, "desktop": r.get::<_, Option<String>>(3)});
            }
            m
        })
        .collect();
    Ok(
        json!({"errcode": 0, "errmsg": "ok", "next_cursor": format!("kds{next}"), "has_more": i32::from(has_more), "msg_list": msg_list}),
    )
}

/// The callback feed of the desktop's relay seam: one item per account with news after `after`
/// (an archive position), for the accounts `caller` may use; the desktop then reads them at
/// once (`create_time` is now: the news is fresh to the desktop, whenever it was written).
pub async fn feed(db: &impl GenericClient, caller: &Caller, corp: i64, after: i64) -> Result<Value, Failure> {
    let rows = db
        .query(
            "select m.open_kfid, max(m.seq), extract(epoch from now())::bigint from wecom_messages m
              where m.corp = $1 and m.seq > $2
                and ($3 or exists (select 1 from staff_wecom_grants g where g.staff = $4 and g.corp = m.corp and g.open_kfid = m.open_kfid))
              group by m.open_kfid order by 2",
            &[&corp, &after, &caller.staff.role.oversees(), &caller.staff.id],
        )
        .await?;
    let callbacks: Vec<Value> = rows
        .iter()
        .map(|r| json!({"seq": r.get::<_, i64>(1), "token": "", "open_kfid": r.get::<_, String>(0), "create_time": r.get::<_, i64>(2)}))
        .collect();
    let last = rows.iter().map(|r| r.get::<_, i64>(1)).max().unwrap_or(after);
    Ok(json!({"callbacks": callbacks, "last": last}))
}
