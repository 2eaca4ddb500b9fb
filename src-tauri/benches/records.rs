//! Records export benchmark (`make bench-records`, or `cargo bench -p kefudesk --bench records`):
//! 31 days × 10 000 records a day in a sandbox running as its own process, fetched and written
//! to CSV by the app's code path, then the Statistics page's figures computed from them. Prints
//! the HTTP requests (against the minimum), wall time and this process's peak memory (the
//! sandbox's is not counted), and what the statistics add to the fetch.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use kefudesk_lib::i18n::Lang;
use kefudesk_lib::mp::records::{fetch_records, write_csv, FetchFilter, RecordSet};
use kefudesk_lib::wechat::cst::{cst_day_start, cst_windows};
use kefudesk_lib::wechat::mp::MpClient;
use kefudesk_lib::wechat::{ClientConfig, Secret, TokenSource};
use serde_json::{json, Value};

const DAYS: i64 = 31;
const PER_DAY: i64 = 10_000;
const AGENTS: usize = 10;

/// The heap in use and its peak since the last [`Counting::reset_peak`]: what a computation
/// adds, which the resident size cannot show once the allocator reuses freed pages.
struct Counting;
static IN_USE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = unsafe { std::alloc::System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, layout) };
        IN_USE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
    }
}

impl Counting {
    fn reset_peak() -> usize {
        let now = IN_USE.load(std::sync::atomic::Ordering::Relaxed);
        PEAK.store(now, std::sync::atomic::Ordering::Relaxed);
        now
    }
    fn peak() -> usize {
        PEAK.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// This process's peak resident memory: `VmHWM` (reset by exec, unlike `getrusage`'s
/// `ru_maxrss`, which Linux carries over from the process that started this one).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.map_or(f64::NAN, |k| k / 1024.0)
}

#[tokio::main]
async fn main() {
    let mut sandbox = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox"))
        .args(["--port", "0", "--empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kefu-sandbox starts");
    let base = BufReader::new(sandbox.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.trim().strip_prefix("base URL").map(|u| u.trim().to_string()))
        .expect("the sandbox prints its base URL");
    let http = reqwest::Client::new();
    let info: Value = http.get(format!("{base}/__sandbox/info")).send().await.unwrap().json().await.unwrap();
    // Agents first, so that the generated records are theirs.
    let token = token(&http, &base, &info).await;
    for i in 0..AGENTS {
        let account = format!("agent{i}@{}", info["oa_wechat_id"].as_str().unwrap());
        let added = post(
            &http,
            &format!("{base}/customservice/kfaccount/add?access_token={token}"),
            json!({"kf_account": account, "nickname": format!("客服{i}")}),
        )
        .await;
        assert_eq!(added["errcode"], 0, "{added}");
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let first = cst_day_start(now) - (DAYS + 1) * 86_400;
    // While the sandbox makes the records, it keeps answering: the slowest answer meanwhile.
    let fill_started = Instant::now();
    let fill = tokio::spawn({
        let (http, url) = (http.clone(), format!("{base}/__sandbox/records/fill"));
        async move {
            http.post(url)
                .json(&json!({"from": first, "days": DAYS, "per_day": PER_DAY}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    });
    let mut slowest_answer = std::time::Duration::ZERO;
    while !fill.is_finished() {
        let asked = Instant::now();
        http.get(format!("{base}/__sandbox/info")).send().await.unwrap().bytes().await.unwrap();
        slowest_answer = slowest_answer.max(asked.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let filled = fill.await.unwrap();
    assert_eq!(filled["added"], DAYS * PER_DAY, "{filled}");
    println!(
        "sandbox fill of {} records: {:.2} s; slowest other answer meanwhile {:.0} ms",
        DAYS * PER_DAY,
        fill_started.elapsed().as_secs_f64(),
        slowest_answer.as_secs_f64() * 1000.0
    );

    let client = MpClient::new(
        ClientConfig::new(base.clone()),
        TokenSource::MpStable {
            appid: info["appid"].as_str().unwrap().into(),
            secret: Secret::new(info["secret"].as_str().unwrap().to_string()),
        },
    )
    .unwrap();
    let out = std::env::temp_dir().join(format!("kefudesk-bench-records-{}.csv", std::process::id()));
    let before = peak_rss_mib();
    let t0 = Instant::now();
    let windows = cst_windows(first, first + DAYS * 86_400);
    let (records, stats) =
        fetch_records(&client, &windows, &FetchFilter::default(), &AtomicBool::new(false), &|_| {}).await.unwrap();
    let fetched = t0.elapsed();
    let set = RecordSet::new(records, stats);
    let all = set.matching("");
    let bytes = write_csv(&out, &set, &all, Lang::ZhCn).unwrap();
    let total = t0.elapsed();
    let peak = peak_rss_mib();

    // The statistics, from the records already fetched: the heap's peak above what it held
    // before is what the computation adds.
    let agents = agents(&http, &base, &token).await;
    let heap = Counting::reset_peak();
    let t1 = Instant::now();
    let figures = kefudesk_lib::mp::stats::compute(&set.records, first, first + (DAYS - 1) * 86_400, &agents);
    let computed = t1.elapsed();
    let added = (Counting::peak() - heap) as f64 / 1048576.0;
    let stats_at_sandbox: Value =
        http.get(format!("{base}/__sandbox/stats")).send().await.unwrap().json().await.unwrap();
    let _ = sandbox.kill();
    let _ = sandbox.wait();
    let _ = std::fs::remove_file(&out);

    // A day of exactly 10 000 records fills one page; one more call proves it was the last.
    let minimum = DAYS * (PER_DAY / 10_000 + 1);
    println!(
        "records export: {DAYS} days × {PER_DAY} records/day = {} records, sandbox in its own process",
        set.records.len()
    );
    println!(
        "  HTTP requests (getmsglist)  {} (minimum {minimum}; sandbox counted {})",
        stats.requests, stats_at_sandbox["requests"]["/customservice/msgrecord/getmsglist"]
    );
    println!("  fetch                       {:.2} s", fetched.as_secs_f64());
    println!("  fetch + sort + CSV          {:.2} s   (target ≤ 10 s)", total.as_secs_f64());
    println!("  CSV size                    {:.1} MiB", bytes as f64 / 1048576.0);
    println!("  peak memory (this process)  {peak:.0} MiB (before: {before:.0} MiB; target ≤ 150 MiB)");
    println!(
        "statistics from those records ({} days, {} sessions, {} agents):",
        figures.days.len(),
        figures.total.sessions,
        figures.agents.len()
    );
    println!("  computation                 {:.3} s   (target ≤ 0.5 s beyond the fetch)", computed.as_secs_f64());
    println!("  heap it adds (peak)         {added:.1} MiB (target ≤ 50 MiB)");
    assert_eq!(set.records.len() as i64, DAYS * PER_DAY, "every record fetched");
}

async fn token(http: &reqwest::Client, base: &str, info: &Value) -> String {
    let t = post(
        http,
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": info["appid"], "secret": info["secret"]}),
    )
    .await;
    t["access_token"].as_str().expect("a token").to_string()
}

/// The account's agents, as the Statistics page lists them.
async fn agents(http: &reqwest::Client, base: &str, token: &str) -> Vec<String> {
    let list: Value = http
        .get(format!("{base}/cgi-bin/customservice/getkflist?access_token={token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["kf_list"].as_array().unwrap().iter().map(|a| a["kf_account"].as_str().unwrap().to_string()).collect()
}

/// A JSON POST to the sandbox, its JSON answer.
async fn post(http: &reqwest::Client, url: &str, body: Value) -> Value {
    http.post(url).json(&body).send().await.unwrap().json().await.unwrap()
}
