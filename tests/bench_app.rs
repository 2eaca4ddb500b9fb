//! `make bench-app`: the release app on its built-in sandbox, driven through WebDriver under
//! Xvfb. Prints (asserts nothing): launch to the Agents list rendered (median of 5), and the
//! memory of the app and its WebKit processes (PSS and private/USS, from /proc) after 15 s idle
//! and after visiting every page and fetching 7 days of chat records.

use std::time::{Duration, Instant};

use kefu_e2e::{Driver, Session};
use serde_json::json;

const RENDERED: &str = "return document.querySelectorAll('#agents-table tbody tr[data-account]').length > 0;";

/// PSS and private (USS) memory in KiB of `pid` and every process under it.
fn memory(pid: u32) -> (u64, u64, usize) {
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(child) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // pid (comm) state ppid …: the comm may hold spaces, so read after the last ')'.
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)).and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) && !family.contains(&child) {
                family.push(child);
            }
        }
        i += 1;
    }
    let (mut pss, mut uss) = (0, 0);
    for p in &family {
        let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
        let field = |name: &str| rollup.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        pss += field("Pss:");
        uss += field("Private_Clean:") + field("Private_Dirty:");
    }
    (pss, uss, family.len())
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

async fn rendered(s: &Session) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while s.js(RENDERED, json!([])).await != true {
        assert!(Instant::now() < deadline, "the Agents list did not render");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::main]
async fn main() {
    let app = kefu_e2e::app_binary();
    println!("bench-app: {} ({:.1} MB)", app.display(), std::fs::metadata(&app).map(|m| m.len()).unwrap_or(0) as f64 / 1e6);
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);

    // Launch to the Agents list rendered: from asking for a window to the first rows on screen.
    let mut launches = Vec::new();
    for run in 0..6 {
        let start = Instant::now();
        let s = Session::new(&driver).await;
        rendered(&s).await;
        let took = start.elapsed();
        // The first launch warms the disk cache and creates the config: not counted.
        if run > 0 {
            launches.push(took);
        }
        println!("  launch {run}: {:.2} s{}", took.as_secs_f64(), if run == 0 { " (warm-up, not counted)" } else { "" });
        s.close().await;
        driver.wait_app_gone().await;
    }
    launches.sort();
    println!("launch to the Agents list rendered: median {:.2} s of 5 (min {:.2}, max {:.2}; target ≤ 1.5 s)", launches[2].as_secs_f64(), launches[0].as_secs_f64(), launches[4].as_secs_f64());

    let s = Session::new(&driver).await;
    rendered(&s).await;
    tokio::time::sleep(Duration::from_secs(15)).await;
    let pid = driver.app_processes()[0];
    let (pss, uss, n) = memory(pid);
    println!("idle 15 s after launch: PSS {}, private {} ({n} processes; target ≤ 160 MB private)", mib(pss), mib(uss));

    // The tour: every page, and 7 days of chat records fetched on the Records page.
    for page in ["sessions", "records", "stats", "settings", "agents"] {
        s.click(&format!("#nav [data-view={page}]")).await;
        s.wait_for(page, &format!("return document.querySelector('#view section.page') && document.querySelector('#nav [data-view={page}]').getAttribute('aria-current') === 'page';")).await;
        if page == "records" {
            s.click("#records-form [data-range='last7']").await;
            s.click("#rf-fetch").await;
            let summary = s.wait_for("the records", "return document.getElementById('records-summary')?.textContent;").await;
            println!("  records: {}", summary.as_str().unwrap_or_default());
        }
        if page == "stats" {
            s.wait_for("the figures", "return document.querySelector('#stats-page canvas');").await;
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (pss, uss, n) = memory(pid);
    println!("after the tour: PSS {}, private {} ({n} processes; target ≤ 250 MB)", mib(pss), mib(uss));
    s.close().await;
}
