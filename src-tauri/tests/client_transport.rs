//! The one request path against the sandbox: token refresh + single retry, single-flight
//! tokens, backoff on -1 for reads only, no blind re-send of writes, quota errors, faults,
//! timeouts, the token relay, and redaction of every error text.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use kefudesk_lib::error::CommandError;
use kefudesk_lib::i18n::Lang;
use kefudesk_lib::sandbox::{Fault, FaultKind};
use kefudesk_lib::wechat::mp::MpClient;
use kefudesk_lib::wechat::{ApiError, ClientConfig, Secret, TokenSource};

const ADD: &str = "/customservice/kfaccount/add";

#[tokio::test]
async fn a_replaced_token_is_refreshed_and_the_call_retried_once() {
    let sb = sandbox().await;
    let c = client(&sb);
    c.kf_list().await.unwrap();
    sb.world().invalidate_tokens(); // e.g. someone force-refreshed it elsewhere
    sb.reset_request_counts();
    let list = c.kf_list().await.expect("transparent refresh");
    assert!(!list.is_empty());
    assert_eq!(sb.requests(KFLIST), 2, "one failure, one retry");
    assert_eq!(sb.requests(STABLE), 1, "one token refresh");
}

#[tokio::test]
async fn a_token_error_that_persists_is_retried_only_once() {
    let sb = sandbox().await;
    let c = client(&sb);
    for code in [40001, 40014, 42001] {
        sb.set_fault(KFLIST, Fault::errcode(code));
        sb.reset_request_counts();
        let e = c.kf_list().await.unwrap_err();
        assert_eq!(e.errcode(), Some(code));
        assert_eq!(sb.requests(KFLIST), 2, "errcode {code}: the call and one retry");
    }
}

#[tokio::test]
async fn a_write_rejected_for_its_token_is_sent_again_once() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.set_fault(ADD, Fault::errcode(40001).times(1));
    c.add_kf(&format!("tok@{}", sb.oa_wechat_id()), "令牌").await.expect("WeChat did nothing the first time");
    assert_eq!(sb.requests(ADD), 2);
    assert_eq!(c.kf_list().await.unwrap().iter().filter(|a| a.kf_nick == "令牌").count(), 1);
}

#[tokio::test]
async fn concurrent_calls_on_a_cold_cache_fetch_one_token() {
    let sb = sandbox().await;
    let c = Arc::new(client(&sb));
    // Slow the token endpoint so every call arrives while the first fetch is under way.
    sb.set_fault(STABLE, Fault::kind(FaultKind::DelayOnly).delay_ms(150));
    let calls: Vec<_> = (0..24)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.kf_list().await })
        })
        .collect();
    for h in calls {
        h.await.unwrap().unwrap();
    }
    assert_eq!(sb.requests(STABLE), 1);
    assert_eq!(sb.requests(KFLIST), 24);
}

#[tokio::test]
async fn reads_back_off_on_system_busy_at_most_three_attempts() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.set_fault(KFLIST, Fault::errcode(-1).times(2));
    assert!(!c.kf_list().await.expect("third attempt succeeds").is_empty());
    assert_eq!(sb.requests(KFLIST), 3);
    sb.set_fault(KFLIST, Fault::errcode(-1));
    sb.reset_request_counts();
    assert_eq!(c.kf_list().await.unwrap_err().errcode(), Some(-1));
    assert_eq!(sb.requests(KFLIST), 3, "bounded");
}

