//! WeCom for the desktops, every WeChat call made from the server with its token:
//! - `GET/POST /api/v1/wecom/corps`: the connected corps (admins connect one; no secret is ever
//!   answered);
//! - `GET /api/v1/wecom/accounts`: the kf accounts the caller may use, by name;
//! - `GET …/corps/{corp}/accounts/{open_kfid}/conversations`: one row per customer;
//! - `GET/POST …/customers/{external_userid}/messages`: a conversation from the team's archive
//!   (with who sent what from which desktop), and sending a text through the server;
//! - `GET/PUT …/corps/{corp}/customers/{external_userid}/note`: the team's note;
//! - `GET /api/v1/wecom/search?q=…`: Chinese substring search over the shared archive.
//!
//! An agent reaches only the accounts granted to them; the check is here, at the server.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use kefu_wechat::limits::TEXT_BYTES;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Signed;
use crate::events::{announce, Event};
use crate::failure::Failure;
use crate::staff::sessions::Caller;
use crate::staff::{self, Role};
use crate::wecom::sending::{self, window, To};
use crate::wecom::{connect, corp, ConnectWecom, Corp};
use crate::{audit, AppState};

/// The longest note on a customer, in characters.
pub const NOTE_CHARS: usize = 1000;
/// The most messages one page of a conversation holds.
const PAGE_MAX: i64 = 500;

pub fn routes() -> Router<AppState> {
    let account = "/api/v1/wecom/corps/{corp}/accounts/{open_kfid}";
    Router::new()
        .route("/api/v1/wecom/corps", get(list_corps).post(connect_corp))
        .route("/api/v1/wecom/accounts", get(accounts))
        .route(&format!("{account}/conversations"), get(conversations))
        .route(&format!("{account}/customers/{{external_userid}}/messages"), get(messages).post(send))
        .route("/api/v1/wecom/corps/{corp}/customers/{external_userid}/note", get(note).put(set_note))
        .route("/api/v1/wecom/search", get(search))
}

async fn list_corps(State(state): State<AppState>, s: Signed) -> Result<Json<Value>, Failure> {
    s.overseer("see the connected corps")?;
    let db = state.db.get().await?;
    let rows = db.query("select id, corp_id, api_base from wecom_corps order by id", &[]).await?;
    let corps: Vec<Value> = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            json!({"id": id, "corp_id": r.get::<_, String>(1), "api_base": r.get::<_, String>(2),
                   "callback_path": format!("/callbacks/wecom/{id}")})
        })
        .collect();
    Ok(Json(json!({"corps": corps})))
}

#[derive(Deserialize)]
struct NewCorp {
    corp_id: String,
    secret: String,
    callback_token: String,
    encoding_aes_key: String,
    #[serde(default = "default_api_base")]
    api_base: String,
}

fn default_api_base() -> String {
    "https://qyapi.weixin.qq.com".into()
}

async fn connect_corp(
    State(state): State<AppState>,
    s: Signed,
    Json(n): Json<NewCorp>,
) -> Result<Json<Value>, Failure> {
    let c = s.admin("connect a corp")?;
    let corp_id = n.corp_id.trim().to_string();
    if corp_id.is_empty() || n.secret.trim().is_empty() || n.callback_token.trim().is_empty() {
        return Err(Failure::invalid("the CorpID, the secret and the callback Token are all needed"));
    }
    let id = connect(
        &state,
        ConnectWecom {
            corp_id: corp_id.clone(),
            secret: n.secret.trim().into(),
            callback_token: n.callback_token.trim().into(),
            encoding_aes_key: n.encoding_aes_key.trim().into(),
            api_base: n.api_base.trim().into(),
        },
    )
    .await
    .map_err(Failure::invalid)?;
    let db = state.db.get().await?;
    audit::record(&db, Some(&c), "corp_connected", json!({"corp": id, "corp_id": corp_id})).await?;
    Ok(Json(json!({"id": id, "callback_path": format!("/callbacks/wecom/{id}")})))
}

/// The corp `id` when it exists.
async fn find(state: &AppState, id: i64) -> Result<Corp, Failure> {
    corp(state, id).await.map_err(Failure::database)?.ok_or_else(|| Failure::not_found("corp"))
}

