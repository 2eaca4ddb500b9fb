//! The Sessions page's data: one snapshot of the waiting queue, the online agents and their
//! sessions (fetched concurrently, a few agents at a time), and the recent average session
//! length from chat records — the basis of the wait estimate the page shows.

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;

use crate::error::Fault;
use crate::sentences::S;
use crate::wechat::error::ApiError;
use crate::wechat::limits::TEXT_BYTES;
use crate::wechat::mp::{CustomMessage, KfSession, MpClient, MsgRecord, WaitCase};

/// Agents whose session lists are fetched at the same time.
pub const CONCURRENT_AGENTS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AgentSessions {
    pub kf_account: String,
    pub nickname: String,
    /// 1 PC, 2 mobile, 3 both.
    pub status: i64,
    pub auto_accept: i64,
    pub accepted_case: i64,
    pub sessions: Vec<KfSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Snapshot {
    /// The true number waiting (may exceed the ≤ 100 listed).
    pub waiting_count: i64,
    /// The earliest ≤ 100, in arrival order.
    pub waiting: Vec<WaitCase>,
    /// Online agents, by account.
    pub agents: Vec<AgentSessions>,
}

/// The queue, the online agents and each one's sessions.
pub async fn snapshot(client: &MpClient) -> Result<Snapshot, ApiError> {
    let (queue, accounts, online) = tokio::join!(client.wait_cases(), client.kf_list(), client.online_kf_list());
    let (queue, accounts, mut online) = (queue?, accounts?, online?);
    online.retain(|o| o.status > 0);
    online.sort_by(|a, b| a.kf_account.cmp(&b.kf_account));
    let jobs: Vec<_> = online.iter().map(|o| client.session_list(&o.kf_account)).collect();
    let lists: Vec<Vec<KfSession>> = stream::iter(jobs).buffered(CONCURRENT_AGENTS).try_collect().await?;
    let agents = online
        .into_iter()
        .zip(lists)
        .map(|(o, mut sessions)| {
            sessions.sort_by_key(|s| s.createtime);
            AgentSessions {
                nickname: accounts
                    .iter()
                    .find(|a| a.kf_account == o.kf_account)
                    .map(|a| a.kf_nick.clone())
                    .unwrap_or_default(),
                kf_account: o.kf_account,
                status: o.status,
                auto_accept: o.auto_accept,
                accepted_case: o.accepted_case,
                sessions,
            }
        })
        .collect();
    Ok(Snapshot {
        waiting_count: queue.count.max(queue.waitcaselist.len() as i64),
        waiting: queue.waitcaselist,
        agents,
    })
}

/// How long sessions lasted recently: the mean time from acceptance (1001, or 1002 when the
/// agent started it) to closing (1004) of the same customer, and how many sessions that is.
/// Transfers (1003) keep the session going. `records` must be sorted by time.
pub fn average_session_secs(records: &[MsgRecord]) -> Option<(f64, usize)> {
    let mut open: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    let (mut total, mut n) = (0i64, 0usize);
    for r in records {
        match r.opercode {
            1001 | 1002 => {
                open.entry(r.openid.as_str()).or_insert(r.time);
            }
            1004 => {
                if let Some(start) = open.remove(r.openid.as_str()) {
                    total += (r.time - start).max(0);
                    n += 1;
                }
            }
            _ => {}
        }
    }
    (n > 0).then(|| (total as f64 / n as f64, n))
}

/// Who takes whom in a batch assignment: the first `count` waiting customers (in arrival
/// order), each to the agent with the most free places at that moment (auto-accept limit minus
/// sessions; ties by account), until no place is free.
pub fn plan_batch(snapshot: &Snapshot, count: usize) -> Vec<(String, String)> {
    let mut free: Vec<(i64, &str)> =
        snapshot.agents.iter().map(|a| ((a.auto_accept - a.accepted_case).max(0), a.kf_account.as_str())).collect();
    let mut plan = Vec::new();
    for w in snapshot.waiting.iter().take(count) {
        let Some(best) = free.iter_mut().filter(|(n, _)| *n > 0).max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1))) else {
            break;
        };
        best.0 -= 1;
        plan.push((w.openid.clone(), best.1.to_string()));
    }
    plan
}

/// What a customer last wrote (2001 before a session, 2003 in one) and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LastWords {
    pub text: String,
    pub time: i64,
}

/// Each customer's latest message in `records` (sorted by time): something staff recognise
/// them by, where WeChat gives only an openid.
pub fn last_words(records: &[MsgRecord]) -> std::collections::HashMap<String, LastWords> {
    let mut out = std::collections::HashMap::new();
    for r in records.iter().filter(|r| matches!(r.opercode, 2001 | 2003) && !r.text.trim().is_empty()) {
        out.insert(r.openid.clone(), LastWords { text: r.text.clone(), time: r.time });
    }
    out
}

/// A text WeChat would take: not empty, at most [`TEXT_BYTES`].
pub fn checked_text(text: &str) -> Result<(), Fault> {
    if text.is_empty() {
        return Err(Fault::invalid(S::TypeMessageFirst));
    }
    if text.len() > TEXT_BYTES {
        return Err(Fault::too_long(S::MpTextTooLong, text.len()));
    }
    Ok(())
}