#[tokio::test]
async fn writes_are_never_re_sent_after_busy_or_a_dropped_connection() {
    let sb = sandbox().await;
    let c = client(&sb);
    let oa = sb.oa_wechat_id();
    sb.set_fault(ADD, Fault::errcode(-1));
    assert_eq!(c.add_kf(&format!("busy@{oa}"), "忙").await.unwrap_err().errcode(), Some(-1));
    assert_eq!(sb.requests(ADD), 1);
    sb.set_fault(ADD, Fault::kind(FaultKind::DropConnection));
    let e = c.add_kf(&format!("drop@{oa}"), "断").await.unwrap_err();
    assert!(matches!(e, ApiError::Network { .. } | ApiError::BadResponse { .. }), "{e:?}");
    assert_eq!(sb.requests(ADD), 2, "one more request, no re-send");
    // A dropped read is retried.
    sb.set_fault(KFLIST, Fault::kind(FaultKind::DropConnection).times(1));
    c.kf_list().await.expect("retried after the drop");
}

#[tokio::test]
async fn quota_errors_are_never_retried() {
    let sb = sandbox().await;
    let c = client(&sb);
    for code in [45009, 45011] {
        sb.set_fault(KFLIST, Fault::errcode(code));
        sb.reset_request_counts();
        let e = c.kf_list().await.unwrap_err();
        assert_eq!(e.errcode(), Some(code));
        assert_eq!(sb.requests(KFLIST), 1);
        let msg = CommandError::from_api(&e, Lang::En);
        assert_eq!(msg.code, "rate_limited");
    }
}

#[tokio::test]
async fn gateway_pages_malformed_json_and_timeouts_become_clear_errors() {
    let sb = sandbox().await;
    let c = client(&sb);
    c.kf_list().await.unwrap();
    sb.set_fault(KFLIST, Fault::kind(FaultKind::Http502));
    sb.reset_request_counts();
    assert_eq!(c.kf_list().await.unwrap_err(), ApiError::HttpStatus { status: 502 });
    assert_eq!(sb.requests(KFLIST), 3, "a 502 on a read is worth retrying");
    sb.set_fault(KFLIST, Fault::kind(FaultKind::MalformedJson));
    assert!(matches!(c.kf_list().await.unwrap_err(), ApiError::BadResponse { .. }));
    sb.set_fault(KFLIST, Fault::kind(FaultKind::DelayOnly).delay_ms(2500));
    assert_eq!(c.kf_list().await.unwrap_err(), ApiError::Timeout);
    let e = CommandError::from_api(&ApiError::HttpStatus { status: 502 }, Lang::ZhCn);
    assert!(e.message.contains("HTTP 502"));
}

#[tokio::test]
async fn no_error_text_ever_contains_the_token_or_the_secret() {
    let sb = sandbox().await;
    let c = client(&sb);
    c.kf_list().await.unwrap();
    let token = token(&sb).await;
    let secret = sb.secret();
    let mut errors = Vec::new();
    for kind in
        [FaultKind::Http502, FaultKind::MalformedJson, FaultKind::DropConnection, FaultKind::Errcode { errcode: 65400 }]
    {
        sb.set_fault(KFLIST, Fault::kind(kind));
        errors.push(c.kf_list().await.unwrap_err());
    }
    sb.set_fault(KFLIST, Fault::kind(FaultKind::DelayOnly).delay_ms(2500));
    errors.push(c.kf_list().await.unwrap_err());
    // A server that is gone: reqwest's error would print the URL with access_token=.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let gone = MpClient::new(ClientConfig { base_url: format!("http://127.0.0.1:{dead}"), ..config(&sb) }, source(&sb))
        .unwrap();
    errors.push(gone.kf_list().await.unwrap_err());
    // A wrong secret, echoed nowhere.
    let wrong = MpClient::new(
        config(&sb),
        TokenSource::MpStable { appid: sb.appid(), secret: Secret::new("WRONG-secret-123") },
    )
    .unwrap();
    errors.push(wrong.kf_list().await.unwrap_err());
    assert_eq!(errors.last().unwrap().errcode(), Some(40125));
    assert!(matches!(errors[5], ApiError::Network { .. }), "{:?}", errors[5]);

    for e in &errors {
        for lang in [Lang::En, Lang::ZhCn] {
            let cmd = CommandError::from_api(e, lang);
            let texts = [e.to_string(), format!("{e:?}"), cmd.message.clone(), serde_json::to_string(&cmd).unwrap()];
            for t in texts {
                assert!(!t.contains(&token), "token leaked: {t}");
                assert!(!t.contains(&secret) && !t.contains("WRONG-secret-123"), "secret leaked: {t}");
            }
        }
    }
}