/// Refuses a caller not granted the account.
async fn may_use(state: &AppState, c: &Caller, corp: i64, open_kfid: &str) -> Result<(), Failure> {
    let db = state.db.get().await?;
    if staff::may_use_wecom(&db, &c.staff, corp, open_kfid).await? {
        Ok(())
    } else {
        Err(Failure::new(StatusCode::FORBIDDEN, "not_granted", "this account was not granted to you"))
    }
}

async fn accounts(State(state): State<AppState>, Signed(c): Signed) -> Result<Json<Value>, Failure> {
    let db = state.db.get().await?;
    let ids: Vec<i64> =
        db.query("select id from wecom_corps order by id", &[]).await?.iter().map(|r| r.get(0)).collect();
    let grants = staff::wecom_grants(&db, c.staff.id).await?;
    drop(db);
    let mut out = Vec::new();
    for id in ids {
        if c.staff.role == Role::Agent && !grants.iter().any(|g| g.0 == id) {
            continue;
        }
        let corp = find(&state, id).await?;
        let listed = match state.wecom.get(&corp) {
            Ok(client) => client.account_list().await.map_err(|e| Failure::wechat(&e)),
            Err(e) => Err(Failure::invalid(e)),
        };
        match listed {
            Ok(list) => {
                let accounts: Vec<Value> = list
                    .into_iter()
                    .filter(|a| c.staff.role.oversees() || grants.iter().any(|g| g.0 == id && g.1 == a.open_kfid))
                    .map(|a| json!({"open_kfid": a.open_kfid, "name": a.name, "avatar": a.avatar}))
                    .collect();
                out.push(json!({"corp": id, "corp_id": corp.corp_id, "accounts": accounts}));
            }
            Err(f) => out.push(json!({"corp": id, "corp_id": corp.corp_id, "accounts": [],
                                      "error": {"code": f.code, "errcode": f.errcode, "message": f.message}})),
        }
    }
    Ok(Json(json!({"corps": out})))
}

async fn note_of(db: &impl deadpool_postgres::GenericClient, corp: i64, customer: &str) -> Result<Value, Failure> {
    let row = db
        .query_opt(
            "select n.note, s.name, extract(epoch from n.updated_at)::bigint from wecom_notes n
               left join staff s on s.id = n.updated_by where n.corp = $1 and n.external_userid = $2",
            &[&corp, &customer],
        )
        .await?;
    Ok(row.map_or(
        Value::Null,
        |r| json!({"text": r.get::<_, String>(0), "by": r.get::<_, Option<String>>(1), "at": r.get::<_, i64>(2)}),
    ))
}

async fn conversations(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path((corp, open_kfid)): Path<(i64, String)>,
) -> Result<Json<Value>, Failure> {
    may_use(&state, &c, corp, &open_kfid).await?;
    let db = state.db.get().await?;
    let rows = db
        .query(
            "select external_userid, max(send_time), count(*), max(send_time) filter (where origin = 3)
               from wecom_messages where corp = $1 and open_kfid = $2 and external_userid is not null
              group by external_userid order by max(send_time) desc limit 500",
            &[&corp, &open_kfid],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let customer: String = r.get(0);
        let (_, replies) = window(&db, corp, &open_kfid, &customer).await?;
        out.push(json!({"external_userid": customer, "last_time": r.get::<_, i64>(1), "messages": r.get::<_, i64>(2),
                        "last_customer_time": r.get::<_, Option<i64>>(3), "replies": replies,
                        "note": note_of(&db, corp, &customer).await?}));
    }
    Ok(Json(json!({"conversations": out})))
}

#[derive(Deserialize)]
struct Page {
    /// Messages sent before this (Unix seconds); the newest when absent.
    before: Option<i64>,
    limit: Option<i64>,
}

