//! The sandboxes' own endpoints (`/__sandbox/…`) answer only this computer's programs, not web
//! pages: any page the user visits could otherwise POST to 127.0.0.1 (a browser adds an
//! `Origin` header to such requests) or reach it by DNS rebinding (the `Host` is then the
//! attacker's name). Requests with a foreign `Origin` or a `Host` that is not a loopback name
//! get 403; a POST must say `Content-Type: application/json` (415 otherwise), which a page
//! cannot send across sites without a preflight the sandbox never allows (other methods need
//! that preflight anyway). Texts a control call stores are bounded.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest text a control call may make a customer write (WeChat's own limit is 2 048
/// bytes; a little room for tests of that limit).
pub const MAX_CONTROL_TEXT_BYTES: usize = 8 * 1024;

/// The furthest the sandbox clock may be moved in one call (ten years), and in all (a century):
/// no sum can overflow.
pub const MAX_CLOCK_STEP_SECS: i64 = 10 * 366 * 86_400;
pub const MAX_CLOCK_OFFSET_SECS: i64 = 100 * 366 * 86_400;

/// Whether a `Host` header (or an origin's host) names this computer: an IP address in the
/// loopback range, or `localhost` by name. A name that merely starts like one
/// (`127.0.0.1.evil.example`) is somebody's DNS name and may resolve anywhere.
fn loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(':') && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether a request to a control endpoint comes from this computer's programs.
pub fn local_request(host: Option<&str>, origin: Option<&str>) -> bool {
    let host_ok = host.is_some_and(loopback_host);
    let origin_ok =
        origin.is_none_or(|o| o == "null" || url::Url::parse(o).is_ok_and(|u| u.host_str().is_some_and(loopback_host)));
    host_ok && origin_ok
}

/// Whether a `Content-Type` names JSON (parameters such as `charset` allowed).
pub fn json_content_type(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"))
}

pub async fn local_only(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/__sandbox/") {
        let header_str = |name| req.headers().get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
        if !local_request(header_str(header::HOST), header_str(header::ORIGIN)) {
            return (StatusCode::FORBIDDEN, "the sandbox's control endpoints answer programs on this computer only")
                .into_response();
        }
        if req.method() == axum::http::Method::POST && !json_content_type(header_str(header::CONTENT_TYPE)) {
            return (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "control calls that change the sandbox take Content-Type: application/json",
            )
                .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::{json_content_type, local_request};

    #[test]
    fn changes_need_a_json_content_type() {
        assert!(json_content_type(Some("application/json")));
        assert!(json_content_type(Some("Application/JSON; charset=utf-8")));
        assert!(!json_content_type(Some("text/plain")), "what a web page can send without a preflight");
        assert!(!json_content_type(Some("application/x-www-form-urlencoded")));
        assert!(!json_content_type(None));
    }

    #[test]
    fn only_this_computers_programs_reach_the_control_endpoints() {
        assert!(local_request(Some("127.0.0.1:9000"), None), "curl, the app, tests");
        assert!(local_request(Some("localhost:9000"), Some("http://localhost:9000")));
        assert!(local_request(Some("[::1]:9000"), None));
        assert!(!local_request(Some("127.0.0.1:9000"), Some("https://evil.example")), "a web page's fetch");
        assert!(!local_request(Some("rebind.evil.example:9000"), None), "DNS rebinding");
        assert!(local_request(Some("127.0.0.2:9000"), None), "the whole loopback range");
        assert!(local_request(Some("LOCALHOST"), None));
        for name in [
            "127.0.0.1.evil.example",
            "127.0.0.1.evil.example:9000",
            "127.evil.example",
            "localhost.evil.example:9000",
            "[::1].evil",
        ] {
            assert!(!local_request(Some(name), None), "{name} is a DNS name that may point anywhere");
            assert!(!local_request(Some("127.0.0.1:9000"), Some(&format!("http://{name}"))), "origin {name}");
        }
        assert!(!local_request(None, None));
    }
}
