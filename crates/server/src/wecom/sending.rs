//! Sending to a customer through the server, for the desktops' API and their gateway alike:
//! the sending window counted over the whole team's sends (48 hours after the customer's last
//! message, at most 5 — document/path/94677), one sender per conversation at a time across
//! instances (one writer per account, see `lock_account`), a desktop's msgid that makes a retry send nothing twice, and the sent message
//! archived with who sent it from which desktop (sync_msg never returns it), audited and
//! announced in the same transaction.

use axum::http::StatusCode;
use deadpool_postgres::GenericClient;
use kefu_wechat::clock::now_secs;
use kefu_wechat::wecom::{replies, valid_msgid, Replies};
use serde_json::{json, Value};

use super::Corp;
use crate::events::{announce, Event};
use crate::failure::Failure;
use crate::staff::sessions::Caller;
use crate::{audit, AppState};

/// WeCom's errcodes for a full window: 5 sent (95001), 48 hours passed (95002).
pub const ERR_5_REPLIES: i64 = 95001;
pub const ERR_48_HOURS: i64 = 95002;

/// The customer's last message and the replies left after the sends through the server.
pub async fn window(
    db: &impl GenericClient,
    corp: i64,
    open_kfid: &str,
    customer: &str,
) -> Result<(Option<i64>, Replies), Failure> {
    let r = db
        .query_one(
            "with last as (select max(send_time) t from wecom_messages
                            where corp = $1 and open_kfid = $2 and external_userid = $3 and origin = 3)
             select (select t from last),
                    (select count(*) from wecom_messages, last
                      where corp = $1 and open_kfid = $2 and external_userid = $3 and origin = 0 and send_time >= last.t)",
            &[&corp, &open_kfid, &customer],
        )
        .await?;
    let last: Option<i64> = r.get(0);
    let sent: i64 = r.get(1);
    Ok((last, replies(last, u32::try_from(sent).unwrap_or(u32::MAX), now_secs())))
}

fn new_msgid() -> String {
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).expect("the OS random source");
    format!("kds{}", raw.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// What a send did.
#[derive(Debug)]
pub struct Sent {
    pub msgid: String,
    pub send_time: i64,
    pub replies: Replies,
    /// The msgid had been sent already: nothing was sent now.
    pub already_sent: bool,
}

/// To whom a message goes: a customer of an account, or whoever a single-use event code
/// (welcome, ending…) belongs to.
pub enum To<'a> {
    Customer { open_kfid: &'a str, external_userid: &'a str },
    EventCode(&'a str),
}

/// Sends `payload` of `msgtype` as `by`; the message is in the archive when this returns Ok.
pub async fn send(
    state: &AppState,
    by: &Caller,
    corp: &Corp,
    to: To<'_>,
    msgtype: &str,
    payload: Value,
    msgid: Option<String>,
) -> Result<Sent, Failure> {
    let msgid = match msgid.filter(|m| !m.is_empty()) {
        Some(m) if valid_msgid(&m) => m,
        Some(_) => return Err(Failure::invalid("a msgid has 1 to 32 letters, digits, '_' or '-'")),
        None => new_msgid(),
    };
    let client = state.wecom.get(corp).map_err(Failure::invalid)?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    // Whom an event code belongs to: the customer of the event that carried it.
    let (open_kfid, customer) = match &to {
        To::Customer { open_kfid, external_userid } => (open_kfid.to_string(), Some(external_userid.to_string())),
        To::EventCode(code) => {
            let row = tx
                .query_opt(
                    "select open_kfid, external_userid from wecom_messages where corp = $1 and msgtype = 'event'
                       and $2 in (body->'event'->>'welcome_code', body->'event'->>'msg_code') limit 1",
                    &[&corp.id, code],
                )
                .await?;
            match row {
                Some(r) => (r.get(0), r.get(1)),
                None => (String::new(), None),
            }
        }
    };
    let customer_key = customer.as_deref().unwrap_or("");
    // One writer per account at a time, across instances: the 5th reply is sent once, and the
    // account's archive grows in the order its rows commit (the gateway's cursor relies on it).
    super::lock_account(&tx, corp.id, &open_kfid).await?;
    let before = tx
        .query_opt(
            "select send_time from wecom_messages where corp = $1 and msgid = $2 and origin = 0",
            &[&corp.id, &msgid],
        )
        .await?;
    if let Some(r) = before {
        let (_, replies) = window(&tx, corp.id, &open_kfid, customer_key).await?;
        return Ok(Sent { msgid, send_time: r.get(0), replies, already_sent: true });
    }
    if let To::Customer { .. } = to {
        let (last, replies) = window(&tx, corp.id, &open_kfid, customer_key).await?;
        let refuse = |errcode, code, message: &str| Failure {
            errcode: Some(errcode),
            ..Failure::new(StatusCode::CONFLICT, code, message)
        };
        if last.is_some() && replies.until.is_none() {
            return Err(refuse(
                ERR_48_HOURS,
                "send_refused_48_hours",
                "48 hours have passed since the customer's last message",
            ));
        }
        if last.is_some() && replies.left == 0 {
            return Err(refuse(
                ERR_5_REPLIES,
                "send_refused_5_replies",
                "5 messages were sent since the customer's last message",
            ));
        }
    }
    let wechat = match &to {
        To::Customer { open_kfid, external_userid } => {
            client.send_msg(open_kfid, external_userid, msgtype, payload.clone(), Some(&msgid)).await
        }
        To::EventCode(code) => {
            let mut p = payload.clone();
            if let Some(o) = p.as_object_mut() {
                o.remove("msgid");
            }
            client.send_msg_on_event_with_msgid(code, msgtype, p, &msgid).await
        }
    };
    wechat.map_err(|e| Failure::wechat(&e))?;
    let send_time = now_secs();
    let mut body = json!({"msgid": msgid, "open_kfid": open_kfid, "external_userid": customer, "send_time": send_time,
                          "origin": 0, "msgtype": msgtype});
    body[msgtype] = payload;
    tx.execute(
        "insert into wecom_messages (corp, open_kfid, msgid, external_userid, origin, msgtype, send_time, body, sent_by, desktop)
         values ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9)",
        &[&corp.id, &open_kfid, &msgid, &customer, &msgtype, &send_time, &body, &by.staff.id, &by.desktop],
    )
    .await?;
    let detail = json!({"corp": corp.id, "open_kfid": open_kfid, "external_userid": customer, "msgid": msgid, "msgtype": msgtype});
    audit::record(&tx, Some(by), "message_sent", detail).await?;
    let event = Event::WecomMessage {
        corp: corp.id,
        open_kfid: open_kfid.clone(),
        external_userid: customer.clone(),
        msgid: msgid.clone(),
    };
    announce(&tx, &event).await?;
    let (_, replies) = window(&tx, corp.id, &open_kfid, customer_key).await?;
    if let Err(e) = tx.commit().await {
        // WeCom has the message; the archive does not. Said in the log, without the message.
        tracing::error!(corp = corp.id, "a message was sent but could not be archived: {e}");
        return Err(Failure::database(e));
    }
    Ok(Sent { msgid, send_time, replies, already_sent: false })
}