async fn messages(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path((corp, open_kfid, customer)): Path<(i64, String, String)>,
    Query(p): Query<Page>,
) -> Result<Json<Value>, Failure> {
    may_use(&state, &c, corp, &open_kfid).await?;
    let db = state.db.get().await?;
    let rows = db
        .query(
            "select * from (
               select m.body, m.sent_by, s.name, m.desktop, m.send_time, m.archived_at, m.msgid from wecom_messages m
                 left join staff s on s.id = m.sent_by
                where m.corp = $1 and m.open_kfid = $2 and m.external_userid = $3 and ($4::bigint is null or m.send_time < $4)
                order by m.send_time desc, m.archived_at desc, m.msgid desc limit $5) page
             order by send_time, archived_at, msgid",
            &[&corp, &open_kfid, &customer, &p.before, &p.limit.unwrap_or(200).clamp(1, PAGE_MAX)],
        )
        .await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let sent_by = r.get::<_, Option<i64>>(1).map(|id| json!({"id": id, "name": r.get::<_, Option<String>>(2)}));
            json!({"message": r.get::<_, Value>(0), "sent_by": sent_by, "desktop": r.get::<_, Option<String>>(3)})
        })
        .collect();
    let (last_customer_time, replies) = window(&db, corp, &open_kfid, &customer).await?;
    Ok(Json(json!({"messages": list, "last_customer_time": last_customer_time, "replies": replies,
                   "note": note_of(&db, corp, &customer).await?})))
}

#[derive(Deserialize)]
struct Outgoing {
    text: String,
    /// The desktop's own msgid for this message: sending it again sends nothing twice.
    msgid: Option<String>,
}

async fn send(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path((corp_id, open_kfid, customer)): Path<(i64, String, String)>,
    Json(o): Json<Outgoing>,
) -> Result<Json<Value>, Failure> {
    may_use(&state, &c, corp_id, &open_kfid).await?;
    if o.text.trim().is_empty() {
        return Err(Failure::invalid("the message is empty"));
    }
    if o.text.len() > TEXT_BYTES {
        return Err(Failure::invalid(format!("a text message holds at most {TEXT_BYTES} bytes")));
    }
    let corp = find(&state, corp_id).await?;
    let to = To::Customer { open_kfid: &open_kfid, external_userid: &customer };
    let sent = sending::send(&state, &c, &corp, to, "text", json!({"content": o.text}), o.msgid).await?;
    Ok(Json(
        json!({"msgid": sent.msgid, "send_time": sent.send_time, "replies": sent.replies, "already_sent": sent.already_sent}),
    ))
}

/// Refuses an agent who has no granted account the customer wrote to.
async fn may_note(state: &AppState, c: &Caller, corp: i64, customer: &str) -> Result<(), Failure> {
    if c.staff.role.oversees() {
        return Ok(());
    }
    let db = state.db.get().await?;
    let granted = db
        .query_opt(
            "select 1 from wecom_messages m join staff_wecom_grants g
                on g.staff = $3 and g.corp = m.corp and g.open_kfid = m.open_kfid
              where m.corp = $1 and m.external_userid = $2 limit 1",
            &[&corp, &customer, &c.staff.id],
        )
        .await?;
    granted.map(|_| ()).ok_or_else(|| {
        Failure::new(StatusCode::FORBIDDEN, "not_granted", "this customer wrote to no account granted to you")
    })
}

async fn note(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path((corp, customer)): Path<(i64, String)>,
) -> Result<Json<Value>, Failure> {
    may_note(&state, &c, corp, &customer).await?;
    let db = state.db.get().await?;
    Ok(Json(json!({"note": note_of(&db, corp, &customer).await?})))
}

#[derive(Deserialize)]
struct NewNote {
    text: String,
}

async fn set_note(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path((corp, customer)): Path<(i64, String)>,
    Json(n): Json<NewNote>,
) -> Result<Json<Value>, Failure> {
    may_note(&state, &c, corp, &customer).await?;
    let text = n.text.trim();
    if text.chars().count() > NOTE_CHARS {
        return Err(Failure::invalid(format!("a note holds at most {NOTE_CHARS} characters")));
    }
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    if text.is_empty() {
        tx.execute("delete from wecom_notes where corp = $1 and external_userid = $2", &[&corp, &customer]).await?;
    } else {
        tx.execute(
            "insert into wecom_notes (corp, external_userid, note, updated_by) values ($1, $2, $3, $4)
             on conflict (corp, external_userid) do update set note = excluded.note, updated_by = excluded.updated_by, updated_at = now()",
            &[&corp, &customer, &text, &c.staff.id],
        )
        .await?;
    }
    audit::record(
        &tx,
        Some(&c),
        "note_changed",
        json!({"corp": corp, "external_userid": customer, "chars": text.chars().count()}),
    )
    .await?;
    announce(&tx, &Event::WecomNote { corp, external_userid: customer.clone() }).await?;
    let note = note_of(&tx, corp, &customer).await?;
    tx.commit().await?;
    Ok(Json(json!({"note": note})))
}

