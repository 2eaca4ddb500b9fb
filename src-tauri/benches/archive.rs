//! WeCom archive benchmark (`make bench-archive`, or `cargo bench -p kefudesk --bench archive`):
//! 1. a backlog of 100 000 messages over 3 days in a WeCom sandbox running as its own process,
//!    read into an empty archive file with a callback token (as a company relay would pass it):
//!    sync_msg requests against the minimum, wall time, this process's peak memory;
//! 2. a Chinese substring search over 1 000 000 archived messages: median latency of a common
//!    and a rare phrase;
//! 3. CSV exports of 200 000 and 1 000 000 of those messages straight from the archive: time,
//!    file size and the process's peak memory during each (the peak is reset before each).
//!    Figures are printed, never asserted.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use kefudesk_lib::i18n::Lang;
use kefudesk_lib::wechat::wecom::{KfMessage, WecomClient};
use kefudesk_lib::wechat::{ClientConfig, Secret, TokenSource};
use kefudesk_lib::wecom::archive::export::{export_matches, Names};
use kefudesk_lib::wecom::archive::{sync_account, Archive, Query};
use serde_json::{json, Value};

const BACKLOG: i64 = 100_000;
const ARCHIVED: usize = 1_000_000;

/// This process's peak resident memory (`VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.map_or(f64::NAN, |k| k / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("kefudesk-bench-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // ---- 1. sync a 3-day backlog ----
    let mut sandbox = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox"))
        .args(["--platform", "wecom", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kefu-sandbox starts");
    let mut lines = BufReader::new(sandbox.stdout.take().unwrap()).lines().map_while(Result::ok);
    let mut field = |label: &str| {
        lines
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.split_whitespace().next().unwrap_or("").to_string()))
            .unwrap()
    };
    let (base, corpid, secret) = (field("base URL"), field("CorpID"), field("Secret"));
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        let req = http.post(format!("{base}{path}")).json(&body);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let filled = post("/__sandbox/messages/fill", json!({"count": BACKLOG, "customers": 2000})).await;
    let kf = filled["open_kfid"].as_str().expect("filled").to_string();
    let token = post("/__sandbox/customers/message", json!({"open_kfid": kf, "text": "在吗"})).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let client = WecomClient::new(
        ClientConfig::new(base.clone()),
        TokenSource::WecomCorp { corpid, secret: Secret::new(secret) },
    )
    .unwrap();
    let archive = Arc::new(Archive::open(&dir.join("sync.sqlite3")).unwrap());
    let started = Instant::now();
    let report = sync_account(&client, &archive, &kf, Some(&token)).await.expect("sync");
    let secs = started.elapsed().as_secs_f64();
    let stored = archive.count().unwrap();
    let size = std::fs::metadata(dir.join("sync.sqlite3")).map(|m| m.len()).unwrap_or(0);
    let minimum = (stored as f64 / 1000.0).ceil();
    println!("archive sync: {stored} messages (3-day backlog of {BACKLOG} + the demo's), {} sync_msg requests (minimum {minimum:.0}: one per 1 000 a page), {secs:.1} s, peak memory {:.0} MiB, file {:.0} MiB",
        report.requests, peak_rss_mib(), size as f64 / 1048576.0);
    let _ = sandbox.kill();
    let _ = sandbox.wait();

    // ---- 2. search 1 000 000 archived messages ----
    let big = Archive::open(&dir.join("search.sqlite3")).unwrap();
    const LINES: &[&str] = &[
        "你好，在吗？",
        "请问订单什么时候发货？",
        "可以开发票吗",
        "收到的商品有破损，怎么办",
        "退款多久到账",
        "会员积分怎么用",
        "谢谢，已经收到了",
    ];
    let fill = Instant::now();
    let mut page = Vec::with_capacity(10_000);
    for i in 0..ARCHIVED {
        let text = if i == ARCHIVED / 2 {
            "订单号 KD20261126-77831 的快递被退回了".to_string()
        } else {
            format!("{}（{}）", LINES[i % LINES.len()], i % 997)
        };
        page.push(
            serde_json::from_value::<KfMessage>(
                json!({"msgid": format!("m{i}"), "open_kfid": "wkBench", "external_userid": format!("wm{}", i % 5000),
            "send_time": 1_700_000_000 + i as i64, "origin": 3, "msgtype": "text", "text": {"content": text}}),
            )
            .unwrap(),
        );
        if page.len() == 10_000 {
            big.apply_page("wkBench", &page, &format!("c{i}"), 0).unwrap();
            page.clear();
        }
    }
    println!("search corpus: {} messages written in {:.0} s", big.count().unwrap(), fill.elapsed().as_secs_f64());
    for (what, text) in [
        ("common phrase (1 in 7, first 100 newest)", "什么时候发货"),
        ("rare phrase (1 message)", "KD20261126"),
        ("two characters, common (pair index)", "发货"),
        ("two characters, rare (pair index)", "快递"),
        ("one character (scan)", "退"),
    ] {
        let times: Vec<f64> = (0..7)
            .map(|_| {
                let t = Instant::now();
                let hits = big.search(&Query { text: text.into(), limit: 100, ..Default::default() }).unwrap();
                assert!(!hits.is_empty());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        println!("search \"{text}\" — {what}: median {:.1} ms over 7 runs", median(times));
    }

    // ---- 3. export 200 000 and 1 000 000 messages as CSV ----
    drop(archive);
    for n in [200_000usize, ARCHIVED] {
        // Linux: writing 5 to clear_refs resets this process's peak resident memory.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = rss_mib();
        let path = dir.join(format!("export-{n}.csv"));
        let t = Instant::now();
        let (rows, bytes) =
            export_matches(&big, &Query { limit: n, ..Default::default() }, &path, &Names::default(), Lang::ZhCn)
                .expect("export");
        println!("archive export: {rows} messages to CSV in {:.1} s, {:.0} MiB file, peak memory {:.0} MiB (was {before:.0} MiB before the export)",
            t.elapsed().as_secs_f64(), bytes as f64 / 1048576.0, peak_rss_mib());
        let _ = std::fs::remove_file(&path);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// This process's resident memory now (`VmRSS`).
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.map_or(f64::NAN, |k| k / 1024.0)
}
