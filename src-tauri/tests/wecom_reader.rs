//! The WeCom reader against the WeCom sandbox over loopback: without callback tokens it reads
//! the accounts in turn, one page each, so a long backlog on one does not starve the others;
//! WeCom's 45009 stops it and the status says until when; with a relay, an account with news
//! is read at once with its Token — even while token-less reading is blocked.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use kefudesk_lib::profile::ActiveProfile;
use kefudesk_lib::sandbox::wecom::WecomSandboxHandle;
use kefudesk_lib::wecom::archive::Archive;
use kefudesk_lib::wecom::conversations::relay::Relay;
use kefudesk_lib::wecom::conversations::{PollerConfig, Reader, ReaderStatus};
use serde_json::json;

/// Faster than WeCom allows, so the sandbox's own limit is what stops it.
fn eager() -> PollerConfig {
    PollerConfig {
        calls_per_minute: 1000,
        tick: Duration::from_millis(10),
        relay_every: Duration::from_millis(50),
        round_with_relay: Duration::ZERO,
        ..Default::default()
    }
}

fn start(sb: &WecomSandboxHandle, relay: bool) -> Reader {
    start_on(sb, relay, Arc::new(Archive::in_memory().unwrap()))
}

fn start_on(sb: &WecomSandboxHandle, relay: bool, archive: Arc<Archive>) -> Reader {
    let profile = Arc::new(ActiveProfile::wecom_sandbox(sb, None).unwrap());
    let relay = relay.then(|| {
        Relay::new(format!("{}/__sandbox/relay/callbacks", sb.base_url()), &fast_config(sb.base_url())).unwrap()
    });
    Reader::start(profile, archive, relay, eager())
}

async fn wait_for(reader: &Reader, what: &str, done: impl Fn(&ReaderStatus) -> bool) -> ReaderStatus {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let s = reader.status();
        if done(&s) {
            return s;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}: {s:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn accounts_are_read_in_turn_and_45009_stops_reading_with_the_time_shown() {
    let sb = wecom().await;
    let accounts: Vec<String> =
        sb.world().accounts.iter().filter(|a| a.manageable).map(|a| a.open_kfid.clone()).collect();
    assert_eq!(accounts.len(), 3);
    // A long backlog on one account.
    sb.world().fill_messages(&accounts[1], 5000, 50, 86_400).unwrap();
    let reader = start(&sb, false);
    let s = wait_for(&reader, "45009", |s| s.blocked_until.is_some()).await;
    // WeCom allows 10 token-less calls a minute: the 11th is refused and reading stops.
    assert_eq!(s.requests, 11, "{s:?}");
    assert!(s.error.is_none(), "a block is shown as a block, not as a failure");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now + 55..=now + 61).contains(&s.blocked_until.unwrap()), "a minute from now: {s:?}");
    // One page per turn: the backlog did not take the others' turns.
    let reads: Vec<u32> = accounts.iter().map(|k| s.accounts.get(k).map_or(0, |a| a.reads)).collect();
    assert!(reads.iter().all(|&r| r >= 3), "every account read in turn: {reads:?}");
    assert!(reads.iter().max().unwrap() - reads.iter().min().unwrap() <= 1, "{reads:?}");
    assert!(reader.archive.count().unwrap() < 5000, "the backlog is still being read page by page");
}

#[tokio::test]
async fn with_a_relay_news_is_read_at_once_even_while_blocked() {
    let sb = wecom().await;
    let reader = start(&sb, true);
    wait_for(&reader, "45009", |s| s.blocked_until.is_some()).await;
    let k = sb.world().accounts[2].open_kfid.clone();
    let r = answer(
        reqwest::Client::new()
            .post(format!("{}/__sandbox/customers/message", sb.base_url()))
            .json(&json!({"open_kfid": k, "text": "加急：订单地址写错了"})),
    )
    .await;
    let customer = r["external_userid"].as_str().unwrap().to_string();
    let until = Instant::now() + Duration::from_secs(30);
    while reader.archive.conversation(&k, &customer, 10).unwrap().is_empty() {
        assert!(Instant::now() < until, "the message was not read: {:?}", reader.status());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(reader.archive.conversation(&k, &customer, 10).unwrap()[0].text, "加急：订单地址写错了");
    assert!(reader.status().relay);
}

/// Where the relay's feed was read to is kept in the archive: a restart goes on from there
/// instead of taking every callback the relay still holds (and their Tokens) for new.
#[tokio::test]
async fn the_relay_position_survives_a_restart() {
    let sb = wecom().await;
    let archive = Arc::new(Archive::in_memory().unwrap());
    let reader = start_on(&sb, true, archive.clone());
    let k = sb.world().accounts[0].open_kfid.clone();
    for text in ["第一条", "第二条"] {
        answer(
            reqwest::Client::new()
                .post(format!("{}/__sandbox/customers/message", sb.base_url()))
                .json(&json!({"open_kfid": k, "text": text})),
        )
        .await;
    }
    let last = sb.world().callbacks.iter().map(|c| c.seq).max().expect("callbacks");
    let key = format!("relay_after {}/__sandbox/relay/callbacks", sb.base_url());
    let until = Instant::now() + Duration::from_secs(30);
    while archive.meta(&key).unwrap() != Some(last.to_string()) {
        assert!(Instant::now() < until, "the position was not kept: {:?}", archive.meta(&key));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(reader);
    // The started-again reader begins where the first left off.
    let _again = start_on(&sb, true, archive.clone());
    assert_eq!(archive.meta(&key).unwrap(), Some(last.to_string()));
}

/// A relay that answers without end (hundreds of megabytes) is cut off at the cap instead of
/// being read whole into memory; a relay is asked through the profile's proxy.
#[tokio::test]
async fn a_relay_answer_is_read_up_to_a_cap_and_through_the_proxy() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let endless = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = endless.local_addr().unwrap().port();
    let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        let (mut s, _) = endless.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"callbacks\": [").await;
        let chunk = vec![b' '; 64 * 1024];
        // At most 300 MiB, and only while the client reads.
        for _ in 0..4800 {
            if s.write_all(&chunk).await.is_err() {
                break;
            }
            counter.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let relay =
        Relay::new(format!("http://127.0.0.1:{port}/relay"), &fast_config(format!("http://127.0.0.1:{port}"))).unwrap();
    let e = relay.after(0).await.unwrap_err();
    assert!(e.contains("larger than"), "{e}");
    assert!(sent.load(std::sync::atomic::Ordering::Relaxed) < 64 << 20, "not read whole");

    // Through the profile's proxy: the proxy is asked to connect to the relay.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cfg = kefudesk_lib::wechat::ClientConfig {
        proxy: Some(format!("http://{}", proxy.local_addr().unwrap())),
        ..fast_config("https://relay.corp.example".into())
    };
    let relay = Relay::new("https://relay.corp.example/kf", &cfg).unwrap();
    let asked = tokio::spawn(async move {
        let (mut s, _) = proxy.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).await.unwrap();
        String::from_utf8_lossy(&buf[..n]).to_string()
    });
    assert!(relay.after(0).await.is_err(), "the proxy never answers");
    let request = asked.await.unwrap();
    assert!(request.starts_with("CONNECT relay.corp.example:443"), "{request}");
}
