//! Official Account statistics, computed from chat records (the API has no statistics call; the
//! records are those of document/path …/Customer_Service/Obtain_chat_transcript, `getmsglist`).
//!
//! How each figure is computed (the page says the same in words):
//! - A **session** starts when an agent accepts a waiting customer (1001), starts one (1002) or
//!   grabs one (1005); a transfer (1003) ends the first agent's part and starts the new agent's.
//!   It belongs to the CST day and the agent of that start, even when it ends after midnight.
//! - **Customers served**: distinct customers with a session started that day (or by that agent).
//! - **Messages received**: the customer's messages (2001 to the account, 2003 to an agent);
//!   **sent**: the agents' messages (2002), on the day and by the agent that sent them.
//! - **First reply**: from the customer's first message of a request (the 2001 before the
//!   session, else the session's start) to the agent's first message in the session — what the
//!   customer waited, the queue included. Sessions an agent started (1002) and transferred-in
//!   parts have none. Median and 90th percentile interpolate linearly (as Excel's
//!   PERCENTILE.INC).
//! - **Session length**: from a part's start to its close (1004) or transfer; parts not ended in
//!   the range are left out of the average.
//! - **Waited**: customers put in the queue (1000) and, for those taken, how long until accepted
//!   (per agent: the customers they took from the queue).
//! - Days and agents count each part of a transferred session; the whole range counts it once.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::wechat::cst::cst_day_start as cst_day;
use crate::wechat::mp::MsgRecord;

const DAY: i64 = 86_400;

/// Upper bounds (seconds) of the first-reply distribution's buckets; the last is open.
pub const REPLY_BUCKETS: [i64; 6] = [30, 60, 180, 600, 1800, 3600];

