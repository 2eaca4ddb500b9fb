//! Fault injection and request counting, per endpoint path: tests (and trainers) can make any
//! endpoint answer an errcode, stall, return a 502 HTML page, malformed JSON or drop the
//! connection, for the next N requests or until cleared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::body::Bytes;
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

use super::wire::{json_response, str_field, WxErr};
use kefu_wechat::Platform;

/// What a faulty endpoint does instead of its job.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FaultKind {
    /// Answer `{"errcode": N, "errmsg": ...}`.
    Errcode { errcode: i64 },
    /// Only the delay; then the endpoint works.
    DelayOnly,
    /// HTTP 502 with an HTML page, as a gateway in front of WeChat sends.
    Http502,
    /// 200 with a body that is not JSON.
    MalformedJson,
    /// Start the response, then drop the connection (the endpoint does nothing).
    DropConnection,
    /// Do the endpoint's work, then lose the answer: the client cannot know it succeeded.
    DropResponse,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Pause before answering, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
    /// For the next `times` requests only; `None` until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// Only for requests whose body contains this text (one account's calls, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_body_contains: Option<String>,
}

impl Fault {
    pub fn errcode(errcode: i64) -> Self {
        Fault { kind: FaultKind::Errcode { errcode }, delay_ms: 0, times: None, when_body_contains: None }
    }
    pub fn kind(kind: FaultKind) -> Self {
        Fault { kind, delay_ms: 0, times: None, when_body_contains: None }
    }
    /// Only for requests whose body contains `text`.
    pub fn when_body_contains(mut self, text: impl Into<String>) -> Self {
        self.when_body_contains = Some(text.into());
        self
    }
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
    pub fn delay_ms(mut self, ms: u64) -> Self {
        self.delay_ms = ms;
        self
    }
}

/// Faults by path, and how many requests each path has seen.
#[derive(Debug, Default)]
pub struct Faults {
    /// Whose error shape an injected errcode takes.
    platform: Option<Platform>,
    by_path: HashMap<String, Fault>,
    counts: HashMap<String, u64>,
    serial: u64,
}

impl Faults {
    /// Faults of a sandbox of `platform`.
    pub fn for_platform(platform: Platform) -> Self {
        Faults { platform: Some(platform), ..Default::default() }
    }

    /// An error answer in the shape of this sandbox's platform.
    pub fn error_body(&self, err: &WxErr, serial: u64) -> serde_json::Value {
        match self.platform {
            Some(Platform::Wecom) => super::wecom::wire::error_body(err, serial),
            _ => super::mp::wire::error_body(err, serial),
        }
    }

    pub fn set(&mut self, path: &str, fault: Fault) {
        self.by_path.insert(path.to_string(), fault);
    }
    pub fn clear(&mut self) {
        self.by_path.clear();
    }
    pub fn count(&self, path: &str) -> u64 {
        self.counts.get(path).copied().unwrap_or(0)
    }
    pub fn counts(&self) -> &HashMap<String, u64> {
        &self.counts
    }
    pub fn reset_counts(&mut self) {
        self.counts.clear();
    }

    /// Counts the request and takes the fault that applies to it, if any.
    fn take(&mut self, path: &str, body: Option<&[u8]>) -> (Option<Fault>, u64) {
        *self.counts.entry(path.to_string()).or_default() += 1;
        self.serial += 1;
        let applies = |f: &Fault| {
            f.when_body_contains
                .as_ref()
                .is_none_or(|w| body.is_some_and(|b| b.windows(w.len().max(1)).any(|x| x == w.as_bytes())))
        };
        let fault = match self.by_path.get_mut(path).filter(|f| applies(f)) {
            Some(f) => match f.times {
                Some(0) => None,
                Some(ref mut n) => {
                    *n -= 1;
                    Some(f.clone())
                }
                None => Some(f.clone()),
            },
            None => None,
        };
        (fault, self.serial)
    }
}

pub type SharedFaults = Arc<Mutex<Faults>>;

/// What tests and trainers do to any running sandbox, whatever its platform: make a path
/// misbehave, and count the requests each path received.
pub trait FaultInjection {
    fn shared_faults(&self) -> &SharedFaults;

