//! The WeCom Conversations page's domain: who wrote lately, in which session state, what was
//! said (from the archive), and the supervisor's actions — moving a session, sending as the kf
//! account, answering an event code. `poller` reads live into the archive, `relay` is the seam
//! for a company's callback relay, `rules` the checks made before WeCom is asked, `media` the
//! pictures and files customers sent, fetched when opened.

pub mod media;
mod outgoing;
pub mod poller;
pub mod relay;
pub mod rules;
mod start;

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use serde_json::{json, Value};

pub use crate::clock::now_secs;
use crate::error::Fault;
use crate::wechat::wecom::{KfMessage, SessionState, WecomClient};
use crate::wecom::archive::{
    Archive, ArchivedMessage, CachedCustomer, CachedState, ConversationRow, SendWindow, ORIGIN_APP,
};
pub use outgoing::Outgoing;
pub use poller::{PollerConfig, Reader, ReaderStatus};
pub use start::{reader, welcome_words};

/// The list shows conversations of the last 3 days (what WeCom itself still holds).
pub const LIST_WINDOW_SECS: i64 = 3 * 86_400;
const LIST_LIMIT: usize = 500;
/// A state older than this is asked again when the list loads.
const STATE_STALE_SECS: i64 = 300;
/// Customer names and avatars are asked again after this.
const CUSTOMER_STALE_SECS: i64 = 6 * 3600;
/// At most this many service_state/get calls per load (the newest first), 5 at a time.
const STATE_CHECKS_PER_LOAD: usize = 60;
const CONCURRENT_CALLS: usize = 5;
/// batchget knows a customer only within 48 hours of their last activity.
const CUSTOMER_ACTIVE_SECS: i64 = 48 * 3600;

/// One row of the list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Row {
    #[serde(flatten)]
    pub conversation: ConversationRow,
    pub customer: Option<CachedCustomer>,
    pub state: Option<CachedState>,
}

/// The list, and the first thing that kept it from being fresh (the archive is still shown).
pub struct Overview {
    pub rows: Vec<Row>,
    pub stale: Option<Fault>,
}

/// Runs archive work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    archive: &Arc<Archive>,
    f: impl FnOnce(&Archive) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Fault> {
    let a = archive.clone();
    tokio::task::spawn_blocking(move || f(&a))
        .await
        .map_err(Fault::internal)?
        .map_err(|e| poller::archive_fault(&e.to_string()))
}

/// Runs file work off the async runtime.
pub async fn blocking_io<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(std::io::Error::other)?
}

/// The conversations of the last 3 days (of one account, or all), with names and states —
/// asked of WeCom where the cache is missing or stale.
pub async fn overview(
    client: &WecomClient,
    archive: &Arc<Archive>,
    open_kfid: Option<String>,
    now: i64,
) -> Result<Overview, Fault> {
    let convs =
        blocking(archive, move |a| a.conversations(open_kfid.as_deref(), now - LIST_WINDOW_SECS, LIST_LIMIT)).await?;
    let mut stale = None;
    let ids: Vec<String> =
        convs.iter().map(|c| c.external_userid.clone()).collect::<HashSet<_>>().into_iter().collect();
    let active: Vec<(String, i64)> = convs.iter().map(|c| (c.external_userid.clone(), c.last_time)).collect();
    if let Err(f) = refresh_customers(client, archive, ids.clone(), active, now).await {
        stale.get_or_insert(f);
    }
    let keys: Vec<(String, String)> = convs.iter().map(|c| (c.open_kfid.clone(), c.external_userid.clone())).collect();
    let known = blocking(archive, {
        let keys = keys.clone();
        move |a| a.states(&keys)
    })
    .await?;
    let due: Vec<(String, String)> = convs
        .iter()
        .filter(|c| {
            known
                .get(&(c.open_kfid.clone(), c.external_userid.clone()))
                .is_none_or(|s| s.checked_at < c.last_time || now - s.checked_at > STATE_STALE_SECS)
        })
        .take(STATE_CHECKS_PER_LOAD)
        .map(|c| (c.open_kfid.clone(), c.external_userid.clone()))
        .collect();
    if let Err(f) = refresh_states(client, archive, due, now).await {
        stale.get_or_insert(f);
    }
    let customers = blocking(archive, move |a| a.customers(&ids)).await?;
    let mut states = blocking(archive, move |a| a.states(&keys)).await?;
    let rows = convs
        .into_iter()
        .map(|c| Row {
            customer: customers.get(&c.external_userid).cloned(),
            state: states.remove(&(c.open_kfid.clone(), c.external_userid.clone())),
            conversation: c,
        })
        .collect();
    Ok(Overview { rows, stale })
}

