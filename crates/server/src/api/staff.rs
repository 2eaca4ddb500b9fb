//! The team, managed by admins (supervisors may read it, to know whom to assign):
//! `GET/POST /api/v1/staff`, `PATCH /api/v1/staff/{id}` (name, role, disabled, password),
//! `POST /api/v1/staff/{id}/sessions/end`, `PUT /api/v1/staff/{id}/grants`. Disabling someone
//! or setting their password ends their sessions; the last enabled admin stays one.

use axum::extract::{Path, State};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Signed;
use crate::events::{announce, Event};
use crate::failure::Failure;
use crate::staff::{self, sessions, Role};
use crate::{audit, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staff", get(list).post(create))
        .route("/api/v1/staff/{id}", patch(change))
        .route("/api/v1/staff/{id}/sessions/end", post(end_sessions))
        .route("/api/v1/staff/{id}/grants", put(set_grants))
}

async fn list(State(state): State<AppState>, s: Signed) -> Result<Json<Value>, Failure> {
    s.overseer("see the team")?;
    let db = state.db.get().await?;
    let mut out = Vec::new();
    for m in staff::list(&db).await? {
        let grants = staff::wecom_grants(&db, m.id).await?;
        let wecom: Vec<Value> = grants.into_iter().map(|(corp, k)| json!({"corp": corp, "open_kfid": k})).collect();
        out.push(json!({"staff": m, "grants": {"wecom": wecom}}));
    }
    Ok(Json(json!({"staff": out})))
}

#[derive(Deserialize)]
struct NewStaff {
    login: String,
    name: String,
    role: Role,
    password: String,
}

async fn create(State(state): State<AppState>, s: Signed, Json(n): Json<NewStaff>) -> Result<Json<Value>, Failure> {
    let c = s.admin("add staff")?;
    let db = state.db.get().await?;
    let m = staff::create(&db, &n.login, &n.name, n.role, &n.password).await?;
    audit::record(&db, Some(&c), "staff_added", json!({"staff": m.id, "login": m.login, "role": m.role})).await?;
    Ok(Json(json!({"staff": m})))
}

#[derive(Deserialize)]
struct Change {
    name: Option<String>,
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<String>,
}

async fn change(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Json(ch): Json<Change>,
) -> Result<Json<Value>, Failure> {
    let c = s.admin("change staff")?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    // Serialise changes of roles: two admins demoting each other at once leave one.
    tx.execute("lock table staff in share row exclusive mode", &[]).await?;
    let before = staff::get(&tx, id).await?;
    let after = staff::update(&tx, id, ch.name.as_deref(), ch.role, ch.disabled, ch.password.as_deref()).await?;
    if before.role == Role::Admin && !before.disabled && staff::enabled_admins(&tx).await? == 0 {
        return Err(Failure::invalid("the last admin cannot be demoted or disabled"));
    }
    let ends = (after.disabled && !before.disabled) || ch.password.is_some();
    if ends {
        sessions::revoke_all(&tx, id).await?;
        announce(&tx, &Event::SessionsEnded { staff: id }).await?;
    }
    let changed: Vec<&str> = [
        ch.name.is_some().then_some("name"),
        ch.role.is_some().then_some("role"),
        ch.disabled.is_some().then_some("disabled"),
        ch.password.is_some().then_some("password"),
    ]
    .into_iter()
    .flatten()
    .collect();
    audit::record(
        &tx,
        Some(&c),
        "staff_changed",
        json!({"staff": id, "changed": changed, "role": after.role, "disabled": after.disabled}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(json!({"staff": after})))
}

async fn end_sessions(State(state): State<AppState>, s: Signed, Path(id): Path<i64>) -> Result<Json<Value>, Failure> {
    let c = s.admin("sign staff out")?;
    let mut db = state.db.get().await?;
    let tx = db.transaction().await?;
    staff::get(&tx, id).await?;
    let ended = sessions::revoke_all(&tx, id).await?;
    announce(&tx, &Event::SessionsEnded { staff: id }).await?;
    audit::record(&tx, Some(&c), "sessions_ended", json!({"staff": id, "sessions": ended})).await?;
    tx.commit().await?;
    Ok(Json(json!({"ended": ended})))
}

#[derive(Deserialize)]
struct Grants {
    #[serde(default)]
    wecom: Vec<WecomGrant>,
}

#[derive(Deserialize)]
struct WecomGrant {
    corp: i64,
    open_kfid: String,
}

async fn set_grants(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Json(g): Json<Grants>,
) -> Result<Json<Value>, Failure> {
    let c = s.admin("grant accounts")?;
    let mut db = state.db.get().await?;
    staff::get(&db, id).await?;
    let grants: Vec<(i64, String)> = g.wecom.into_iter().map(|g| (g.corp, g.open_kfid)).collect();
    let corps: Vec<i64> = grants.iter().map(|g| g.0).collect();
    let known: i64 =
        db.query_one("select count(distinct id) from wecom_corps where id = any($1)", &[&corps]).await?.get(0);
    if known as usize != corps.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(Failure::invalid("a granted account's corp is not connected to this server"));
    }
    staff::set_wecom_grants(&mut db, id, &grants).await?;
    announce(&db, &Event::Grants { staff: id }).await?;
    let listed: Vec<Value> = grants.iter().map(|(corp, k)| json!({"corp": corp, "open_kfid": k})).collect();
    audit::record(&db, Some(&c), "grants_changed", json!({"staff": id, "wecom": listed})).await?;
    Ok(Json(json!({"grants": {"wecom": listed}})))
}
