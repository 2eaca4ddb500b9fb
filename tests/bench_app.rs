//! `make bench-app`: the release app on its built-in sandbox, driven through WebDriver under
//! Xvfb. Prints (asserts nothing): launch to the Agents list rendered (median of 5), and the
//! memory of the app and its WebKit processes (PSS and private/USS, from /proc) after 15 s idle
//! and after visiting every page and fetching 7 days of chat records.

use std::time::{Duration, Instant};

use kefu_e2e::{Driver, Session};
use serde_json::json;

const RENDERED: &str = "return document.querySelectorAll('#agents-table tbody tr[data-account]').length > 0;";

/// One process's memory: its name, PSS and private (USS) memory in KiB.
struct Usage {
    name: String,
    pss: u64,
    uss: u64,
}

/// The memory of `pid` and every process under it (the WebKit web and network processes).
fn memory(pid: u32) -> Vec<Usage> {
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        for (child, _) in kefu_e2e::children_of(family[i]) {
            if !family.contains(&child) {
                family.push(child);
            }
        }
        i += 1;
    }
    family
        .iter()
        .map(|p| {
            let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
            let field = |name: &str| {
                rollup
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.split_whitespace().next())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default().trim().to_string();
            Usage { name, pss: field("Pss:"), uss: field("Private_Clean:") + field("Private_Dirty:") }
        })
        .collect()
}

/// Prints the total and each process of it.
fn report(when: &str, target: &str, usage: &[Usage]) {
    let (pss, uss) = usage.iter().fold((0, 0), |(p, u), x| (p + x.pss, u + x.uss));
    // The targets are in MB (10^6 bytes): the private total is given in both.
    println!(
        "{when}: PSS {}, private {} = {:.1} MB ({} processes; target {target})",
        mib(pss),
        mib(uss),
        uss as f64 * 1024.0 / 1e6,
        usage.len()
    );
    for u in usage {
        println!("    {:<22} PSS {:>8}, private {:>8}", u.name, mib(u.pss), mib(u.uss));
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
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
    println!(
        "bench-app: {} ({:.1} MB)",
        app.display(),
        std::fs::metadata(&app).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    );
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);

    // Launch to the Agents list rendered: from asking for a window to the first rows on screen.
    let mut launches = Vec::new();
    for run in 0..6 {
        let start = Instant::now();
        let s = Session::new(&driver).await;
        // WebDriver's session is there once the app is up and WebKit's automation answers.
        let session = start.elapsed();
        rendered(&s).await;
        let took = start.elapsed();
        // The first launch warms the disk cache and creates the config: not counted.
        if run > 0 {
            launches.push(took);
        }
        let note = if run == 0 { " (warm-up, not counted)" } else { "" };
        println!(
            "  launch {run}: {:.2} s (session {:.2} s, then rendered in {:.2} s){note}",
            took.as_secs_f64(),
            session.as_secs_f64(),
            (took - session).as_secs_f64()
        );
        s.close().await;
        driver.wait_app_gone().await;
    }
    launches.sort();
    println!(
        "launch to the Agents list rendered: median {:.2} s of 5 (min {:.2}, max {:.2}; target ≤ 1.0 s)",
        launches[2].as_secs_f64(),
        launches[0].as_secs_f64(),
        launches[4].as_secs_f64()
    );

    let s = Session::new(&driver).await;
    rendered(&s).await;
    tokio::time::sleep(Duration::from_secs(15)).await;
    let pid = driver.app_processes()[0];
    report("idle 15 s after launch", "≤ 140 MB private", &memory(pid));

    // The tour: every page, and 7 days of chat records fetched on the Records page.
    for page in ["sessions", "records", "stats", "settings", "agents"] {
        s.click(&format!("#nav [data-view={page}]")).await;
        s.wait_for(page, &format!("return document.querySelector('#view section.page') && document.querySelector('#nav [data-view={page}]').getAttribute('aria-current') === 'page';")).await;
        if page == "records" {
            s.click("#records-form [data-range='last7']").await;
            s.click("#rf-fetch").await;
            let summary =
                s.wait_for("the records", "return document.getElementById('records-summary')?.textContent;").await;
            println!("  records: {}", summary.as_str().unwrap_or_default());
        }
        if page == "stats" {
            s.wait_for("the figures", "return document.querySelector('#stats-page canvas');").await;
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    report("after the tour", "≤ 200 MB private", &memory(pid));
    s.close().await;
}