/// Asks batchget (≤100 a call) for customers not known or known too long ago, among those
/// active in the last 48 hours (WeCom answers nothing for the others).
async fn refresh_customers(
    client: &WecomClient,
    archive: &Arc<Archive>,
    ids: Vec<String>,
    active: Vec<(String, i64)>,
    now: i64,
) -> Result<(), Fault> {
    let cached = blocking(archive, move |a| a.customers(&ids)).await?;
    let mut wanted: Vec<String> = Vec::new();
    for (id, last) in active {
        let fresh =
            cached.get(&id).is_some_and(|c| now - c.fetched_at < CUSTOMER_STALE_SECS && c.fetched_at >= last.min(now));
        if !fresh && now - last <= CUSTOMER_ACTIVE_SECS && !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let got = client.customers(&wanted, true).await?;
    blocking(archive, move |a| a.store_customers(&got.customer_list, &got.invalid_external_userid, now)).await
}

/// service_state/get for each of `keys`, 5 at a time; the answers are kept. The first failure
/// is returned after the others were tried.
async fn refresh_states(
    client: &WecomClient,
    archive: &Arc<Archive>,
    keys: Vec<(String, String)>,
    now: i64,
) -> Result<(), Fault> {
    let answers: Vec<_> = stream::iter(keys)
        .map(|(k, c)| async move {
            let r = client.service_state(&k, &c).await;
            (k, c, r)
        })
        .buffer_unordered(CONCURRENT_CALLS)
        .collect()
        .await;
    let mut first = None;
    let mut found = Vec::new();
    for (k, c, r) in answers {
        match r {
            Ok(s) => found.push((k, c, s)),
            Err(e) => {
                first.get_or_insert(Fault::Api(e));
            }
        }
    }
    blocking(archive, move |a| {
        for (k, c, s) in found {
            a.store_state(&k, &c, s.service_state, &s.servicer_userid, now)?;
        }
        Ok(())
    })
    .await?;
    first.map_or(Ok(()), Err)
}

/// One conversation in full, as the conversation view shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Detail {
    pub open_kfid: String,
    pub external_userid: String,
    pub messages: Vec<ArchivedMessage>,
    pub state: CachedState,
    /// The states it can be moved to now.
    pub moves: Vec<SessionState>,
    pub customer: Option<CachedCustomer>,
    pub replies: rules::Replies,
    pub first_contact: Option<i64>,
    pub last_contact: Option<i64>,
}

/// The last messages shown in a conversation.
const DETAIL_MESSAGES: usize = 500;

/// One customer's conversation with one kf account, and where to act on it.
#[derive(Clone, Copy)]
pub struct Party<'a> {
    pub client: &'a WecomClient,
    pub archive: &'a Arc<Archive>,
    pub open_kfid: &'a str,
    pub external_userid: &'a str,
}

/// The conversation with its state asked of WeCom now (and kept); the customer from the cache,
/// asked with their entry context when missing.
pub async fn detail(p: &Party<'_>, now: i64) -> Result<(Detail, Option<Fault>), Fault> {
    let Party { client, archive, open_kfid, external_userid } = *p;
    let s = client.service_state(open_kfid, external_userid).await?;
    let (k, c) = (open_kfid.to_string(), external_userid.to_string());
    let state = CachedState { state: s.service_state, servicer_userid: s.servicer_userid.clone(), checked_at: now };
    let (messages, window, span, mut customer) = blocking(archive, move |a| {
        a.store_state(&k, &c, s.service_state, &s.servicer_userid, now)?;
        let customer = a.customers(std::slice::from_ref(&c))?.remove(&c);
        Ok((a.conversation(&k, &c, DETAIL_MESSAGES)?, a.send_window(&k, &c)?, a.contact_span(&c)?, customer))
    })
    .await?;
    let mut stale = None;
    if customer.as_ref().is_none_or(|c| c.context.is_none() && !c.invalid) {
        match refresh_customers(
            client,
            archive,
            vec![external_userid.to_string()],
            vec![(external_userid.to_string(), now)],
            now,
        )
        .await
        {
            Ok(()) => {
                let c = external_userid.to_string();
                customer =
                    blocking(archive, move |a| a.customers(std::slice::from_ref(&c))).await?.remove(external_userid);
            }
            Err(f) => stale = Some(f),
        }
    }
    let d = Detail {
        open_kfid: open_kfid.to_string(),
        external_userid: external_userid.to_string(),
        messages,
        moves: rules::moves_from(state.state).to_vec(),
        state,
        customer,
        replies: rules::replies(window, now),
        first_contact: span.map(|s| s.0),
        last_contact: span.map(|s| s.1),
    };
    Ok((d, stale))
}