/// The figures of one day, one agent or the whole range.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Figures {
    pub sessions: u32,
    pub customers: u32,
    pub received: u32,
    pub sent: u32,
    /// Sessions with a measured first reply.
    pub replied: u32,
    pub first_reply_median: Option<f64>,
    pub first_reply_p90: Option<f64>,
    /// Sessions ended in the range (the basis of the average length).
    pub ended: u32,
    pub session_avg: Option<f64>,
    /// Customers put in the queue; of them, taken from it, and the average wait of those.
    pub queued: u32,
    pub taken: u32,
    pub wait_avg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DayFigures {
    /// The CST day's start (unix seconds).
    pub day: i64,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AgentFigures {
    /// The full kf account.
    pub agent: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MpStats {
    /// Every day of the range, in order (days without records have zero figures).
    pub days: Vec<DayFigures>,
    /// Every agent with a session or a message in the range, busiest first.
    pub agents: Vec<AgentFigures>,
    pub total: Figures,
    /// First replies per bucket of [`REPLY_BUCKETS`] (one more for longer).
    pub reply_buckets: Vec<u32>,
}

/// What is gathered per group before the figures are worked out.
#[derive(Default)]
struct Tally {
    sessions: u32,
    customers: HashSet<String>,
    received: u32,
    sent: u32,
    replies: Vec<i64>,
    lengths: Vec<i64>,
    queued: HashSet<String>,
    waits: Vec<i64>,
}

impl Tally {
    fn figures(mut self) -> Figures {
        self.replies.sort_unstable();
        let avg = |v: &[i64]| (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64);
        Figures {
            sessions: self.sessions,
            customers: self.customers.len() as u32,
            received: self.received,
            sent: self.sent,
            replied: self.replies.len() as u32,
            first_reply_median: percentile(&self.replies, 50.0),
            first_reply_p90: percentile(&self.replies, 90.0),
            ended: self.lengths.len() as u32,
            session_avg: avg(&self.lengths),
            queued: self.queued.len() as u32,
            taken: self.waits.len() as u32,
            wait_avg: avg(&self.waits),
        }
    }
}

/// The `p`th percentile of sorted `v`, interpolated linearly between ranks (PERCENTILE.INC).
pub fn percentile(v: &[i64], p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let rank = p / 100.0 * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(v[lo] as f64 + (v[hi] - v[lo]) as f64 * (rank - lo as f64))
}

/// One customer's state while the records are read in time order.
#[derive(Default)]
struct Customer {
    /// The first message of a request not yet answered by a session.
    asked_at: Option<i64>,
    /// When they were put in the queue, until taken.
    queued_at: Option<i64>,
    /// The part of a session being served: agent, its start day, start, and whether its first
    /// reply is still to be measured from `from`.
    part: Option<Part>,
}

struct Part {
    agent: String,
    day: i64,
    start: i64,
    reply_from: Option<i64>,
}

/// The statistics of `records` (in time order) for the CST days `from..=to` (day starts); every
/// agent of `known` is listed, with zeros when they had nothing to do.
pub fn compute(records: &[MsgRecord], from: i64, to: i64, known: &[String]) -> MpStats {
    let mut days: HashMap<i64, Tally> = HashMap::new();
    let mut agents: HashMap<String, Tally> = known.iter().map(|a| (a.clone(), Tally::default())).collect();
    let mut total = Tally::default();
    let mut people: HashMap<&str, Customer> = HashMap::new();
    let mut buckets = vec![0u32; REPLY_BUCKETS.len() + 1];

    // Adds to the day's, the agent's and the whole range's tally.
    fn each(
        days: &mut HashMap<i64, Tally>,
        agents: &mut HashMap<String, Tally>,
        total: &mut Tally,
        day: i64,
        agent: Option<&str>,
        f: impl Fn(&mut Tally),
    ) {
        f(days.entry(day).or_default());
        if let Some(a) = agent.filter(|a| !a.is_empty()) {
            f(agents.entry(a.to_string()).or_default());
        }
        f(total);
    }

    for r in records {
        let day = cst_day(r.time);
        let c = people.entry(r.openid.as_str()).or_default();
        let end_part = |c: &mut Customer,
                        days: &mut HashMap<i64, Tally>,
                        agents: &mut HashMap<String, Tally>,
                        total: &mut Tally| {
            if let Some(p) = c.part.take() {
                let length = r.time - p.start;
                each(days, agents, total, p.day, Some(&p.agent), |t| t.lengths.push(length));
            }
        };
        match r.opercode {
            1000 => {
                c.queued_at.get_or_insert(r.time);
                let openid = r.openid.clone();
                each(&mut days, &mut agents, &mut total, day, None, |t| {
                    t.queued.insert(openid.clone());
                });
            }
            1001 | 1002 | 1005 => {
                end_part(c, &mut days, &mut agents, &mut total);
                let waited = c.queued_at.take().map(|q| r.time - q);
                let reply_from = if r.opercode == 1002 { None } else { Some(c.asked_at.unwrap_or(r.time)) };
                c.asked_at = None;
                c.part = Some(Part { agent: r.worker.clone(), day, start: r.time, reply_from });
                let openid = r.openid.clone();
                each(&mut days, &mut agents, &mut total, day, Some(&r.worker), |t| {
                    t.sessions += 1;
                    t.customers.insert(openid.clone());
                    if let Some(w) = waited {
                        t.waits.push(w);
                    }
                });
            }
            1003 => {
                end_part(c, &mut days, &mut agents, &mut total);
                c.part = Some(Part { agent: r.worker.clone(), day, start: r.time, reply_from: None });
                let openid = r.openid.clone();
                each(&mut days, &mut agents, &mut total, day, Some(&r.worker), |t| {
                    // The whole range counts a transferred session once; the new agent and the
                    // day count the part it started.
                    t.customers.insert(openid.clone());
                });
                days.get_mut(&day).expect("tallied").sessions += 1;
                if let Some(t) = agents.get_mut(&r.worker) {
                    t.sessions += 1;
                }
            }
            1004 => {
                end_part(c, &mut days, &mut agents, &mut total);
                c.asked_at = None;
            }
            2001 | 2003 => {
                if c.part.is_none() {
                    c.asked_at.get_or_insert(r.time);
                }
                let agent = (r.opercode == 2003).then_some(r.worker.as_str());
                each(&mut days, &mut agents, &mut total, day, agent, |t| t.received += 1);
            }
            2002 => {
                let mut reply = None;
                if let Some(p) = c.part.as_mut() {
                    if let Some(from) = p.reply_from.take() {
                        reply = Some((p.day, p.agent.clone(), r.time - from));
                    }
                }
                each(&mut days, &mut agents, &mut total, day, Some(&r.worker), |t| t.sent += 1);
                if let Some((pday, agent, secs)) = reply {
                    each(&mut days, &mut agents, &mut total, pday, Some(&agent), |t| t.replies.push(secs));
                    let b = REPLY_BUCKETS.iter().position(|&edge| secs <= edge).unwrap_or(REPLY_BUCKETS.len());
                    buckets[b] += 1;
                }
            }
            _ => {}
        }
    }

    let mut day_list = Vec::new();
    let mut d = cst_day(from);
    while d <= cst_day(to) {
        day_list.push(DayFigures { day: d, figures: days.remove(&d).map(Tally::figures).unwrap_or_default() });
        d += DAY;
    }
    let mut agent_list: Vec<AgentFigures> =
        agents.into_iter().map(|(agent, t)| AgentFigures { agent, figures: t.figures() }).collect();
    agent_list.sort_by(|a, b| b.figures.sessions.cmp(&a.figures.sessions).then_with(|| a.agent.cmp(&b.agent)));
    MpStats { days: day_list, agents: agent_list, total: total.figures(), reply_buckets: buckets }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-20 00:00 CST.
    const D: i64 = 1_795_104_000;

    fn r(time: i64, opercode: i64, openid: &str, worker: &str) -> MsgRecord {
        MsgRecord { openid: openid.into(), opercode, text: String::new(), time, worker: worker.into() }
    }

    /// Two days, worked out by hand in the comments: a plain session (c1), a transfer (c2), a
    /// session across midnight (c3), one an agent started and did not end (c4), a customer
    /// still queued (c5); cat did nothing.
    fn fixture() -> Vec<MsgRecord> {
        let mut v = vec![
            r(D + 36_000, 2001, "c1", ""),
            r(D + 36_000, 1000, "c1", ""),
            r(D + 36_060, 1001, "c1", "amy@x"), // waited 60
            r(D + 36_090, 2002, "c1", "amy@x"), // first reply 90
            r(D + 36_100, 2003, "c1", "amy@x"),
            r(D + 36_200, 2002, "c1", "amy@x"),
            r(D + 36_600, 1004, "c1", "amy@x"), // 540 long
            r(D + 40_000, 2001, "c2", ""),
            r(D + 40_000, 1000, "c2", ""),
            r(D + 40_300, 1001, "c2", "bob@x"), // waited 300
            r(D + 40_330, 2002, "c2", "bob@x"), // first reply 330
            r(D + 40_400, 1003, "c2", "amy@x"), // bob's part 100 long; amy's starts
            r(D + 40_450, 2002, "c2", "amy@x"),
            r(D + 40_500, 1004, "c2", "amy@x"), // amy's part 100 long
            r(D + 86_000, 2001, "c3", ""),
            r(D + 86_000, 1000, "c3", ""),
            r(D + 86_100, 1001, "c3", "amy@x"), // waited 100
            r(D + 86_500, 2002, "c3", "amy@x"), // after midnight; first reply 500, day 1's
            r(D + 87_000, 1004, "c3", "amy@x"), // 900 long, day 1's
            r(D + 90_000, 1002, "c4", "bob@x"),
            r(D + 90_010, 2002, "c4", "bob@x"),
            r(D + 90_020, 2003, "c4", "bob@x"),
            r(D + 90_100, 2001, "c5", ""),
            r(D + 90_100, 1000, "c5", ""),
        ];
        v.sort_by_key(|x| x.time);
        v
    }

    fn stats() -> MpStats {
        compute(&fixture(), D, D + DAY, &["amy@x".into(), "bob@x".into(), "cat@x".into()])
    }

    #[test]
    fn per_day_as_worked_out_by_hand() {
        let s = stats();
        assert_eq!(s.days.iter().map(|d| d.day).collect::<Vec<_>>(), [D, D + DAY]);
        let one = &s.days[0].figures;
        assert_eq!((one.sessions, one.customers, one.received, one.sent), (4, 3, 4, 4));
        assert_eq!((one.replied, one.first_reply_median, one.first_reply_p90), (3, Some(330.0), Some(466.0)));
        assert_eq!(
            (one.ended, one.session_avg),
            (4, Some(410.0)),
            "(540 + 100 + 100 + 900) / 4, the one across midnight included"
        );
        assert_eq!((one.queued, one.taken), (3, 3));
        assert!((one.wait_avg.unwrap() - 460.0 / 3.0).abs() < 1e-9);
        let two = &s.days[1].figures;
        assert_eq!((two.sessions, two.customers, two.received, two.sent), (1, 1, 2, 2));
        assert_eq!(
            (two.replied, two.first_reply_median, two.ended, two.session_avg),
            (0, None, 0, None),
            "an agent-started session has no first reply; an open one no length"
        );
        assert_eq!((two.queued, two.taken, two.wait_avg), (1, 0, None));
    }

    #[test]
    fn per_agent_busiest_first_and_an_agent_with_nothing_listed_with_zeros() {
        let s = stats();
        assert_eq!(s.agents.iter().map(|a| a.agent.as_str()).collect::<Vec<_>>(), ["amy@x", "bob@x", "cat@x"]);
        let amy = &s.agents[0].figures;
        assert_eq!((amy.sessions, amy.customers, amy.received, amy.sent), (3, 3, 1, 4));
        assert_eq!((amy.first_reply_median, amy.first_reply_p90), (Some(295.0), Some(459.0)));
        assert_eq!(amy.ended, 3);
        assert!((amy.session_avg.unwrap() - 1540.0 / 3.0).abs() < 1e-9);
        assert_eq!((amy.taken, amy.wait_avg), (2, Some(80.0)));
        let bob = &s.agents[1].figures;
        assert_eq!((bob.sessions, bob.customers, bob.received, bob.sent), (2, 2, 1, 2));
        assert_eq!(
            (bob.first_reply_median, bob.first_reply_p90, bob.session_avg),
            (Some(330.0), Some(330.0), Some(100.0))
        );
        assert_eq!(s.agents[2].figures, Figures::default());
    }

    #[test]
    fn the_whole_range_counts_a_transferred_session_once() {
        let t = stats().total;
        assert_eq!((t.sessions, t.customers, t.received, t.sent), (4, 4, 6, 6));
        assert_eq!((t.first_reply_median, t.first_reply_p90, t.session_avg), (Some(330.0), Some(466.0), Some(410.0)));
        assert_eq!((t.queued, t.taken), (4, 3));
        assert_eq!(stats().reply_buckets, [0, 0, 1, 2, 0, 0, 0], "90 s under 3 min, 330 s and 500 s under 10 min");
    }

    #[test]
    fn percentiles_interpolate_like_a_spreadsheet() {
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[7], 90.0), Some(7.0));
        assert_eq!(percentile(&[1, 2, 3, 4], 50.0), Some(2.5));
        assert_eq!(percentile(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90.0), Some(91.0));
    }

    #[test]
    fn days_without_records_are_listed_with_zeros() {
        let s = compute(&[], D, D + 2 * DAY, &[]);
        assert_eq!(s.days.len(), 3);
        assert!(s.days.iter().all(|d| d.figures == Figures::default()));
    }
}
