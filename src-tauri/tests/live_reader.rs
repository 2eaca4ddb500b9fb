//! The live reader against the WeCom sandbox over loopback: without callback tokens it reads
//! the accounts in turn, one page each, so a long backlog on one does not starve the others;
//! WeCom's 45009 stops it and the status says until when; with a relay, an account with news
//! is read at once with its Token — even while token-less reading is blocked.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use kefudesk_lib::archive::Archive;
use kefudesk_lib::conversations::relay::Relay;
use kefudesk_lib::conversations::{Live, LiveStatus, PollerConfig};
use kefudesk_lib::sandbox::wecom::WecomSandboxHandle;
use kefudesk_lib::state::ActiveProfile;
use serde_json::json;

/// Faster than WeCom allows, so the sandbox's own limit is what stops it.
fn eager() -> PollerConfig {
    PollerConfig { calls_per_minute: 1000, tick: Duration::from_millis(10), relay_every: Duration::from_millis(50), round_with_relay: Duration::ZERO, ..Default::default() }
}

fn start(sb: &WecomSandboxHandle, relay: bool) -> Live {
    let profile = Arc::new(ActiveProfile::wecom_sandbox(sb, None).unwrap());
    let relay = relay.then(|| Relay::new(format!("{}/__sandbox/relay/callbacks", sb.base_url())));
    Live::start(profile, Arc::new(Archive::in_memory().unwrap()), relay, eager())
}

async fn wait_for(live: &Live, what: &str, done: impl Fn(&LiveStatus) -> bool) -> LiveStatus {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let s = live.status();
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
    let accounts: Vec<String> = sb.world().accounts.iter().filter(|a| a.manageable).map(|a| a.open_kfid.clone()).collect();
    assert_eq!(accounts.len(), 3);
    // A long backlog on one account.
    sb.world().fill_messages(&accounts[1], 5000, 50, 86_400).unwrap();
    let live = start(&sb, false);
    let s = wait_for(&live, "45009", |s| s.blocked_until.is_some()).await;
    // WeCom allows 10 token-less calls a minute: the 11th is refused and reading stops.
    assert_eq!(s.requests, 11, "{s:?}");
    assert!(s.error.is_none(), "a block is shown as a block, not as a failure");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now + 55..=now + 61).contains(&s.blocked_until.unwrap()), "a minute from now: {s:?}");
    // One page per turn: the backlog did not take the others' turns.
    let reads: Vec<u32> = accounts.iter().map(|k| s.accounts.get(k).map_or(0, |a| a.reads)).collect();
    assert!(reads.iter().all(|&r| r >= 3), "every account read in turn: {reads:?}");
    assert!(reads.iter().max().unwrap() - reads.iter().min().unwrap() <= 1, "{reads:?}");
    assert!(live.archive.count().unwrap() < 5000, "the backlog is still being read page by page");
}

#[tokio::test]
async fn with_a_relay_news_is_read_at_once_even_while_blocked() {
    let sb = wecom().await;
    let live = start(&sb, true);
    wait_for(&live, "45009", |s| s.blocked_until.is_some()).await;
    let k = sb.world().accounts[2].open_kfid.clone();
    let r = answer(reqwest::Client::new().post(format!("{}/__sandbox/customers/message", sb.base_url())).json(&json!({"open_kfid": k, "text": "加急：订单地址写错了"}))).await;
    let customer = r["external_userid"].as_str().unwrap().to_string();
    let until = Instant::now() + Duration::from_secs(30);
    while live.archive.conversation(&k, &customer, 10).unwrap().is_empty() {
        assert!(Instant::now() < until, "the message was not read: {:?}", live.status());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(live.archive.conversation(&k, &customer, 10).unwrap()[0].text, "加急：订单地址写错了");
    assert!(live.status().relay);
}
