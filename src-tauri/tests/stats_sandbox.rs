//! Statistics against the sandboxes over loopback HTTP: the Official Account's figures computed
//! from the records the MP sandbox returns, checked against the sandbox's own records; WeCom's
//! read in 31-day windows (counted at the sandbox), summed over the accounts, days without data
//! kept as no data, and what WeCom does not keep said before any call.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use common::*;
use kefudesk_lib::mp::records::{fetch_records, FetchFilter};
use kefudesk_lib::wechat::cst::{cst_day_start as cst_day, cst_windows};

use kefudesk_lib::mp::stats::compute;
use kefudesk_lib::wecom::stats::{read, RangeProblem, Source, StatsError};

const DAY: i64 = 86_400;
const CORP: &str = "/cgi-bin/kf/get_corp_statistic";

#[tokio::test]
async fn official_account_figures_agree_with_the_sandboxs_own_records() {
    let sb = sandbox().await;
    let c = client(&sb);
    let now = sb.world().now();
    let today = cst_day(now);
    let from = today - 6 * DAY;
    let (records, _) =
        fetch_records(&c, &cst_windows(from, now), &FetchFilter::default(), &AtomicBool::new(false), &|_| {})
            .await
            .unwrap();
    let agents: Vec<String> = sb.world().agents.iter().map(|a| a.account.clone()).collect();
    let s = compute(&records, from, today, &agents);
    assert_eq!(s.days.len(), 7);

    // Counted straight from the sandbox's records, day by day.
    let world: Vec<_> = sb.world().records().iter().filter(|r| r.time >= from && r.time <= now).cloned().collect();
    assert!(world.len() > 500, "demo history: {}", world.len());
    for d in &s.days {
        let that_day: Vec<_> = world.iter().filter(|r| cst_day(r.time) == d.day).collect();
        let count = |codes: &[i64]| that_day.iter().filter(|r| codes.contains(&r.opercode)).count() as u32;
        assert_eq!(d.figures.sent, count(&[2002]), "sent on {}", d.day);
        assert_eq!(d.figures.received, count(&[2001, 2003]), "received on {}", d.day);
        assert_eq!(
            d.figures.sessions,
            count(&[1001, 1002, 1003, 1005]),
            "sessions (and transferred parts) started on {}",
            d.day
        );
        let queued: std::collections::HashSet<&str> =
            that_day.iter().filter(|r| r.opercode == 1000).map(|r| &*r.openid).collect();
        assert_eq!(d.figures.queued as usize, queued.len());
    }
    let accepted = world.iter().filter(|r| [1001, 1002, 1005].contains(&r.opercode)).count() as u32;
    assert_eq!(s.total.sessions, accepted, "a transferred session counts once in the whole range");
    // Every agent of the account is listed; those who served nobody (unbound ones never do) with zeros.
    assert_eq!(s.agents.len(), agents.len());
    let per_agent: u32 = s.agents.iter().map(|a| a.figures.sent).sum();
    assert_eq!(per_agent, s.total.sent, "every agent message belongs to an agent");
    assert!(s.agents.iter().any(|a| a.figures.sessions == 0), "an agent with no sessions is still listed");
    // The seed answers a first message within minutes: the figures are in that range.
    let median = s.total.first_reply_median.expect("first replies measured");
    assert!(median > 0.0 && median < 3600.0, "{median}");
    assert_eq!(s.reply_buckets.iter().sum::<u32>(), s.total.replied);
}

#[tokio::test]
async fn wecom_figures_are_read_in_31_day_windows_and_summed_over_the_accounts() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let now = sb.world().now();
    let today = cst_day(now);
    let kfids: Vec<String> = sb.world().accounts.iter().map(|a| a.open_kfid.clone()).collect();
    sb.reset_request_counts();
    let steps = std::sync::Mutex::new(Vec::new());
    let days = read(&c, Source::Corp, &kfids, (today - 45 * DAY, now, now), &AtomicBool::new(false), |d, t| {
        steps.lock().unwrap().push((d, t))
    })
    .await
    .unwrap();
    assert_eq!(days.len(), 45, "45 days up to yesterday (today's figures come tomorrow)");
    assert_eq!(sb.requests(CORP), 2 * kfids.len() as u64, "two windows (31 + 14 days) per account");
    assert_eq!(steps.lock().unwrap().last(), Some(&(2 * kfids.len(), 2 * kfids.len())), "progress to the end");

    // Each day is the sum of what each account's own figures say (asked as any client would).
    let mut sums: BTreeMap<i64, Option<u64>> = BTreeMap::new();
    // Each account's days without data (one in nine in the sandbox).
    let mut quiet: Vec<Vec<i64>> = vec![Vec::new(); kfids.len()];
    for (i, kf) in kfids.iter().enumerate() {
        let mut own = c.corp_statistic(kf, today - 45 * DAY, today - 15 * DAY).await.unwrap();
        own.extend(c.corp_statistic(kf, today - 14 * DAY, today - DAY).await.unwrap());
        for d in own {
            let entry = sums.entry(cst_day(d.stat_time)).or_insert(None);
            if let Some(s) = &d.statistic {
                *entry = Some(entry.unwrap_or(0) + s["session_cnt"].as_u64().unwrap());
            } else {
                quiet[i].push(cst_day(d.stat_time));
            }
        }
    }
    for d in &days {
        assert_eq!(
            d.figures.as_ref().map(|f| f["session_cnt"].as_u64().unwrap()),
            sums[&d.day],
            "sessions on {}",
            d.day
        );
    }
    // One account alone: its quiet days are no data, not zeros.
    let i = quiet.iter().position(|q| !q.is_empty()).expect("the sandbox has days without data");
    let one =
        read(&c, Source::Corp, &kfids[i..=i], (today - 45 * DAY, today - DAY, now), &AtomicBool::new(false), |_, _| {})
            .await
            .unwrap();
    let none: Vec<i64> = one.iter().filter(|d| d.figures.is_none()).map(|d| d.day).collect();
    assert_eq!(none, quiet[i]);

    // Older than WeCom keeps, or cancelled: said before any call.
    sb.reset_request_counts();
    let err =
        read(&c, Source::Corp, &kfids, (today - 200 * DAY, today - 190 * DAY, now), &AtomicBool::new(false), |_, _| {})
            .await
            .unwrap_err();
    assert!(
        matches!(err, StatsError::Range(RangeProblem::TooOld { earliest }) if earliest == today - 180 * DAY),
        "{err:?}"
    );
    let err = read(&c, Source::Corp, &kfids, (today - 7 * DAY, now, now), &AtomicBool::new(true), |_, _| {})
        .await
        .unwrap_err();
    assert!(matches!(err, StatsError::Cancelled), "{err:?}");
    assert_eq!(sb.requests(CORP), 0);

    // A servicer's figures the same way (first reply averages come through).
    let (kf, who) = {
        let w = sb.world();
        (w.accounts[0].open_kfid.clone(), w.accounts[0].users[0].clone())
    };
    let mine = read(
        &c,
        Source::Servicer(Some(&who)),
        &[kf],
        (today - 7 * DAY, today, now),
        &AtomicBool::new(false),
        |_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(mine.len(), 7);
    assert!(mine.iter().filter_map(|d| d.figures.as_ref()).all(|f| f.contains_key("first_reply_average_sec")));
}