/// The send window as it stands (for the composer's refusal before sending).
pub async fn window(archive: &Arc<Archive>, open_kfid: &str, external_userid: &str) -> Result<SendWindow, Fault> {
    let (k, c) = (open_kfid.to_string(), external_userid.to_string());
    blocking(archive, move |a| a.send_window(&k, &c)).await
}

/// What happened to a send.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Sent {
    pub msgid: String,
    /// The message had already reached WeCom on an earlier try: it was not sent again.
    pub already: bool,
}

/// Sends `payload` of `msgtype` as the account, once: the msgid chosen by the window makes a
/// retry after a lost answer safe. Refused before WeCom is asked when the state or the window
/// forbids it.
pub async fn send(p: &Party<'_>, msgid: &str, msgtype: &str, payload: Value, now: i64) -> Result<Sent, Fault> {
    let Party { client, archive, open_kfid, external_userid } = *p;
    rules::check_msgid(msgid)?;
    let id = msgid.to_string();
    if blocking(archive, move |a| a.has_sent(&id)).await? {
        return Ok(Sent { msgid: msgid.to_string(), already: true });
    }
    let s = client.service_state(open_kfid, external_userid).await?;
    {
        let (k, c, servicer) = (open_kfid.to_string(), external_userid.to_string(), s.servicer_userid.clone());
        blocking(archive, move |a| a.store_state(&k, &c, s.service_state, &servicer, now)).await?;
    }
    let w = window(archive, open_kfid, external_userid).await?;
    if let Some(refusal) = rules::send_refusal(s.service_state, w, now) {
        return Err(refusal);
    }
    let already = match client.send_msg(open_kfid, external_userid, msgtype, payload.clone(), Some(msgid)).await {
        Ok(_) => false,
        // An earlier try reached WeCom but its answer was lost: WeCom refuses a msgid used
        // before on the account (document/path/94677; the exact errcode is not documented).
        Err(e) if e.errcode() == Some(40058) && e.to_string().contains("msgid") => true,
        Err(e) => return Err(e.into()),
    };
    keep_sent(archive, open_kfid, external_userid, msgid, msgtype, payload, now).await?;
    Ok(Sent { msgid: msgid.to_string(), already })
}

/// Sends the welcome, queue, or ending words a `code` allows (single use), as the account.
pub async fn send_on_event(p: &Party<'_>, code: &str, msgid: &str, text: &str, now: i64) -> Result<Sent, Fault> {
    let Party { client, archive, open_kfid, external_userid } = *p;
    rules::check_msgid(msgid)?;
    let payload = json!({ "content": text });
    let id = client.send_msg_on_event(code, "text", payload.clone()).await?;
    keep_sent(archive, open_kfid, external_userid, if id.is_empty() { msgid } else { &id }, "text", payload, now)
        .await?;
    Ok(Sent { msgid: id, already: false })
}

pub(crate) async fn keep_sent(
    archive: &Arc<Archive>,
    open_kfid: &str,
    external_userid: &str,
    msgid: &str,
    msgtype: &str,
    payload: Value,
    now: i64,
) -> Result<(), Fault> {
    let mut item = json!({"msgid": msgid, "open_kfid": open_kfid, "external_userid": external_userid, "send_time": now, "origin": ORIGIN_APP, "msgtype": msgtype});
    item[msgtype] = payload;
    let m: KfMessage = serde_json::from_value(item).map_err(Fault::internal)?;
    blocking(archive, move |a| a.record_sent(&m)).await.map(|_| ())
}

/// Moves a conversation (to 3 with a servicer), keeping the new state; WeCom's msg_code when
/// it gives one (for the queue, accept or ending words).
pub async fn move_to(
    p: &Party<'_>,
    to: SessionState,
    servicer: Option<&str>,
    now: i64,
) -> Result<Option<String>, Fault> {
    let Party { client, archive, open_kfid, external_userid } = *p;
    let code = client.trans_service_state(open_kfid, external_userid, to, servicer).await?;
    let (k, c, s) = (
        open_kfid.to_string(),
        external_userid.to_string(),
        if to == SessionState::Servicer { servicer.unwrap_or("").to_string() } else { String::new() },
    );
    blocking(archive, move |a| a.store_state(&k, &c, to, &s, now)).await?;
    Ok(code)
}
