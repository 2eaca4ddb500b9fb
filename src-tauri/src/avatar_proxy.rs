//! The `kfimg:` URI scheme: the web view loads agent avatars through Rust, which fetches them
//! with the profile's HTTP client (its proxy; no web-view referer, which WeChat's image hosts
//! refuse) and only from hosts an avatar can come from. Keeps the CSP free of remote origins.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Redirects an avatar URL may take, each to an allowed host.
const MAX_REDIRECTS: usize = 3;
const CACHE_ENTRIES: usize = 256;

/// All images kept at once, in bytes.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Images fetched this run, by URL, at most [`CACHE_ENTRIES`] and [`CACHE_BYTES`] together.
#[derive(Default)]
pub struct AvatarCache(Mutex<HashMap<String, (String, Bytes)>>);

impl AvatarCache {
    /// Keeps an image; when the cache would grow past its bounds it starts afresh.
    pub fn keep(&self, url: String, mime: String, bytes: Bytes) {
        let mut c = self.0.lock().expect("avatar cache");
        let held: usize = c.values().map(|(_, b)| b.len()).sum();
        if c.len() >= CACHE_ENTRIES || held + bytes.len() > CACHE_BYTES {
            c.clear();
        }
        c.insert(url, (mime, bytes));
    }

    #[cfg(test)]
    pub fn bytes_held(&self) -> usize {
        self.0.lock().expect("avatar cache").values().map(|(_, b)| b.len()).sum()
    }
}

/// Hosts WeChat serves avatars from, plus the profile's own API host (the sandbox serves them).
pub fn allowed(url: &url::Url, api_base: &str) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else { return false };
    let wechat = ["qpic.cn", "qlogo.cn"].iter().any(|d| host == *d || host.ends_with(&format!(".{d}")));
    let same_as_api = url::Url::parse(api_base)
        .is_ok_and(|b| b.host_str() == Some(host) && b.port_or_known_default() == url.port_or_known_default());
    wechat || same_as_api
}

/// An image at `url` through the API client, which follows no redirects: each hop is checked
/// against the allow-list and at most [`MAX_REDIRECTS`] are taken. `None` for anything else.
pub async fn fetch(http: &reqwest::Client, url: &url::Url, api_base: &str) -> Option<(String, Bytes)> {
    let mut at = url.clone();
    let mut resp = http.get(at.clone()).send().await.ok()?;
    for _ in 0..MAX_REDIRECTS {
        if !resp.status().is_redirection() {
            break;
        }
        let next = resp.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).and_then(|l| at.join(l).ok())?;
        if !allowed(&next, api_base) {
            tracing::warn!(host = next.host_str(), "avatar redirect refused");
            return None;
        }
        at = next;
        resp = http.get(at.clone()).send().await.ok()?;
    }
    if resp.status().is_redirection() {
        return None;
    }
    let mut resp = resp.error_for_status().ok()?;
    let mime = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|m| m.starts_with("image/"))
        .unwrap_or("image/jpeg")
        .to_string();
    // Never more than an avatar can be: refused from its length, else while it arrives.
    if resp.content_length().is_some_and(|n| n > MAX_IMAGE_BYTES as u64) {
        return None;
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.ok()? {
        if body.len() + chunk.len() > MAX_IMAGE_BYTES {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some((mime, Bytes::from(body)))
}

fn respond(status: StatusCode, mime: &str, body: Bytes) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "max-age=3600")
        .body(body.to_vec())
        .expect("static response")
}