/// The longest search, in characters.
pub const SEARCH_CHARS: usize = 100;
/// The most results one search answers.
const SEARCH_MAX: i64 = 200;
/// How many of the newest messages a search looks through first.
const SEARCH_RECENT: i64 = 20_000;

/// The search of `from` (the archive or its newest part), narrowed by `narrow`; parameters:
/// the words, the LIKE pattern, the corp, before when, whether the caller sees every account,
/// the caller, how many.
fn search_sql(from: &str, narrow: &str) -> String {
    format!(
        "select m.corp, m.open_kfid, m.external_userid, m.body, s.name, m.desktop, m.send_time
           from {from} m left join staff s on s.id = m.sent_by
          where {narrow} $1::text <> '' and m.search_text like $2 escape '\\'
            and ($3::bigint is null or m.corp = $3)
            and ($4::bigint is null or m.send_time < $4)
            and ($5 or exists (select 1 from staff_wecom_grants g
                                where g.staff = $6 and g.corp = m.corp and g.open_kfid = m.open_kfid))
          order by m.send_time desc, m.seq desc limit $7"
    )
}

#[derive(Deserialize)]
struct Search {
    q: String,
    corp: Option<i64>,
    /// Messages sent before this (Unix seconds), for the next page.
    before: Option<i64>,
    limit: Option<i64>,
}

/// `text` for a LIKE pattern: a backslash, `%` and `_` stand for themselves.
fn like_escaped(text: &str) -> String {
    text.chars().fold(String::new(), |mut out, c| {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
        out
    })
}

/// Text messages holding `q` (any case), newest first, in the accounts the caller may use. A
/// word of two or more characters is found through the bigram index (migration 003).
async fn search(
    State(state): State<AppState>,
    Signed(c): Signed,
    Query(p): Query<Search>,
) -> Result<Json<Value>, Failure> {
    let q = p.q.trim().to_lowercase();
    let n = q.chars().count();
    if n == 0 || n > SEARCH_CHARS {
        return Err(Failure::invalid(format!("a search has 1 to {SEARCH_CHARS} characters")));
    }
    let limit = p.limit.unwrap_or(50).clamp(1, SEARCH_MAX);
    let pattern = format!("%{}%", like_escaped(&q));
    let (oversees, me, wanted) = (c.staff.role.oversees(), c.staff.id, limit + 1);
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
        [&q, &pattern, &p.corp, &p.before, &oversees, &me, &wanted];
    let db = state.db.get().await?;
    // First the newest messages only: a common word has its newest matches there (a few
    // milliseconds). Then, when they held too few, the whole archive through the bigram index
    // (a rare word: few rows to fetch) — or, for one character, which has no bigram, a scan.
    let recent = format!(
        "(select * from wecom_messages where $4::bigint is null or send_time < $4
                           order by send_time desc, seq desc limit {SEARCH_RECENT})"
    );
    let mut rows = db.query(&search_sql(&recent, ""), &params).await?;
    if (rows.len() as i64) < wanted {
        let narrow = if n >= 2 { "m.search_bigrams @> kefu_bigrams($1::text) and" } else { "" };
        rows = db.query(&search_sql("wecom_messages", narrow), &params).await?;
    }
    let more = rows.len() as i64 > limit;
    let results: Vec<Value> = rows
        .iter()
        .take(limit as usize)
        .map(|r| {
            json!({"corp": r.get::<_, i64>(0), "open_kfid": r.get::<_, String>(1), "external_userid": r.get::<_, Option<String>>(2),
                   "message": r.get::<_, Value>(3), "sent_by": r.get::<_, Option<String>>(4), "desktop": r.get::<_, Option<String>>(5)})
        })
        .collect();
    Ok(Json(json!({"results": results, "more": more})))
}
