//! The WeCom API as a signed-in desktop sees it, so that its pages work through the server
//! unchanged: the desktop's profile points its API address at `/gateway/wecom/{corp}`, its token
//! relay at `/gateway/wecom/{corp}/token` (the staff session token as the relay's credential)
//! and its callback relay at `/gateway/wecom/{corp}/callbacks`. The desktop never holds a WeChat
//! secret or token: the gateway swaps its ticket for the corp's access_token, calls WeCom from
//! the server's address, and answers in WeCom's shape.
//!
//! Each endpoint is allowed by [`ENDPOINTS`] with the role it needs; an agent reaches only the
//! accounts granted (`open_kfid` of the request). `sync_msg` is answered from the archive,
//! sending goes through `sending` (archived, audited, the window counted over the team), and
//! `account/list` shows an agent their accounts only. Refusals are WeCom's errcodes: 40014 and
//! 42001 for a ticket (the desktop refreshes once), 48002 for what the staff member may not do.
//! Module map: `tickets`, `archive` (sync_msg and the feed).

mod archive;
pub mod tickets;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use kefu_wechat::http::Body;
use kefu_wechat::transport::{Call, Kind};
use kefu_wechat::ApiError;
use serde_json::{json, Value};

use self::tickets::Standing;
use super::sending::{self, To};
use super::{corp, Corp};
use crate::api::Signed;
use crate::failure::Failure;
use crate::staff::sessions::Caller;
use crate::staff::{self, Role};
use crate::AppState;

/// WeCom's "no permission for this API", for what a staff member may not do.
pub const ERR_NOT_ALLOWED: i64 = 48002;
/// The largest upload passed on (WeCom's own cap for a file is 20 MB).
const UPLOAD_MAX: usize = 20 << 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gateway/wecom/{corp}/token", get(token))
        .route("/gateway/wecom/{corp}/callbacks", get(callbacks))
        .route("/gateway/wecom/{corp}/cgi-bin/{*path}", any(api))
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_MAX + (1 << 16)))
}

/// Who may call an endpoint.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Anyone,
    Overseer,
    Admin,
}

/// An endpoint the gateway passes on.
struct Endpoint {
    path: &'static str,
    method: Method,
    kind: Kind,
    need: Need,
}

const fn ep(path: &'static str, get: bool, kind: Kind, need: Need) -> Endpoint {
    Endpoint { path, method: if get { Method::GET } else { Method::POST }, kind, need }
}

/// Every endpoint a desktop may reach through the gateway (document/path/94638 and the pages
/// it links); gettoken and anything else are not passed on.
const ENDPOINTS: &[Endpoint] = &[
    ep("/cgi-bin/kf/account/add", false, Kind::Write, Need::Admin),
    ep("/cgi-bin/kf/account/del", false, Kind::Write, Need::Admin),
    ep("/cgi-bin/kf/account/update", false, Kind::Write, Need::Admin),
    ep("/cgi-bin/kf/account/list", false, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/add_contact_way", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/servicer/add", false, Kind::Write, Need::Overseer),
    ep("/cgi-bin/kf/servicer/del", false, Kind::Write, Need::Overseer),
    ep("/cgi-bin/kf/servicer/list", true, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/get_corp_qualification", true, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/service_state/get", false, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/service_state/trans", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/sync_msg", false, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/send_msg", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/send_msg_on_event", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/customer/batchget", false, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/customer/get_upgrade_service_config", true, Kind::Read, Need::Anyone),
    ep("/cgi-bin/kf/customer/upgrade_service", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/customer/cancel_upgrade_service", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/kf/get_corp_statistic", false, Kind::Read, Need::Overseer),
    ep("/cgi-bin/kf/get_servicer_statistic", false, Kind::Read, Need::Overseer),
    ep("/cgi-bin/media/upload", false, Kind::Write, Need::Anyone),
    ep("/cgi-bin/media/get", true, Kind::Read, Need::Anyone),
];

/// Query parameters passed on (the access_token is the gateway's own).
const QUERY_KEYS: &[&str] = &["open_kfid", "media_id", "type"];

/// An answer in WeCom's shape: HTTP 200 with an errcode.
fn wecom_error(errcode: i64, errmsg: &str) -> Response {
    Json(json!({"errcode": errcode, "errmsg": errmsg})).into_response()
}

fn from_failure(f: Failure) -> Response {
    wecom_error(f.errcode.unwrap_or(-1), &f.message)
}

