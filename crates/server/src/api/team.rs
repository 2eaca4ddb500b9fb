//! What the team shares besides the archive: quick replies (everyone reads them, supervisors
//! and admins write them) — `GET/POST /api/v1/quick-replies`, `DELETE /api/v1/quick-replies/{id}`
//! — and the audit log for supervisors and admins, `GET /api/v1/audit?before=&limit=`.

use axum::extract::{Path, Query, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use kefu_wechat::limits::TEXT_BYTES;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Signed;
use crate::events::{announce, Event};
use crate::failure::Failure;
use crate::{audit, AppState};

/// The most quick replies a team keeps.
pub const QUICK_REPLIES_MAX: i64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/quick-replies", get(quick_replies).post(add_quick_reply))
        .route("/api/v1/quick-replies/{id}", delete(remove_quick_reply))
        .route("/api/v1/audit", get(audit_log))
}

async fn quick_replies(State(state): State<AppState>, _s: Signed) -> Result<Json<Value>, Failure> {
    let db = state.db.get().await?;
    let rows = db.query("select id, text from quick_replies order by id", &[]).await?;
    let list: Vec<Value> =
        rows.iter().map(|r| json!({"id": r.get::<_, i64>(0), "text": r.get::<_, String>(1)})).collect();
    Ok(Json(json!({"quick_replies": list})))
}

#[derive(Deserialize)]
struct NewReply {
    text: String,
}

async fn add_quick_reply(
    State(state): State<AppState>,
    s: Signed,
    Json(n): Json<NewReply>,
) -> Result<Json<Value>, Failure> {
    let c = s.overseer("change the quick replies")?;
    let text = n.text.trim();
    if text.is_empty() || text.len() > TEXT_BYTES {
        return Err(Failure::invalid(format!("a quick reply holds 1 to {TEXT_BYTES} bytes")));
    }
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    let count: i64 = tx.query_one("select count(*) from quick_replies", &[]).await?.get(0);
    if count >= QUICK_REPLIES_MAX {
        return Err(Failure::invalid(format!("a team keeps at most {QUICK_REPLIES_MAX} quick replies")));
    }
    let id: i64 = tx
        .query_one("insert into quick_replies (text, created_by) values ($1, $2) returning id", &[&text, &c.staff.id])
        .await?
        .get(0);
    audit::record(&tx, Some(&c), "quick_reply_added", json!({"id": id})).await?;
    announce(&tx, &Event::QuickReplies).await?;
    tx.commit().await?;
    Ok(Json(json!({"id": id, "text": text})))
}

async fn remove_quick_reply(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Failure> {
    let c = s.overseer("change the quick replies")?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    if tx.execute("delete from quick_replies where id = $1", &[&id]).await? == 0 {
        return Err(Failure::not_found("quick reply"));
    }
    audit::record(&tx, Some(&c), "quick_reply_removed", json!({"id": id})).await?;
    announce(&tx, &Event::QuickReplies).await?;
    tx.commit().await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize)]
struct AuditPage {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn audit_log(
    State(state): State<AppState>,
    s: Signed,
    Query(p): Query<AuditPage>,
) -> Result<Json<Value>, Failure> {
    s.overseer("read the audit log")?;
    let db = state.db.get().await?;
    Ok(Json(json!({"entries": audit::page(&db, p.before, p.limit.unwrap_or(100)).await?})))
}
