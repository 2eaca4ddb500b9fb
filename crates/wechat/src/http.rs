//! One HTTP exchange with WeChat and the decoding every endpoint shares: HTTP status,
//! JSON, `errcode` (absent means 0), redaction. Retries and tokens live in `transport.rs`.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::error::{ApiError, Platform};
use super::redact::redact;

/// Connection settings of one profile.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API base URL, e.g. `https://api.weixin.qq.com` or a company gateway (may carry a path).
    pub base_url: String,
    /// Optional HTTP(S) proxy for every request.
    pub proxy: Option<String>,
    /// Whole-request timeout.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// First pause before retrying a read on -1; doubles each time.
    pub backoff_base: Duration,
    /// Attempts for a read, the first one included.
    pub max_read_attempts: u32,
    /// The clock token lifetimes are counted on (tests move it instead of sleeping).
    pub clock: crate::clock::Monotonic,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            proxy: None,
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(8),
            backoff_base: Duration::from_millis(300),
            max_read_attempts: 3,
            clock: Default::default(),
        }
    }

    /// WeChat's public MP host.
    pub fn mp_default() -> Self {
        Self::new("https://api.weixin.qq.com")
    }

    /// WeChat's public WeCom host.
    pub fn wecom_default() -> Self {
        Self::new("https://qyapi.weixin.qq.com")
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    /// One multipart file part, kept as bytes so a retry can rebuild the form.
    File {
        field: &'static str,
        filename: String,
        mime: &'static str,
        bytes: bytes::Bytes,
    },
}

/// Whether secrets and tokens may travel to `url`: https, or plain http only to this computer
/// (a loopback address, or `localhost` by name), where nobody on the network can read them.
/// The one rule: profiles are checked with it when saved, and every request when sent.
pub fn is_secure_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| match (u.scheme(), u.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Domain(d))) => d.eq_ignore_ascii_case("localhost"),
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        _ => false,
    })
}

/// The largest answer read from a server.
pub const MAX_ANSWER_BYTES: usize = 64 << 20;

/// The shared HTTP client of one profile.
#[derive(Debug)]
pub struct HttpCore {
    pub(crate) http: reqwest::Client,
    pub(crate) cfg: ClientConfig,
    pub(crate) platform: Platform,
}

impl HttpCore {
    pub fn new(cfg: ClientConfig, platform: Platform) -> Result<Self, ApiError> {
        url::Url::parse(&cfg.base_url)
            .map_err(|e| ApiError::Config { detail: format!("base URL {:?}: {e}", redact(&cfg.base_url)) })?;
        // No redirects and no Referer: a gateway answering 307 must not receive a re-sent body
        // (the AppSecret) or the URL with its access_token.
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .user_agent(concat!("KefuDesk/", env!("CARGO_PKG_VERSION")));
        if let Some(p) = cfg.proxy.as_deref().filter(|p| !p.trim().is_empty()) {
            let proxy = reqwest::Proxy::all(p)
                .map_err(|e| ApiError::Config { detail: format!("proxy: {}", redact(&e.to_string())) })?;
            b = b.proxy(proxy);
        } else {
            // Only the profile decides on a proxy: ignore *_proxy variables of the environment.
            b = b.no_proxy();
        }
        let http = b.build().map_err(ApiError::from_reqwest)?;
        Ok(HttpCore { http, cfg, platform })
    }

