//! Chat records over a date range against the sandbox: CST day windows, msgid paging across
//! full pages (a day with exactly 10 000 and one with 10 001 records), empty days, the fewest
//! requests, filters, sorting, cancellation, and the CSV export.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use common::*;
use kefudesk_lib::i18n::Lang;
use kefudesk_lib::mp::records::{fetch_records, write_csv, FetchError, FetchFilter, Progress, RecordSet};
use kefudesk_lib::wechat::cst::{cst_date_range, cst_windows, format_cst};

const GMSL: &str = "/customservice/msgrecord/getmsglist";
/// 2025-10-01 00:00 CST — long before the demo history (the last two months).
const OCT1: i64 = 1_759_248_000;
const DAY: i64 = 86_400;

/// Two identical records (same customer, operation, text, second and worker — two pictures sent
/// in one second) on either side of a page boundary are both kept: the msgid cursor already
/// makes pages disjoint.
#[tokio::test]
async fn identical_records_across_a_page_boundary_are_both_kept() {
    let sb = sandbox().await;
    {
        let mut w = sb.world();
        w.fill_records(OCT1, 1, 10_001, 1);
        let mut day: Vec<_> = w.records().iter().filter(|r| (OCT1..OCT1 + DAY).contains(&r.time)).cloned().collect();
        day.sort_by_key(|r| r.msgid);
        let twin = kefudesk_lib::sandbox::mp::world::Record { msgid: day[10_000].msgid, ..day[9_999].clone() };
        let at = w.records().iter().position(|r| r.msgid == twin.msgid).unwrap();
        w.records()[at] = twin;
    }
    let (start, end) = cst_date_range("2025-10-01", "2025-10-01").unwrap();
    let (records, _) = fetch_records(
        &client(&sb),
        &cst_windows(start, end),
        &FetchFilter::default(),
        &AtomicBool::new(false),
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(records.len(), 10_001);
    assert_eq!(records[9_999], records[10_000], "the twins, both there");
}

/// "Up to now" with now exactly at a CST midnight: no empty window reaches WeChat (65417).
#[tokio::test]
async fn a_fetch_up_to_a_cst_midnight_asks_no_empty_window() {
    let sb = sandbox().await;
    sb.world().fill_records(OCT1, 1, 50, 1);
    let midnight = OCT1 + DAY;
    let windows = cst_windows(OCT1, midnight + 1);
    let (records, _) =
        fetch_records(&client(&sb), &windows, &FetchFilter::default(), &AtomicBool::new(false), &|_| {}).await.unwrap();
    assert_eq!(records.len(), 50);
    assert!(windows.iter().all(|w| w.end > w.start));
}

#[tokio::test]
async fn full_pages_empty_days_and_cst_boundaries() {
    let sb = sandbox().await;
    {
        let mut w = sb.world();
        w.fill_records(OCT1, 1, 10_000, 1); // Oct 1: exactly one full page
        w.fill_records(OCT1 + DAY, 1, 10_001, 2); // Oct 2: one record more than a page
                                                  // Oct 3: nothing. Oct 4: three records, one a second before midnight and one at midnight (Oct 5).
        w.fill_records(OCT1 + 3 * DAY, 1, 2, 3);
    }
    {
        let mut w = sb.world();
        let base = w.records()[0].clone();
        let edges = [OCT1 + 4 * DAY - 1, OCT1 + 4 * DAY]
            .map(|t| kefudesk_lib::sandbox::mp::world::Record { time: t, ..base.clone() });
        w.merge_records(edges.into());
    }
    assert_eq!(format_cst(OCT1), "2025-10-01 00:00:00");
    let (start, end) = cst_date_range("2025-10-01", "2025-10-04").unwrap();
    let windows = cst_windows(start, end);
    assert_eq!(windows.len(), 4);
    sb.reset_request_counts();
    let seen = Mutex::new(Vec::<Progress>::new());
    let c = client(&sb);
    let (records, stats) = fetch_records(&c, &windows, &FetchFilter::default(), &AtomicBool::new(false), &|p| {
        seen.lock().unwrap().push(p)
    })
    .await
    .unwrap();

    let per_day = |d: i64| records.iter().filter(|r| (OCT1 + d * DAY..OCT1 + (d + 1) * DAY).contains(&r.time)).count();
    assert_eq!((per_day(0), per_day(1), per_day(2), per_day(3)), (10_000, 10_001, 0, 3));
    assert_eq!(records.len(), 20_004, "the record at midnight of Oct 5 is outside the range");
    assert!(records.windows(2).all(|p| p[0].time <= p[1].time), "sorted by time");
    // The fewest calls: a full page needs one more call to know it was the last.
    // Oct 1: 10 000 then an empty page; Oct 2: 10 000 then 1; Oct 3: empty; Oct 4: 3 → 6 calls.
    assert_eq!(stats.requests, 6);
    assert_eq!(sb.requests(GMSL), 6);
    let seen = seen.into_inner().unwrap();
    let last = seen.last().unwrap();
    assert_eq!((last.windows_done, last.windows_total, last.records), (4, 4, 20_004));
    assert!(
        seen.windows(2).all(|p| p[0].records <= p[1].records && p[0].windows_done <= p[1].windows_done),
        "progress only grows"
    );
}

#[tokio::test]
async fn filters_by_agent_and_customer_while_fetching() {
    let sb = sandbox().await;
    sb.world().fill_records(OCT1, 2, 3_000, 7);
    let (agent, customer) = {
        let mut w = sb.world();
        let r = w.records().iter().find(|r| r.time >= OCT1 && !r.worker.is_empty()).unwrap();
        (r.worker.to_string(), r.openid.to_string())
    };
    let windows = cst_windows(OCT1, OCT1 + 2 * DAY);
    let c = client(&sb);
    let none = AtomicBool::new(false);
    let (all, _) = fetch_records(&c, &windows, &FetchFilter::default(), &none, &|_| {}).await.unwrap();
    let by_agent = FetchFilter { agent: Some(agent.clone()), customer: None };
    let (mine, stats) = fetch_records(&c, &windows, &by_agent, &none, &|_| {}).await.unwrap();
    assert_eq!(mine.len(), all.iter().filter(|r| r.worker == agent).count());
    assert!(!mine.is_empty() && mine.iter().all(|r| r.worker == agent));
    assert_eq!(stats.received, 6_000, "WeChat cannot filter: everything is read, only matches kept");
    let both = FetchFilter { agent: Some(agent.clone()), customer: Some(customer.clone()) };
    let (few, _) = fetch_records(&c, &windows, &both, &none, &|_| {}).await.unwrap();
    assert_eq!(few.len(), all.iter().filter(|r| r.worker == agent && r.openid == customer).count());
}

#[tokio::test]
async fn cancelling_stops_between_pages() {
    let sb = sandbox().await;
    sb.world().fill_records(OCT1, 10, 100, 9);
    let c = client(&sb);
    // Cancelled before it starts: nothing is asked.
    let cancel = AtomicBool::new(true);
    sb.reset_request_counts();
    let r = fetch_records(&c, &cst_windows(OCT1, OCT1 + 10 * DAY), &FetchFilter::default(), &cancel, &|_| {}).await;
    assert!(matches!(r, Err(FetchError::Cancelled)));
    assert_eq!(sb.requests(GMSL), 0);
    // Cancelled during the fetch (when the first day is done): the days not begun are not asked.
    let cancel = AtomicBool::new(false);
    sb.reset_request_counts();
    let r = fetch_records(&c, &cst_windows(OCT1, OCT1 + 10 * DAY), &FetchFilter::default(), &cancel, &|p| {
        if p.windows_done >= 1 {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .await;
    assert!(matches!(r, Err(FetchError::Cancelled)), "{r:?}");
    let asked = sb.requests(GMSL);
    assert!((1..10).contains(&asked), "stopped part-way: {asked} of 10 days asked");
}

#[tokio::test]
async fn errors_are_wechats_own() {
    let sb = sandbox().await;
    sb.set_fault(GMSL, kefudesk_lib::sandbox::faults::Fault::errcode(65416));
    let c = client(&sb);
    let r =
        fetch_records(&c, &cst_windows(OCT1, OCT1 + DAY), &FetchFilter::default(), &AtomicBool::new(false), &|_| {})
            .await;
    match r {
        Err(FetchError::Api(e)) => assert_eq!(e.errcode(), Some(65416)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn csv_export_has_a_bom_a_header_and_every_row() {
    let sb = sandbox().await;
    sb.world().fill_records(OCT1, 1, 500, 4);
    let c = client(&sb);
    let (records, stats) =
        fetch_records(&c, &cst_windows(OCT1, OCT1 + DAY), &FetchFilter::default(), &AtomicBool::new(false), &|_| {})
            .await
            .unwrap();
    let set = RecordSet::new(records, stats);
    let dir = std::env::temp_dir().join(format!("kefudesk-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("记录.csv");
    let all = set.matching("");
    let bytes = write_csv(&path, &set, &all, Lang::ZhCn).unwrap();
    let text = std::fs::read(&path).unwrap();
    assert_eq!(text.len() as u64, bytes);
    assert!(text.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut rd = csv::Reader::from_reader(&text[3..]);
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        ["时间（北京时间）", "客服账号", "客户 openid", "操作", "操作码", "内容"]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 500);
    for (row, r) in rows.iter().zip(&set.records) {
        assert_eq!(&row[0], format_cst(r.time));
        assert_eq!((&row[1], &row[2], &row[5]), (r.worker.as_str(), r.openid.as_str(), r.text.as_str()));
        assert_eq!(row[4].parse::<i64>().unwrap(), r.opercode);
    }
    assert!(rows.iter().any(|r| &r[3] == "客服发送消息"));
    // Search narrows the export.
    let sent = set.matching("agent sent");
    assert!(!sent.is_empty() && sent.len() < 500);
    assert!(sent.iter().all(|&i| set.records[i as usize].opercode == 2002));
    // An unwritable path is an error and leaves nothing behind.
    assert!(write_csv(&dir.join("no/such/dir/x.csv"), &set, &all, Lang::En).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[path = "common/child.rs"]
mod child;

#[tokio::test]
async fn csv_export_neutralises_formulas_and_never_destroys_the_file_it_replaces() {
    let sb = sandbox().await;
    let openid = sb.world().customers.keys().next().unwrap().clone();
    for text in ["=HYPERLINK(\"http://evil\",\"点我\")", "+1", "-2", "@SUM(A1)", "\tcmd", "正常的话"] {
        sb.world().customer_writes(&openid, text).unwrap();
    }
    let c = client(&sb);
    let now = sb.world().now();
    let (records, stats) =
        fetch_records(&c, &cst_windows(now - 600, now + 1), &FetchFilter::default(), &AtomicBool::new(false), &|_| {})
            .await
            .unwrap();
    let set = RecordSet::new(records, stats);
    let all = set.matching("");
    // In a child whose files cannot grow past 1 KiB: the export fails part-way.
    if let Some(path) = child::limited_child_target() {
        assert!(write_csv(&path, &set, &all, Lang::En).is_err(), "past the limit");
        return;
    }
    let dir = std::env::temp_dir().join(format!("kefudesk-csv-safe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.csv");
    write_csv(&path, &set, &all, Lang::En).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.len() > 1024, "larger than the child's limit: {} bytes", text.len());
    let mut rd = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let texts: Vec<String> = rd.records().map(|r| r.unwrap()[5].to_string()).collect();
    for want in ["'=HYPERLINK(\"http://evil\",\"点我\")", "'+1", "'-2", "'@SUM(A1)", "'\tcmd", "正常的话"] {
        assert!(texts.iter().any(|t| t == want), "{want:?} not in {texts:?}");
    }
    assert!(!texts.iter().any(|t| t.starts_with('=')), "no cell a spreadsheet would run");
    // An export that fails part-way over an earlier one (larger than the limit too) leaves
    // that one as it was, and no temporary file beside it — as root too.
    let before = format!("{}\n", "an earlier export ".repeat(200));
    std::fs::write(&path, &before).unwrap();
    child::run_limited(
        "csv_export_neutralises_formulas_and_never_destroys_the_file_it_replaces",
        child::Limit::FileSize(1024),
        &path,
    );
    assert_eq!(std::fs::read_to_string(&path).ok(), Some(before), "the old export is untouched");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temp file left");
    std::fs::remove_dir_all(&dir).unwrap();
}