#[tokio::test]
async fn tokens_are_refreshed_ahead_of_expiry() {
    // WeChat's 2-hour tokens are renewed 5 minutes ahead; the client's clock is moved, not waited for.
    let sb = sandbox().await;
    let clock = kefudesk_lib::clock::Monotonic::default();
    let c = MpClient::new(ClientConfig { clock: clock.clone(), ..config(&sb) }, source(&sb)).unwrap();
    c.kf_list().await.unwrap();
    clock.advance(Duration::from_secs(6800));
    c.kf_list().await.unwrap();
    assert_eq!(sb.requests(STABLE), 1, "cached for most of its lifetime");
    clock.advance(Duration::from_secs(200)); // within the last 5 minutes
    c.kf_list().await.unwrap();
    assert_eq!(sb.requests(STABLE), 2, "renewed before WeChat rejected it");
    assert_eq!(sb.requests(KFLIST), 3, "and no call failed");
}

/// A company token relay (GET → {"access_token","expires_in"}) with a bearer credential.
#[tokio::test]
async fn a_token_relay_can_stand_in_for_the_secret() {
    use axum::http::{HeaderMap, StatusCode};
    let sb = sandbox().await;
    let upstream = token(&sb).await;
    let app = axum::Router::new().route(
        "/token",
        axum::routing::get(move |h: HeaderMap| {
            let upstream = upstream.clone();
            async move {
                if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer relay-cred") {
                    return (StatusCode::UNAUTHORIZED, "no".to_string());
                }
                (StatusCode::OK, serde_json::json!({"access_token": upstream, "expires_in": 7200}).to_string())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let relay = format!("http://{}/token", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let good =
        MpClient::new(config(&sb), TokenSource::Relay { url: relay.clone(), bearer: Some(Secret::new("relay-cred")) })
            .unwrap();
    assert!(!good.kf_list().await.unwrap().is_empty());
    let bad = MpClient::new(config(&sb), TokenSource::Relay { url: relay, bearer: None }).unwrap();
    let e = bad.kf_list().await.unwrap_err();
    assert_eq!(e, ApiError::Relay { detail: "HTTP 401".into() });
    let msg = CommandError::from_api(&e, Lang::En);
    assert_eq!(msg.code, "relay");
    assert!(msg.message.contains("token relay") && msg.message.contains("HTTP 401"), "{}", msg.message);
}

#[tokio::test]
async fn token_fetches_back_off_on_system_busy_too() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.set_fault(STABLE, Fault::errcode(-1).times(2));
    c.add_kf(&format!("tb@{}", sb.oa_wechat_id()), "令牌忙").await.expect("token fetched on the third try");
    assert_eq!(sb.requests(STABLE), 3);
    assert_eq!(sb.requests(ADD), 1);
}

#[tokio::test]
async fn an_ip_outside_the_whitelist_is_named_in_the_message() {
    let sb = sandbox().await;
    sb.world().flags.ip_not_whitelisted = true;
    let e = client(&sb).kf_list().await.unwrap_err();
    assert_eq!(e.errcode(), Some(40164));
    let zh = CommandError::from_api(&e, Lang::ZhCn);
    assert_eq!(zh.code, "ip_not_whitelisted");
    assert!(zh.message.contains("127.0.0.1") && zh.message.contains("IP白名单"), "{}", zh.message);
}

/// A plain HTTP forward proxy that counts what passes through it.
async fn counting_proxy() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut client, _) = listener.accept().await.unwrap();
            let count = count.clone();
            tokio::spawn(async move {
                // Read the request head: "GET http://host:port/path HTTP/1.1".
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = client.read(&mut chunk).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let body_start = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                let head = String::from_utf8_lossy(&buf[..body_start]).to_string();
                let target = head.split_whitespace().nth(1).unwrap().to_string();
                let authority = target.trim_start_matches("http://").split('/').next().unwrap().to_string();
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut upstream = tokio::net::TcpStream::connect(&authority).await.unwrap();
                let rewritten = head.replacen(&format!("http://{authority}"), "", 1);
                upstream.write_all(rewritten.as_bytes()).await.unwrap();
                upstream.write_all(&buf[body_start..]).await.unwrap();
                let (mut cr, mut cw) = client.into_split();
                let (mut ur, mut uw) = upstream.into_split();
                tokio::join!(async { tokio::io::copy(&mut cr, &mut uw).await.ok() }, async {
                    tokio::io::copy(&mut ur, &mut cw).await.ok()
                });
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn every_call_goes_through_the_configured_proxy() {
    let sb = sandbox().await;
    let (proxy, seen) = counting_proxy().await;
    let c = MpClient::new(ClientConfig { proxy: Some(proxy), ..config(&sb) }, source(&sb)).unwrap();
    assert!(!c.kf_list().await.unwrap().is_empty());
    assert!(seen.load(std::sync::atomic::Ordering::SeqCst) >= 1, "requests went through the proxy");
    assert_eq!(sb.requests(STABLE) + sb.requests(KFLIST), 2);
    let bad = MpClient::new(ClientConfig { proxy: Some("not a url".into()), ..config(&sb) }, source(&sb)).unwrap_err();
    assert!(matches!(bad, ApiError::Config { .. }), "{bad:?}");
}

/// A gateway that answers 307 to a second address: the client does not follow, so the second
/// address never receives the re-sent body (the AppSecret) nor a Referer with the token.
#[tokio::test]
async fn redirects_are_not_followed_so_secrets_go_nowhere_else() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere_addr = elsewhere.local_addr().unwrap();
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = reached.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = elsewhere.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 46\r\n\r\n{\"access_token\":\"stolen\",\"expires_in\":7200}  ").await;
        }
    });
    let gateway = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_addr = gateway.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = gateway.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = sock.read(&mut buf).await;
            let answer = format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{elsewhere_addr}/cgi-bin/stable_token\r\nContent-Length: 0\r\n\r\n");
            let _ = sock.write_all(answer.as_bytes()).await;
        }
    });
    let source =
        TokenSource::MpStable { appid: "wx1234567890abcdef".into(), secret: Secret::new("the-app-secret".to_string()) };
    let c = MpClient::new(fast_config(format!("http://{gateway_addr}")), source).unwrap();
    let e = c.kf_list().await.unwrap_err();
    assert!(matches!(e, ApiError::HttpStatus { status: 307 }), "{e:?}");
    assert_eq!(reached.load(Ordering::SeqCst), 0, "the redirect target was contacted");
}

/// A server that never stops sending (or announces gigabytes) is cut off, not buffered.
#[tokio::test]
async fn an_endless_answer_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = server.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = sock.read(&mut buf).await;
                let request = String::from_utf8_lossy(&buf);
                if request.contains("announce") {
                    let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21474836480\r\n\r\n{").await;
                    return;
                }
                let _ = sock
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                    )
                    .await;
                let chunk = vec![b' '; 1 << 20];
                loop {
                    let head = format!("{:x}\r\n", chunk.len());
                    if sock.write_all(head.as_bytes()).await.is_err()
                        || sock.write_all(&chunk).await.is_err()
                        || sock.write_all(b"\r\n").await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    let relay = |path: &str| TokenSource::Relay { url: format!("http://{addr}/{path}"), bearer: None };
    for path in ["endless", "announce"] {
        let c = MpClient::new(fast_config(format!("http://{addr}")), relay(path)).unwrap();
        let e = c.kf_list().await.unwrap_err();
        assert!(e.to_string().contains("larger than 64 MiB"), "{path}: {e}");
    }
}
