//! Signing in and out: `POST /api/v1/login` (login name, password, the desktop's name) answers a
//! session token and who signed in; `POST /api/v1/logout` ends the session; `GET /api/v1/me`;
//! `POST /api/v1/me/password` changes one's own password (the old one required).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Signed;
use crate::audit;
use crate::failure::Failure;
use crate::staff::{self, login_limit, passwords, sessions};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", post(change_password))
}

#[derive(Deserialize)]
struct Login {
    login: String,
    password: String,
    #[serde(default)]
    desktop: String,
}

async fn login(State(state): State<AppState>, Json(l): Json<Login>) -> Result<Json<Value>, Failure> {
    let wrong =
        || Failure::new(axum::http::StatusCode::UNAUTHORIZED, "wrong_password", "the login name or password is wrong");
    let Ok(login) = staff::normalize_login(&l.login) else {
        return Err(wrong());
    };
    let db = state.db.get().await?;
    if let Some(wait) = login_limit::wait_for(&db, &login).await? {
        return Err(Failure {
            retry_after: Some(wait),
            ..Failure::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "too_many_tries",
                "too many wrong passwords; wait",
            )
        });
    }
    let found = staff::credentials(&db, &login).await?;
    let (id, hash) = found.map_or((None, None), |(id, h)| (Some(id), Some(h)));
    if !passwords::verify(l.password, hash).await {
        login_limit::failed(&db, &login).await?;
        return Err(wrong());
    }
    let id = id.expect("a verified password has a staff member");
    login_limit::passed(&db, &login).await?;
    let token = sessions::open(&db, id, &l.desktop).await?;
    let caller = sessions::check(&db, &token).await?.ok_or_else(Failure::unauthorized)?;
    audit::record(&db, Some(&caller), "signed_in", json!({})).await?;
    Ok(Json(json!({"token": token, "staff": caller.staff})))
}

async fn logout(State(state): State<AppState>, Signed(c): Signed) -> Result<Json<Value>, Failure> {
    let db = state.db.get().await?;
    sessions::revoke(&db, &c.token_hash).await?;
    audit::record(&db, Some(&c), "signed_out", json!({})).await?;
    Ok(Json(json!({})))
}

async fn me(Signed(c): Signed) -> Json<Value> {
    Json(json!({"staff": c.staff, "desktop": c.desktop}))
}

#[derive(Deserialize)]
struct NewPassword {
    old: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    Signed(c): Signed,
    Json(p): Json<NewPassword>,
) -> Result<Json<Value>, Failure> {
    let db = state.db.get().await?;
    let hash = staff::credentials(&db, &c.staff.login).await?.map(|(_, h)| h);
    if !passwords::verify(p.old, hash).await {
        return Err(Failure::new(axum::http::StatusCode::FORBIDDEN, "wrong_password", "the current password is wrong"));
    }
    staff::update(&db, c.staff.id, None, None, None, Some(&p.new)).await?;
    audit::record(&db, Some(&c), "password_changed", json!({"staff": c.staff.id})).await?;
    Ok(Json(json!({})))
}
