//! Why a request failed, as the desktop receives it: `{code, errcode?, message, retry_after?}`
//! with an HTTP status. The desktop words it in its user's language by `code`; `message` is for
//! the operator (English) and never holds a secret, a token, a customer or a message.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kefu_wechat::ApiError;
use serde_json::json;

#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    /// `unauthorized`, `forbidden`, `not_found`, `invalid`, `too_many_tries`, `send_refused`,
    /// `wechat`, `unavailable`.
    pub code: &'static str,
    pub errcode: Option<i64>,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Failure {
        Failure { status, code, errcode: None, message: message.into(), retry_after: None }
    }

    pub fn unauthorized() -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in again")
    }

    pub fn forbidden(what: &str) -> Failure {
        Failure::new(StatusCode::FORBIDDEN, "forbidden", format!("your role may not {what}"))
    }

    pub fn not_found(what: &str) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, "not_found", format!("no such {what}"))
    }

    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    /// WeChat refused or could not be reached: its errcode rides along.
    pub fn wechat(e: &ApiError) -> Failure {
        Failure { errcode: e.errcode(), ..Failure::new(StatusCode::BAD_GATEWAY, "wechat", e.to_string()) }
    }

    /// The database is down or refused: logged here (without parameters), a plain 503 answered.
    pub fn database(e: impl std::fmt::Display) -> Failure {
        tracing::error!("the database: {e}");
        Failure::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the server's database is unavailable")
    }
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Failure {
        Failure::database(e)
    }
}

impl From<deadpool_postgres::PoolError> for Failure {
    fn from(e: deadpool_postgres::PoolError) -> Failure {
        Failure::database(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "errcode": self.errcode, "message": self.message, "retry_after": self.retry_after});
        let mut r = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after {
            r.headers_mut().insert(header::RETRY_AFTER, s.into());
        }
        r
    }
}