    /// `base + path + ?query`, with `@` left as it is (WeChat historically rejected `%40`
    /// in `kf_account`; RFC 3986 allows a raw `@` in a query).
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut url = self.cfg.base_url.trim_end_matches('/').to_string();
        url.push_str(path);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            let enc: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
            url.push_str(&enc.replace("%40", "@"));
        }
        url
    }

    /// Sends one request and decodes WeChat's answer into the JSON payload.
    pub async fn exchange(
        &self,
        method: Method,
        url: &str,
        body: &Body,
        bearer: Option<&str>,
    ) -> Result<Value, ApiError> {
        let (_, bytes) = self.send(method, url, body, bearer).await?;
        decode(self.platform, &bytes)
    }

    /// Sends one request; the answer's Content-Type and body (2xx only).
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        body: &Body,
        bearer: Option<&str>,
    ) -> Result<(String, bytes::Bytes), ApiError> {
        self.send_capped(method, url, body, bearer, MAX_ANSWER_BYTES).await
    }

    /// The same, reading at most `cap` bytes of the answer: a larger one is cut off, not buffered.
    pub async fn send_capped(
        &self,
        method: Method,
        url: &str,
        body: &Body,
        bearer: Option<&str>,
        cap: usize,
    ) -> Result<(String, bytes::Bytes), ApiError> {
        // Checked where it is used, not only when a profile is saved: a configuration from
        // before the rule, or edited by hand, must not send a secret in clear text.
        if !is_secure_url(url) {
            return Err(ApiError::Insecure);
        }
        let mut req = self.http.request(method, url);
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        req = match body {
            Body::None => req,
            // serde_json writes raw UTF-8, never \uXXXX escapes (WeChat's 40033).
            Body::Json(v) => req
                .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(serde_json::to_vec(v).expect("JSON values serialise")),
            Body::File { field, filename, mime, bytes } => {
                let part = reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(bytes.clone()),
                    bytes.len() as u64,
                )
                .file_name(filename.clone())
                .mime_str(mime)
                .map_err(ApiError::from_reqwest)?;
                req.multipart(reqwest::multipart::Form::new().part(*field, part))
            }
        };
        let mut resp = req.send().await.map_err(ApiError::from_reqwest)?;
        let status = resp.status();
        let content_type =
            resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        if !status.is_success() {
            return Err(ApiError::HttpStatus { status: status.as_u16() });
        }
        // No answer of WeChat's is this large (a file of media/get is at most 20 MB): a server
        // that sends more is cut off, not buffered.
        let limit =
            if cap.is_multiple_of(1 << 20) { format!("{} MiB", cap >> 20) } else { format!("{} KiB", cap >> 10) };
        let too_large = || ApiError::BadResponse { detail: format!("the answer is larger than {limit}") };
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(too_large());
        }
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = resp.chunk().await.map_err(ApiError::from_reqwest)? {
            if body.len() + chunk.len() > cap {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok((content_type, body.freeze()))
    }
}

/// Decodes a WeChat body: JSON object; `errcode` absent or 0 means success.
pub fn decode(platform: Platform, bytes: &[u8]) -> Result<Value, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ApiError::BadResponse {
        detail: format!("not JSON ({e}); starts with {:?}", redact(&snippet(bytes))),
    })?;
    if !value.is_object() {
        return Err(ApiError::BadResponse { detail: "JSON is not an object".into() });
    }
    let errcode = match value.get("errcode") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .ok_or_else(|| ApiError::BadResponse { detail: format!("errcode {v} is not a number") })?,
    };
    if errcode != 0 {
        let errmsg = value.get("errmsg").and_then(Value::as_str).unwrap_or_default();
        return Err(ApiError::WeChat { platform, errcode, errmsg: redact(errmsg) });
    }
    Ok(value)
}

fn snippet(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_errcode_is_success() {
        let v = decode(Platform::Mp, br#"{"kf_list":[]}"#).unwrap();
        assert!(v["kf_list"].is_array());
        decode(Platform::Mp, br#"{"errcode":0,"errmsg":"ok"}"#).unwrap();
    }

    #[test]
    fn nonzero_errcode_is_an_error_with_redacted_message() {
        let e = decode(Platform::Mp, br#"{"errcode":40001,"errmsg":"invalid credential access_token=AAA rid: 1-2-3"}"#)
            .unwrap_err();
        assert_eq!(e.errcode(), Some(40001));
        assert!(e.is_token_error());
        assert!(!e.to_string().contains("AAA"));
    }

    #[test]
    fn html_is_a_bad_response() {
        let e = decode(Platform::Mp, b"<html><body>502 Bad Gateway</body></html>").unwrap_err();
        assert!(matches!(e, ApiError::BadResponse { .. }), "{e:?}");
    }

    #[test]
    fn only_https_or_this_computer_may_receive_secrets() {
        for ok in [
            "https://api.weixin.qq.com",
            "https://10.0.0.5/wx",
            "http://127.0.0.1:9000",
            "http://127.8.0.1",
            "http://localhost:1/x",
            "http://[::1]:80/",
        ] {
            assert!(is_secure_url(ok), "{ok}");
        }
        for bad in [
            "http://192.168.1.10:8080",
            "http://gw.corp",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil",
            "ftp://127.0.0.1",
            "not a url",
            "",
        ] {
            assert!(!is_secure_url(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_plain_http_address_on_the_network_is_never_sent_to() {
        let core = HttpCore::new(ClientConfig::new("http://192.0.2.1:8080"), Platform::Mp).unwrap();
        let url = core.url("/cgi-bin/stable_token", &[]);
        let e =
            core.exchange(Method::POST, &url, &Body::Json(serde_json::json!({"secret": "s"})), None).await.unwrap_err();
        assert_eq!(e, ApiError::Insecure);
    }

    #[test]
    fn url_keeps_at_sign_and_encodes_the_rest() {
        let core = HttpCore::new(ClientConfig::new("http://gw.example/wx/"), Platform::Mp).unwrap();
        assert_eq!(
            core.url("/customservice/kfsession/getsessionlist", &[("access_token", "t"), ("kf_account", "a b@oa")]),
            "http://gw.example/wx/customservice/kfsession/getsessionlist?access_token=t&kf_account=a+b@oa"
        );
    }
}
