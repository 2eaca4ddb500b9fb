//! What the desktops call, under `/api/v1`: JSON in and out, a staff session's token as
//! `Authorization: Bearer …`, failures as [`Failure`]. Module map: `session` (sign in and out),
//! `staff` (the team, admins only), `wecom` (accounts, conversations, sending, notes, search),
//! `mp` (Official Accounts), `team` (quick replies, the audit log), `live` (the stream of live
//! updates).

mod live;
mod mp;
mod session;
mod staff;
mod team;
mod wecom;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::Router;

use crate::failure::Failure;
use crate::staff::sessions::{self, Caller};
use crate::staff::Role;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(staff::routes())
        .merge(wecom::routes())
        .merge(mp::routes())
        .merge(team::routes())
        .merge(live::routes())
}

/// The signed-in staff member making the request.
pub struct Signed(pub Caller);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Signed, Failure> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(Failure::unauthorized)?;
        let db = state.db.get().await?;
        sessions::check(&db, token).await?.map(Signed).ok_or_else(Failure::unauthorized)
    }
}

impl Signed {
    /// The caller, when their role is `admin`.
    pub fn admin(self, what: &str) -> Result<Caller, Failure> {
        (self.0.staff.role == Role::Admin).then_some(self.0).ok_or_else(|| Failure::forbidden(what))
    }

    /// The caller, when they are a supervisor or an admin.
    pub fn overseer(self, what: &str) -> Result<Caller, Failure> {
        self.0.staff.role.oversees().then_some(self.0).ok_or_else(|| Failure::forbidden(what))
    }
}
