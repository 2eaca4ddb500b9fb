//! The sandboxes' control endpoints against what a web page could send: a foreign Origin or a
//! rebound Host is refused and changes nothing, and so is a change without a JSON Content-Type;
//! a program on this computer is served; huge texts and clock jumps are refused without a panic.

mod common;

use common::*;
use serde_json::json;

async fn post(url: &str, headers: &[(&str, &str)], body: serde_json::Value) -> (u16, String) {
    let mut req = reqwest::Client::new().post(url).body(body.to_string());
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        req = req.header("Content-Type", "application/json");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn web_pages_cannot_drive_either_sandbox() {
    let mp = sandbox().await;
    let wc = wecom().await;
    let waiting = mp.world().waiting.len();
    let logged = wc.world().log.len();
    let rush = format!("{}/__sandbox/queue/rush", mp.base_url());
    let write = format!("{}/__sandbox/customers/message", wc.base_url());
    let records = mp.world().records().len();
    let fill_records = format!("{}/__sandbox/records/fill", mp.base_url());
    let fill_messages = format!("{}/__sandbox/messages/fill", wc.base_url());
    // DNS rebinding with a name that only looks like a loopback address: the page's own name
    // (`127.0.0.1.evil.example`) resolves to 127.0.0.1 and the browser sends it as the Host.
    for headers in [
        vec![("Origin", "https://evil.example")],
        vec![("Host", "rebind.evil.example")],
        vec![("Host", "127.0.0.1.evil.example")],
        vec![("Host", "127.0.0.1.evil.example:9000")],
        vec![("Host", "localhost.evil.example")],
        vec![("Origin", "http://127.0.0.1.evil.example")],
    ] {
        assert_eq!(post(&rush, &headers, json!({"count": 1000})).await.0, 403, "{headers:?}");
        assert_eq!(post(&write, &headers, json!({"text": "x"})).await.0, 403, "{headers:?}");
        assert_eq!(post(&fill_records, &headers, json!({"days": 1, "per_day": 10})).await.0, 403, "{headers:?}");
        assert_eq!(post(&fill_messages, &headers, json!({"count": 10})).await.0, 403, "{headers:?}");
    }
    assert_eq!(mp.world().records().len(), records, "no record was made");
    // What a page can send without a preflight (a form, text/plain) or no type at all: 415.
    for kind in ["text/plain", "application/x-www-form-urlencoded", ""] {
        assert_eq!(post(&rush, &[("Content-Type", kind)], json!({"count": 1000})).await.0, 415, "{kind:?}");
        assert_eq!(post(&write, &[("Content-Type", kind)], json!({"text": "x"})).await.0, 415, "{kind:?}");
    }
    let no_type =
        reqwest::Client::new().post(format!("{}/__sandbox/tokens/invalidate", mp.base_url())).send().await.unwrap();
    assert_eq!(no_type.status().as_u16(), 415);
    assert_eq!((mp.world().waiting.len(), wc.world().log.len()), (waiting, logged), "nothing changed");
    assert!(mp.world().tokens.issued.iter().all(|t| t.revoked_at.is_none()), "no token was invalidated");
    // A program here (no Origin, a loopback Host) is served; so is a page the sandbox serves itself.
    let (status, body) = post(&write, &[], json!({"text": "你好"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(post(&write, &[("Origin", &wc.base_url())], json!({"text": "你好"})).await.0, 200);
    // WeChat's own endpoints are not control endpoints: they keep answering any client.
    let token = format!("{}/cgi-bin/gettoken?corpid=x&corpsecret=y", wc.base_url());
    assert_eq!(
        reqwest::Client::new().get(&token).header("Origin", "https://evil.example").send().await.unwrap().status(),
        200
    );
}

#[tokio::test]
async fn control_inputs_are_bounded() {
    let mp = sandbox().await;
    let wc = wecom().await;
    let huge = "字".repeat(10_000);
    let (_, body) =
        post(&format!("{}/__sandbox/queue/rush", mp.base_url()), &[], json!({"count": 5, "text": huge})).await;
    assert!(body.contains("40097"), "{body}");
    let (_, body) = post(&format!("{}/__sandbox/customers/message", wc.base_url()), &[], json!({"text": huge})).await;
    assert!(body.contains("40058"), "{body}");
    for base in [mp.base_url(), wc.base_url()] {
        let (status, body) = post(&format!("{base}/__sandbox/clock"), &[], json!({"advance_secs": i64::MAX})).await;
        assert!(status == 200 && !body.contains("\"errcode\":0"), "refused in words, no panic: {body}");
        for _ in 0..12 {
            post(&format!("{base}/__sandbox/clock"), &[], json!({"advance_secs": 10 * 365 * 86_400})).await;
        }
        let (status, _) = post(&format!("{base}/__sandbox/clock"), &[], json!({"advance_secs": 1})).await;
        assert_eq!(status, 200, "still serving after a century of jumps");
    }
}

/// Filling a sandbox with a large history takes seconds; it is made without the world's lock,
/// so the sandbox keeps answering WeChat's endpoints meanwhile. Counted, not timed: while the
/// fill runs, a client asks again and again, and many answers come before the fill's own. (With
/// the lock held while the history is made, only the requests that got in before it — one or
/// two — would be answered until the fill is done.)
#[tokio::test]
async fn a_large_fill_does_not_stop_the_sandbox_answering() {
    async fn answered_during(
        fill: impl std::future::Future<Output = (u16, String)>,
        ping: impl Fn() -> reqwest::RequestBuilder,
    ) -> u32 {
        tokio::pin!(fill);
        let mut answered = 0;
        loop {
            tokio::select! {
                biased;
                (status, body) = &mut fill => {
                    assert!(status == 200 && body.contains("\"errcode\":0"), "{body}");
                    return answered;
                }
                r = ping().send() => {
                    assert_eq!(r.unwrap().status(), 200);
                    answered += 1;
                }
            }
        }
    }
    let mp = sandbox().await;
    let token = token(&mp).await;
    let http = reqwest::Client::new();
    let kflist = format!("{}{KFLIST}?access_token={token}", mp.base_url());
    let url = format!("{}/__sandbox/records/fill", mp.base_url());
    let fill = post(&url, &[], json!({"days": 60, "per_day": 10000}));
    let answered = answered_during(fill, || http.get(&kflist)).await;
    assert!(answered >= 20, "only {answered} answers while 600 000 records were made");

    let wc = wecom().await;
    let gettoken = format!("{}/cgi-bin/gettoken?corpid={}&corpsecret={}", wc.base_url(), wc.corp_id(), wc.secret());
    let url = format!("{}/__sandbox/messages/fill", wc.base_url());
    let fill = post(&url, &[], json!({"count": 400000}));
    let answered = answered_during(fill, || http.get(&gettoken)).await;
    assert!(answered >= 20, "only {answered} answers while 400 000 messages were made");
}