/// Handles `kfimg://localhost/<percent-encoded URL>` (`http://kfimg.localhost/…` on Windows).
pub fn handle<R: Runtime>(ctx: UriSchemeContext<'_, R>, req: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    let path = req.uri().path().trim_start_matches('/').to_string();
    tauri::async_runtime::spawn(async move {
        let not_found = || respond(StatusCode::NOT_FOUND, "text/plain", Bytes::from_static(b"not found"));
        let raw = percent_encoding::percent_decode_str(&path).decode_utf8_lossy().to_string();
        let state = app.state::<AppState>();
        let (Ok(url), Some(profile)) = (url::Url::parse(&raw), state.cached_active()) else {
            return responder.respond(not_found());
        };
        let transport = profile.client.transport();
        if !allowed(&url, &transport.config().base_url) {
            tracing::warn!(host = url.host_str(), "avatar host refused");
            return responder.respond(respond(StatusCode::FORBIDDEN, "text/plain", Bytes::from_static(b"forbidden")));
        }
        let cache = app.state::<AvatarCache>();
        if let Some((mime, bytes)) = cache.0.lock().expect("avatar cache").get(url.as_str()).cloned() {
            return responder.respond(respond(StatusCode::OK, &mime, bytes));
        }
        let fetched = fetch(transport.http(), &url, &transport.config().base_url).await;
        match fetched {
            Some((mime, bytes)) => {
                cache.keep(url.to_string(), mime.clone(), bytes.clone());
                responder.respond(respond(StatusCode::OK, &mime, bytes))
            }
            None => responder.respond(not_found()),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{allowed, fetch};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Each hop of a redirect is checked: within the API host it is followed, elsewhere the
    /// fetch stops and the other address is never contacted.
    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let cache = super::AvatarCache::default();
        for i in 0..300 {
            cache.keep(format!("u{i}"), "image/jpeg".into(), bytes::Bytes::from(vec![0u8; 5 * 1024 * 1024]));
            assert!(cache.bytes_held() <= super::CACHE_BYTES, "{} bytes after {i}", cache.bytes_held());
        }
    }

    #[tokio::test]
    async fn redirects_are_followed_only_to_allowed_hosts() {
        use axum::response::{IntoResponse, Redirect};
        use axum::routing::get;
        let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let other_addr = other.local_addr().unwrap();
        let reached = Arc::new(AtomicUsize::new(0));
        let count = reached.clone();
        let other_app = axum::Router::new().fallback(move || {
            count.fetch_add(1, Ordering::SeqCst);
            async { ([(axum::http::header::CONTENT_TYPE, "image/png")], vec![1u8; 10]).into_response() }
        });
        tokio::spawn(async move { axum::serve(other, other_app).await });
        let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", api.local_addr().unwrap());
        let api_app = axum::Router::new()
            .route(
                "/img",
                get(|| async { ([(axum::http::header::CONTENT_TYPE, "image/png")], vec![7u8; 12]).into_response() }),
            )
            .route("/here", get(|| async { Redirect::temporary("/img") }))
            .route(
                "/big",
                get(|| async {
                    ([(axum::http::header::CONTENT_TYPE, "image/png")], vec![1u8; super::MAX_IMAGE_BYTES + 1])
                        .into_response()
                }),
            )
            .route("/away", get(move || async move { Redirect::temporary(&format!("http://{other_addr}/img")) }));
        tokio::spawn(async move { axum::serve(api, api_app).await });
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let at = |p: &str| url::Url::parse(&format!("{base}{p}")).unwrap();
        assert_eq!(
            fetch(&http, &at("/here"), &base).await,
            Some(("image/png".to_string(), bytes::Bytes::from(vec![7u8; 12])))
        );
        assert_eq!(fetch(&http, &at("/away"), &base).await, None);
        assert_eq!(reached.load(Ordering::SeqCst), 0, "the foreign host was contacted");
        assert_eq!(fetch(&http, &at("/big"), &base).await, None, "larger than an avatar can be");
    }

    #[test]
    fn only_avatar_hosts_are_fetched() {
        let base = "http://127.0.0.1:4321";
        let ok = |u: &str| allowed(&url::Url::parse(u).unwrap(), base);
        assert!(ok("http://mmbiz.qpic.cn/mmbiz/abc/0"));
        assert!(ok("https://wx.qlogo.cn/mmopen/x/132"));
        assert!(ok("http://127.0.0.1:4321/sandbox-media/headimg/2001/1.jpg"));
        assert!(!ok("http://127.0.0.1:22/"), "other local ports are not avatar hosts");
        assert!(!ok("http://evilqpic.cn/x"));
        assert!(!ok("file:///etc/passwd"));
    }
}