fn from_api_error(e: &ApiError) -> Response {
    match e {
        ApiError::WeChat { errcode, errmsg, .. } => wecom_error(*errcode, errmsg),
        // WeCom's own "system busy": the desktop retries a read, never a write.
        other => wecom_error(-1, &format!("system busy: KefuDesk Server could not reach WeCom ({other})")),
    }
}

async fn find(state: &AppState, id: i64) -> Result<Corp, Response> {
    match corp(state, id).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err((StatusCode::NOT_FOUND, "no such corp").into_response()),
        Err(e) => Err(from_failure(Failure::database(e))),
    }
}

/// The token relay: a ticket for the signed-in desktop.
async fn token(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path(corp): Path<i64>,
) -> Result<Json<Value>, Failure> {
    let db = state.db.get().await?;
    if db.query_opt("select 1 from wecom_corps where id = $1", &[&corp]).await?.is_none() {
        return Err(Failure::not_found("corp"));
    }
    let ticket = tickets::issue(&db, &c, corp).await?;
    Ok(Json(json!({"access_token": ticket, "expires_in": tickets::LIFE_SECS})))
}

/// The callback relay's feed.
async fn callbacks(
    State(state): State<AppState>,
    Signed(c): Signed,
    Path(corp): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Failure> {
    let after = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let db = state.db.get().await?;
    Ok(Json(archive::feed(&db, &c, corp, after).await?))
}

async fn api(
    State(state): State<AppState>,
    Path((corp_id, path)): Path<(i64, String)>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let path = format!("/cgi-bin/{path}");
    let Some(ep) = ENDPOINTS.iter().find(|e| e.path == path && e.method == req.method()) else {
        return wecom_error(ERR_NOT_ALLOWED, "this API is not passed on by KefuDesk Server");
    };
    let caller = {
        let db = match state.db.get().await {
            Ok(db) => db,
            Err(e) => return from_failure(e.into()),
        };
        match tickets::check(&db, q.get("access_token").map(String::as_str).unwrap_or_default(), corp_id).await {
            Ok(Standing::Valid(c)) => c,
            Ok(Standing::Expired) => return wecom_error(42001, "access_token expired"),
            Ok(Standing::Unknown) => return wecom_error(40014, "invalid access_token"),
            Err(f) => return from_failure(f),
        }
    };
    let allowed = match ep.need {
        Need::Anyone => true,
        Need::Overseer => caller.staff.role.oversees(),
        Need::Admin => caller.staff.role == Role::Admin,
    };
    if !allowed {
        return wecom_error(ERR_NOT_ALLOWED, "your role on KefuDesk Server may not do this");
    }
    let corp = match find(&state, corp_id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if ep.path == "/cgi-bin/media/upload" {
        return upload(&state, &corp, &q, req).await;
    }
    let body: Value = if ep.method == Method::POST {
        let bytes = match Bytes::from_request(req, &state).await {
            Ok(b) => b,
            Err(_) => return wecom_error(44001, "empty post data"),
        };
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(_) => return wecom_error(47001, "data format error"),
        }
    } else {
        Value::Null
    };
    let open_kfid =
        body["open_kfid"].as_str().or(q.get("open_kfid").map(String::as_str)).unwrap_or_default().to_string();
    if !open_kfid.is_empty() {
        match state.db.get().await {
            Ok(db) => match staff::may_use_wecom(&db, &caller.staff, corp.id, &open_kfid).await {
                Ok(true) => {}
                Ok(false) => {
                    return wecom_error(ERR_NOT_ALLOWED, "this account was not granted to you on KefuDesk Server")
                }
                Err(f) => return from_failure(f),
            },
            Err(e) => return from_failure(e.into()),
        }
    }
    match ep.path {
        "/cgi-bin/kf/sync_msg" if open_kfid.is_empty() => wecom_error(95000, "invalid open_kfid"),
        "/cgi-bin/kf/sync_msg" => {
            archive::sync(&state, &corp, &open_kfid, &body).await.map_or_else(from_failure, |v| Json(v).into_response())
        }
        "/cgi-bin/kf/send_msg" | "/cgi-bin/kf/send_msg_on_event" => send(&state, &caller, &corp, ep.path, body).await,
        _ => pass_on(&state, &caller, &corp, ep, body, &q).await,
    }
}

/// Passes `body` on to WeCom with the corp's token; an agent's account list shows theirs only.
async fn pass_on(
    state: &AppState,
    caller: &Caller,
    corp: &Corp,
    ep: &Endpoint,
    body: Value,
    q: &HashMap<String, String>,
) -> Response {
    let client = match state.wecom.get(corp) {
        Ok(c) => c,
        Err(e) => return wecom_error(-1, &e),
    };
    let mut call =
        Call { method: ep.method.clone(), path: ep.path, query: Vec::new(), body: Body::None, kind: ep.kind };
    if ep.method == Method::POST {
        call.body = Body::Json(body);
    }
    for k in QUERY_KEYS {
        if let Some(v) = q.get(*k) {
            call = call.query(k, v.clone());
        }
    }
    if ep.path == "/cgi-bin/media/get" {
        return match client.transport().download(&call).await {
            Ok(d) => ([(header::CONTENT_TYPE, d.content_type)], d.bytes).into_response(),
            Err(e) => from_api_error(&e),
        };
    }
    let mut answer = match client.transport().call_value(&call).await {
        Ok(v) => v,
        Err(e) => return from_api_error(&e),
    };
    if ep.path == "/cgi-bin/kf/account/list" && caller.staff.role == Role::Agent {
        let grants = match state.db.get().await {
            Ok(db) => match staff::wecom_grants(&db, caller.staff.id).await {
                Ok(g) => g,
                Err(f) => return from_failure(f),
            },
            Err(e) => return from_failure(e.into()),
        };
        if let Some(list) = answer["account_list"].as_array_mut() {
            list.retain(|a| grants.iter().any(|g| g.0 == corp.id && a["open_kfid"] == g.1.as_str()));
        }
    }
    Json(answer).into_response()
}

/// send_msg and send_msg_on_event: archived, audited, the team's window counted.
async fn send(state: &AppState, caller: &Caller, corp: &Corp, path: &str, body: Value) -> Response {
    let msgtype = body["msgtype"].as_str().unwrap_or_default().to_string();
    if msgtype.is_empty() || !body[&msgtype].is_object() {
        return wecom_error(40008, "invalid message type");
    }
    let msgid = body["msgid"].as_str().map(String::from);
    let (open_kfid, touser, code) = (
        body["open_kfid"].as_str().unwrap_or_default(),
        body["touser"].as_str().unwrap_or_default(),
        body["code"].as_str().unwrap_or_default(),
    );
    let to = if path == "/cgi-bin/kf/send_msg" {
        if open_kfid.is_empty() || touser.is_empty() {
            return wecom_error(40058, "touser and open_kfid are required");
        }
        To::Customer { open_kfid, external_userid: touser }
    } else {
        if code.is_empty() {
            return wecom_error(95007, "invalid msg code");
        }
        To::EventCode(code)
    };
    match sending::send(state, caller, corp, to, &msgtype, body[&msgtype].clone(), msgid).await {
        Ok(sent) => Json(json!({"errcode": 0, "errmsg": "ok", "msgid": sent.msgid})).into_response(),
        Err(f) => from_failure(f),
    }
}

/// media/upload: the desktop's multipart file passed on.
async fn upload(state: &AppState, corp: &Corp, q: &HashMap<String, String>, req: Request) -> Response {
    let kind: &'static str = match q.get("type").map(String::as_str) {
        Some("image") => "image",
        Some("voice") => "voice",
        Some("video") => "video",
        Some("file") => "file",
        _ => return wecom_error(40004, "invalid media type"),
    };
    let mut form = match Multipart::from_request(req, state).await {
        Ok(f) => f,
        Err(_) => return wecom_error(41005, "media data missing"),
    };
    let field = loop {
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some("media") => break f,
            Ok(Some(_)) => continue,
            _ => return wecom_error(41005, "media data missing"),
        }
    };
    let filename = field.file_name().unwrap_or("upload").to_string();
    let mime: &'static str = match field.content_type() {
        Some("image/png") => "image/png",
        Some("image/jpeg") => "image/jpeg",
        Some("image/gif") => "image/gif",
        Some("audio/amr") => "audio/amr",
        Some("video/mp4") => "video/mp4",
        _ => "application/octet-stream",
    };
    let bytes = match field.bytes().await {
        Ok(b) if b.len() <= UPLOAD_MAX => b,
        _ => return wecom_error(40006, "invalid media size"),
    };
    let client = match state.wecom.get(corp) {
        Ok(c) => c,
        Err(e) => return wecom_error(-1, &e),
    };
    let call = Call {
        body: Body::File { field: "media", filename, mime, bytes },
        ..Call::post("/cgi-bin/media/upload", Kind::Write, Value::Null)
    }
    .query("type", kind);
    match client.transport().call_value(&call).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => from_api_error(&e),
    }
}
