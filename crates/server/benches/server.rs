//! `make bench-server`: KefuDesk Server's figures, printed (nothing asserted).
//! 1. The `kefu-server` binary's memory when idle, and after the burst below.
//! 2. A burst of customers writing at the WeCom sandbox (one callback each), with 50 desktops
//!    listening to the live updates: every message archived (counted against what was written
//!    at the sandbox), and the time from the customer's message to each desktop's event (median,
//!    p95, max).
//! 3. Chinese substring search over a shared archive of 1 000 000 messages through the
//!    desktops' API: common and rare two-character words, phrases and single characters.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kefu_sandbox::wecom::{self, WecomConfig};
use kefu_testpg::TempPostgres;
use serde_json::{json, Value};

const BURST: usize = 1000;
const DESKTOPS: usize = 50;
const ARCHIVE: i64 = 1_000_000;
const TOKEN: &str = "kefuBenchToken";
const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The server binary on `url`; its address and first admin's password (from its stdout).
fn start_server(url: &str) -> (Child, String, String) {
    use std::io::BufRead;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .env("KEFU_SERVER_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEFU_SERVER_DATABASE_URL", url)
        .env("KEFU_SERVER_KEY", "Kp0rZqW2bQm4d7nqHn2l9rj7s6v0Xy3cQ4x8m1t5a6E=")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the kefu-server binary starts");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut password = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split(": ").last().filter(|_| line.starts_with("First admin")) {
            password = rest.split(" / ").nth(1).unwrap().trim().to_string();
            break;
        }
    }
    assert!(!password.is_empty(), "the server printed its first admin");
    (child, format!("http://127.0.0.1:{port}"), password)
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let mut r = http.request(method, url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap().json().await.unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Reads one desktop's events, noting when each customer's first message event arrived.
async fn listen(res: reqwest::Response, arrived: Arc<Mutex<Vec<HashMap<String, Instant>>>>, me: usize) {
    let mut res = res;
    let mut buf = String::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) else { continue };
            let Ok(e) = serde_json::from_str::<Value>(data.trim()) else { continue };
            if let Some(c) = e["external_userid"].as_str() {
                arrived.lock().unwrap()[me].entry(c.to_string()).or_insert_with(Instant::now);
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let pg = TempPostgres::start();
    let url = pg.create_database("kefu");
    let (mut server, base, password) = start_server(&url);
    let http = reqwest::Client::new();
    // Idle: started, migrated, nothing connected.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = rss_mb(server.id());

    let sandbox = wecom::start(WecomConfig::default(), 0).await.unwrap();
    let login = call(
        &http,
        reqwest::Method::POST,
        &format!("{base}/api/v1/login"),
        None,
        Some(json!({"login": "admin", "password": password, "desktop": "bench"})),
    )
    .await;
    let admin = login["token"].as_str().unwrap().to_string();
    let corp = call(
        &http,
        reqwest::Method::POST,
        &format!("{base}/api/v1/wecom/corps"),
        Some(&admin),
        Some(json!({"corp_id": sandbox.corp_id(), "secret": sandbox.secret(), "callback_token": TOKEN, "encoding_aes_key": AES_KEY, "api_base": sandbox.base_url()})),
    )
    .await;
    let callback = format!("{base}{}", corp["callback_path"].as_str().unwrap());
    let set = call(
        &http,
        reqwest::Method::POST,
        &format!("{}/__sandbox/callback", sandbox.base_url()),
        None,
        Some(json!({"url": callback, "token": TOKEN, "encoding_aes_key": AES_KEY})),
    )
    .await;
    assert_eq!(set["errcode"], 0, "{set}");

    // 50 desktops listening.
    let arrived = Arc::new(Mutex::new(vec![HashMap::new(); DESKTOPS]));
    for me in 0..DESKTOPS {
        let l = call(
            &http,
            reqwest::Method::POST,
            &format!("{base}/api/v1/login"),
            None,
            Some(json!({"login": "admin", "password": password, "desktop": format!("desk{me}")})),
        )
        .await;
        let token = l["token"].as_str().unwrap().to_string();
        let res = http.get(format!("{base}/api/v1/events")).bearer_auth(&token).send().await.unwrap();
        tokio::spawn(listen(res, arrived.clone(), me));
    }
    // The first read brings the sandbox's backlog: done before the burst is timed.
    let first = call(
        &http,
        reqwest::Method::POST,
        &format!("{}/__sandbox/customers/message", sandbox.base_url()),
        None,
        Some(json!({"text": "预热"})),
    )
    .await;
    let warm = first["external_userid"].as_str().unwrap().to_string();
    while !arrived.lock().unwrap().iter().all(|m| m.contains_key(&warm)) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The burst: BURST customers write, 50 at a time.
    let written: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for lane in 0..50 {
        let (http, written, sb) = (http.clone(), written.clone(), sandbox.base_url());
        tasks.push(tokio::spawn(async move {
            for i in (lane..BURST).step_by(50) {
                let at = Instant::now();
                let v = call(
                    &http,
                    reqwest::Method::POST,
                    &format!("{sb}/__sandbox/customers/message"),
                    None,
                    Some(json!({"text": format!("第{i}位客户：请问发货了吗？")})),
                )
                .await;
                written.lock().unwrap().insert(v["external_userid"].as_str().unwrap().to_string(), at);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let customers: Vec<String> = written.lock().unwrap().keys().cloned().collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = arrived.lock().unwrap().iter().all(|m| customers.iter().all(|c| m.contains_key(c)));
        if done || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let burst_secs = started.elapsed().as_secs_f64();
    let (db, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let archived: i64 = db
        .query_one(
            "select count(*) from wecom_messages where msgtype = 'text' and external_userid = any($1)",
            &[&customers],
        )
        .await
        .unwrap()
        .get(0);
    let mut latencies: Vec<f64> = Vec::new();
    let mut missing = 0;
    {
        let written = written.lock().unwrap();
        for m in arrived.lock().unwrap().iter() {
            for (c, at) in written.iter() {
                match m.get(c) {
                    Some(got) => latencies.push(got.duration_since(*at).as_secs_f64() * 1000.0),
                    None => missing += 1,
                }
            }
        }
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let after_burst = rss_mb(server.id());

    println!(
        "KefuDesk Server — make bench-server ({} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("memory (RSS) idle:                 {idle:.1} MB   (target ≤ 60 MB)");
    println!("memory (RSS) after the burst:      {after_burst:.1} MB");
    println!("burst: {BURST} customers wrote, {archived} archived, in {burst_secs:.1} s");
    println!(
        "  to {DESKTOPS} desktops: {} events, {missing} missing; latency median {:.0} ms, p95 {:.0} ms, max {:.0} ms   (target p95 ≤ 1000 ms)",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(0.0)
    );

    // The search: an archive of ARCHIVE text messages in one account.
    let filled = Instant::now();
    db.batch_execute(&format!(
        "insert into wecom_messages (corp, open_kfid, msgid, external_userid, origin, msgtype, send_time, body)
         select 1, 'wkBenchAccount', 'bench' || i, 'wmBench' || (i % 20000), 3, 'text', 1700000000 + i,
                jsonb_build_object('text', jsonb_build_object('content',
                  case when i % 10000 = 0 then '保修卡丢了还能修吗' else
                  (array['请问什么时候发货','我想退货怎么办','这个颜色还有吗','发票怎么开','能便宜一点吗',
                         '快递到哪里了','尺码偏大还是偏小','可以改地址吗','谢谢你的帮助','优惠券怎么用'])[1 + i % 10]
                  end || '，订单号' || i))
           from generate_series(1, {ARCHIVE}) as i;
         analyze wecom_messages;"
    ))
    .await
    .unwrap();
    println!("archive: {ARCHIVE} messages written and indexed in {:.1} s", filled.elapsed().as_secs_f64());
    let searches = [
        ("退货", "a common two-character word (100 000 matches)"),
        ("保修", "a rare two-character word (100 matches)"),
        ("改地址吗", "a common four-character phrase"),
        ("保修卡丢", "a rare four-character phrase"),
        ("票", "one common character"),
        ("卡", "one rare character"),
    ];
    for (word, what) in searches {
        let q = url_encode(word);
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..20 {
            let at = Instant::now();
            let v = call(
                &http,
                reqwest::Method::GET,
                &format!("{base}/api/v1/wecom/search?q={q}&limit=50"),
                Some(&admin),
                None,
            )
            .await;
            times.push(at.elapsed().as_secs_f64() * 1000.0);
            hits = v["results"].as_array().map_or(0, Vec::len);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "search {what}, {word}: the newest 50, median {:.1} ms, p95 {:.1} ms ({hits} shown)   (target ≤ 100 ms)",
            percentile(&times, 0.5),
            percentile(&times, 0.95)
        );
    }
    let _ = server.kill();
    let _ = server.wait();
    drop(pg);
}

fn url_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