    /// Makes `path` misbehave (see [`Fault`]).
    fn set_fault(&self, path: &str, fault: Fault) {
        self.shared_faults().lock().expect("faults").set(path, fault);
    }

    fn clear_faults(&self) {
        self.shared_faults().lock().expect("faults").clear();
    }

    /// How many requests `path` has received (faulty ones included).
    fn requests(&self, path: &str) -> u64 {
        self.shared_faults().lock().expect("faults").count(path)
    }

    fn reset_request_counts(&self) {
        self.shared_faults().lock().expect("faults").reset_counts();
    }
}

/// Axum middleware applying [`Faults`] before the router sees the request.
pub async fn layer(State(faults): State<SharedFaults>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    // A fault for some bodies only: the body is read here and handed on unchanged.
    let looks_at_body =
        faults.lock().expect("faults lock").by_path.get(&path).is_some_and(|f| f.when_body_contains.is_some());
    let (req, seen) = if looks_at_body {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap_or_default();
        (Request::from_parts(parts, Body::from(bytes.clone())), Some(bytes))
    } else {
        (req, None)
    };
    // An injected errcode is worded now, in the shape of this sandbox's platform.
    let (fault, body) = {
        let mut f = faults.lock().expect("faults lock");
        let (fault, serial) = f.take(&path, seen.as_deref());
        let body = match &fault {
            Some(Fault { kind: FaultKind::Errcode { errcode }, .. }) => {
                Some(f.error_body(&WxErr::new(*errcode), serial))
            }
            _ => None,
        };
        (fault, body)
    };
    let Some(fault) = fault else { return next.run(req).await };
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    match fault.kind {
        FaultKind::DelayOnly => next.run(req).await,
        FaultKind::Errcode { .. } => json_response(&body.expect("errcode faults have a body")),
        FaultKind::Http502 => (
            StatusCode::BAD_GATEWAY,
            [(axum::http::header::CONTENT_TYPE, "text/html")],
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        )
            .into_response(),
        FaultKind::MalformedJson => (
            [(axum::http::header::CONTENT_TYPE, "application/json; encoding=utf-8")],
            "{\"errcode\":0,\"kf_list\":[{\"kf_account\":",
        )
            .into_response(),
        FaultKind::DropConnection | FaultKind::DropResponse => {
            if fault.kind == FaultKind::DropResponse {
                next.run(req).await;
            }
            let stream = futures_util::stream::once(async {
                Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "sandbox fault: connection dropped",
                ))
            });
            Response::builder()
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(stream))
                .expect("static response")
        }
    }
}

/// The control endpoints every sandbox shares: `/__sandbox/stats` and `/__sandbox/faults`.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    SharedFaults: FromRef<S>,
{
    Router::new().route("/__sandbox/stats", get(stats)).route("/__sandbox/faults", post(set_fault).delete(clear_faults))
}

async fn stats(State(faults): State<SharedFaults>) -> Response {
    let counts = faults.lock().expect("faults").counts().clone();
    json_response(&json!({ "errcode": 0, "errmsg": "ok", "requests": counts }))
}

/// `{"path": "/cgi-bin/customservice/getkflist", "kind": "errcode", "errcode": -1, "times": 2, "delay_ms": 0}`
async fn set_fault(State(faults): State<SharedFaults>, body: Bytes) -> Response {
    let parsed = super::wire::json_body(&body).and_then(|b| {
        let path = str_field(&b, "path").to_string();
        let fault: Fault =
            serde_json::from_value(b).map_err(|e| WxErr::with_msg(40097, format!("invalid args: {e}")))?;
        if !path.starts_with('/') {
            return Err(WxErr::with_msg(40097, "invalid args: path must start with /"));
        }
        Ok((path, fault))
    });
    let mut f = faults.lock().expect("faults");
    match parsed {
        Ok((path, fault)) => {
            f.set(&path, fault);
            json_response(&json!({ "errcode": 0, "errmsg": "ok" }))
        }
        Err(e) => json_response(&f.error_body(&e, 0)),
    }
}

async fn clear_faults(State(faults): State<SharedFaults>) -> Response {
    faults.lock().expect("faults").clear();
    json_response(&json!({ "errcode": 0, "errmsg": "ok" }))
}