/// What closing did when a goodbye was sent first: the session may still be open.
#[derive(Debug)]
pub struct Closed {
    /// The goodbye reached the customer (a retry must not send it again).
    pub goodbye_sent: bool,
    /// The goodbye was sent but the session could not be closed: it is still open.
    pub close_error: Option<ApiError>,
}

/// Ends a session, sending the agent's goodbye first when there is one. When the goodbye cannot
/// be sent nothing else happens (an error saying so: the customer would otherwise be cut off
/// without a word); when it was sent but closing fails, the outcome says so and a retry passes
/// no goodbye. An error always means the session is as it was.
pub async fn close(client: &MpClient, kf_account: &str, openid: &str, goodbye: Option<&str>) -> Result<Closed, Fault> {
    let goodbye = goodbye.map(str::trim).filter(|g| !g.is_empty());
    if let Some(text) = goodbye {
        checked_text(text)?;
    }
    let Some(text) = goodbye else {
        client.close_session(kf_account, openid).await?;
        return Ok(Closed { goodbye_sent: false, close_error: None });
    };
    if let Err(cause) = client.send_message(openid, &CustomMessage::text(text), Some(kf_account)).await {
        // A lost answer leaves it unknown whether the customer got the goodbye: say so.
        let s = if cause.is_transient() { S::GoodbyeMayNotHaveReached } else { S::GoodbyeNotSent };
        return Err(Fault::Step { s, cause });
    }
    Ok(Closed { goodbye_sent: true, close_error: client.close_session(kf_account, openid).await.err() })
}

/// WeChat has no transfer: the session with `from` is closed, then one with `to` created. The
/// second step's failure is the answer (the customer is then served by nobody); an error means
/// nothing changed.
pub async fn transfer(client: &MpClient, from: &str, to: &str, openid: &str) -> Result<Option<ApiError>, Fault> {
    if from == to {
        return Err(Fault::invalid(S::ChooseDifferentAgent));
    }
    client.close_session(from, openid).await?;
    Ok(client.create_session(to, openid).await.err())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(account: &str, auto_accept: i64, accepted_case: i64) -> AgentSessions {
        AgentSessions {
            kf_account: account.into(),
            nickname: account.into(),
            status: 1,
            auto_accept,
            accepted_case,
            sessions: vec![],
        }
    }

    #[test]
    fn a_batch_goes_to_the_most_free_places_first_until_none_is_left() {
        let waiting = (1..=6).map(|i| WaitCase { openid: format!("c{i}"), latest_time: i, kf_account: None }).collect();
        let snapshot =
            Snapshot { waiting_count: 6, waiting, agents: vec![agent("a", 3, 1), agent("b", 5, 2), agent("c", 2, 2)] };
        // b has 3 free, a 2, c none: b, then a tie (a 2, b 2) goes to a, then b, a, b.
        let plan = plan_batch(&snapshot, 10);
        let to: Vec<&str> = plan.iter().map(|(_, a)| a.as_str()).collect();
        assert_eq!(to, ["b", "a", "b", "a", "b"], "5 free places, 6 waiting: the sixth stays");
        assert_eq!(plan[0].0, "c1", "in arrival order");
        assert_eq!(plan_batch(&snapshot, 2).len(), 2);
        assert!(
            plan_batch(&Snapshot { agents: vec![agent("c", 2, 2)], ..snapshot.clone() }, 3).is_empty(),
            "nobody free"
        );
    }

    #[test]
    fn a_customers_last_words_are_their_latest_message() {
        let mut records = vec![
            rec("c1", 2001, 10),
            rec("c1", 2002, 20),
            rec("c1", 2003, 30),
            rec("c2", 1000, 40),
            rec("c1", 2003, 50),
        ];
        records[0].text = "在吗".into();
        records[1].text = "您好".into(); // the agent's, not the customer's
        records[2].text = "订单 123 没到".into();
        let words = last_words(&records);
        assert_eq!(
            words["c1"],
            LastWords { text: "订单 123 没到".into(), time: 30 },
            "the latest with words (an [image] has words too)"
        );
        assert!(!words.contains_key("c2"), "no message, no words");
    }

    fn rec(openid: &str, opercode: i64, time: i64) -> MsgRecord {
        MsgRecord { openid: openid.into(), opercode, text: String::new(), time, worker: "a@x".into() }
    }

    #[test]
    fn session_length_runs_from_acceptance_to_closing() {
        let records = [
            rec("c1", 2001, 0),
            rec("c1", 1000, 0),
            rec("c1", 1001, 100),
            rec("c2", 1002, 150),
            rec("c1", 1003, 200), // a transfer does not end the session
            rec("c1", 1004, 700), // 600 s
            rec("c2", 1004, 350), // 200 s
            rec("c3", 1004, 400), // closed, but its start is outside the records: ignored
            rec("c4", 1001, 500), // still open: ignored
        ];
        assert_eq!(average_session_secs(&records), Some((400.0, 2)));
        assert_eq!(average_session_secs(&[rec("c1", 2001, 0)]), None);
    }
}
