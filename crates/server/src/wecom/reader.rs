//! Reading an account's news into the archive: sync_msg from the stored cursor with the
//! callback's Token (which lifts WeCom's frequency limit), `open_kfid` always, page after page
//! while `has_more`; each page's messages and the cursor after it in one transaction, so a
//! crash never skips or repeats a page. The cursor row is locked for the page: one reader per
//! account at a time, across every instance. Each new message is announced to the desktops
//! when its page commits. Official page:
//! <https://developer.work.weixin.qq.com/document/path/94670>.

use super::Corp;
use crate::events::{announce, Event};
use crate::AppState;

/// How many messages a page asks for (WeCom's most).
const PAGE: u32 = 1000;

/// Reads `open_kfid` of `corp` up to now; how many messages were new to the archive.
pub async fn read_account(state: &AppState, corp: &Corp, open_kfid: &str, token: Option<&str>) -> Result<u64, String> {
    let client = state.wecom.get(corp)?;
    let err = |e: tokio_postgres::Error| format!("the archive: {e}");
    let mut db = state.db.get().await.map_err(|e| e.to_string())?;
    let mut added = 0;
    loop {
        let tx = db.transaction().await.map_err(err)?;
        super::lock_account(&tx, corp.id, open_kfid).await.map_err(err)?;
        tx.execute(
            "insert into wecom_cursors (corp, open_kfid) values ($1, $2) on conflict do nothing",
            &[&corp.id, &open_kfid],
        )
        .await
        .map_err(err)?;
        let cursor: String = tx
            .query_one(
                "select cursor from wecom_cursors where corp = $1 and open_kfid = $2 for update",
                &[&corp.id, &open_kfid],
            )
            .await
            .map_err(err)?
            .get(0);
        let page = client.sync_page(open_kfid, &cursor, token, PAGE).await.map_err(|e| e.to_string())?;
        for m in &page.msg_list {
            let body = serde_json::to_value(m).map_err(|e| e.to_string())?;
            let origin = i16::from(m.origin);
            // Events name their customer inside the event, not in the envelope.
            let customer = m
                .external_userid
                .clone()
                .or_else(|| m.body().and_then(|b| b.get("external_userid")).and_then(|c| c.as_str()).map(String::from));
            let new = tx
                .execute(
                    "insert into wecom_messages (corp, open_kfid, msgid, external_userid, origin, msgtype, send_time, body)
                     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
                    &[&corp.id, &open_kfid, &m.msgid, &customer, &origin, &m.msgtype, &m.send_time, &body],
                )
                .await
                .map_err(err)?;
            if new == 1 {
                added += 1;
                let event = Event::WecomMessage {
                    corp: corp.id,
                    open_kfid: open_kfid.to_string(),
                    external_userid: customer.clone(),
                    msgid: m.msgid.clone(),
                };
                announce(&tx, &event).await.map_err(|f| f.message)?;
            }
        }
        let next = if page.next_cursor.is_empty() { cursor.clone() } else { page.next_cursor.clone() };
        tx.execute(
            "update wecom_cursors set cursor = $3, read_at = now() where corp = $1 and open_kfid = $2",
            &[&corp.id, &open_kfid, &next],
        )
        .await
        .map_err(err)?;
        tx.commit().await.map_err(err)?;
        if page.has_more != 1 || page.msg_list.is_empty() {
            return Ok(added);
        }
    }
}
