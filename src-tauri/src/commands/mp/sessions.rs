//! Sessions: the live overview (queue, online agents, their sessions, the basis of the wait
//! estimate), assign / close / transfer, a customer lookup, and messages to a customer as an
//! agent.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::State;

use crate::clock::now_secs;
use crate::commands::{active_mp, boundary};
use crate::error::{CommandError, Fault};
use crate::mp::records::{fetch_records, FetchFilter};
use crate::mp::sessions::{self, LastWords, Snapshot};
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::cst::cst_windows;
use crate::wechat::mp::{CustomMessage, CustomerSession, MpClient, MsgRecord};

/// How long the average session length is reused before records are read again.
const AVERAGE_TTL: Duration = Duration::from_secs(600);

/// What today's and yesterday's records tell, per profile: the average session length and each
/// customer's last words.
#[derive(Default)]
pub struct SessionsState {
    recent: Mutex<Option<(String, Instant, Recent)>>,
}

#[derive(Clone, Default)]
struct Recent {
    average: Option<(f64, usize)>,
    words: HashMap<String, LastWords>,
    /// Records up to this time (exclusive) are in `words`.
    until: i64,
    /// When newer records were last asked for.
    read_at: Option<Instant>,
}

/// New messages are read at most this often (one small getmsglist call).
const WORDS_TTL: Duration = Duration::from_secs(30);

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Overview {
    #[serde(flatten)]
    pub snapshot: Snapshot,
    /// Mean session length (s) over the last day or two; `None` when no session ended.
    pub avg_session_secs: Option<f64>,
    /// How many ended sessions that mean is based on.
    pub avg_basis_sessions: usize,
    /// What each customer on the page last wrote (from the records of the last day or two:
    /// read in full every 10 minutes, what is newer at most every 30 s), by openid.
    pub last_words: BTreeMap<String, LastWords>,
    /// Unix seconds of this snapshot.
    pub fetched_at: i64,
}

/// The queue, the online agents and their sessions, and the average session length.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn session_overview(
    state: State<'_, AppState>,
    ss: State<'_, SessionsState>,
) -> Result<Overview, CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        let snapshot = sessions::snapshot(&p).await?;
        let cached =
            ss.recent.lock().expect("recent").clone().filter(|(id, at, _)| *id == p.0.id && at.elapsed() < AVERAGE_TTL);
        let recent = match cached {
            Some((id, at, mut recent)) => {
                // Between full reads, only what was written since the last look.
                if recent.read_at.is_none_or(|t| t.elapsed() >= WORDS_TTL) {
                    let now = now_secs();
                    // Never more than the last two days, whatever happened before.
                    let from = recent.until.max(now - 2 * 86_400);
                    if let Some(records) = records_since(&p, from, now).await {
                        recent.words.extend(sessions::last_words(&records));
                        recent.until = now + 1;
                    }
                    recent.read_at = Some(Instant::now());
                    *ss.recent.lock().expect("recent") = Some((id, at, recent.clone()));
                }
                recent
            }
            None => {
                // Records since yesterday's CST midnight; a failure only leaves the estimate and
                // the last words out.
                let now = now_secs();
                let start = crate::wechat::cst::cst_day_start(now) - 86_400;
                let recent = records_since(&p, start, now)
                    .await
                    .map(|records| Recent {
                        average: sessions::average_session_secs(&records),
                        words: sessions::last_words(&records),
                        until: now + 1,
                        read_at: Some(Instant::now()),
                    })
                    .unwrap_or_else(|| Recent { until: now + 1, read_at: Some(Instant::now()), ..Default::default() });
                *ss.recent.lock().expect("recent") = Some((p.0.id.clone(), Instant::now(), recent.clone()));
                recent
            }
        };
        let on_page = snapshot
            .waiting
            .iter()
            .map(|w| &w.openid)
            .chain(snapshot.agents.iter().flat_map(|a| a.sessions.iter().map(|s| &s.openid)));
        let last_words = on_page.filter_map(|o| recent.words.get(o).map(|w| (o.clone(), w.clone()))).collect();
        Ok(Overview {
            snapshot,
            avg_session_secs: recent.average.map(|a| a.0),
            avg_basis_sessions: recent.average.map_or(0, |a| a.1),
            last_words,
            fetched_at: now_secs(),
        })
    })
    .await
}

/// Assigns a waiting customer to an online agent.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn assign_session(
    state: State<'_, AppState>,
    kf_account: String,
    openid: String,
) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        Ok(p.create_session(&kf_account, &openid).await?)
    })
    .await
}

/// Every chat record from `from` to `now`, or `None` when they could not be read (the overview
/// then goes without what they would add).
async fn records_since(client: &MpClient, from: i64, now: i64) -> Option<Vec<MsgRecord>> {
    fetch_records(client, &cst_windows(from, now + 1), &FetchFilter::default(), &AtomicBool::new(false), &|_| {})
        .await
        .ok()
        .map(|(records, _)| records)
}

/// One customer of a batch assignment: to whom, and WeChat's refusal in words if any.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BatchItem {
    pub openid: String,
    pub kf_account: String,
    pub error: Option<CommandError>,
}

/// Assigns the first `count` waiting customers to the agents with the most free places (one
/// call each; a refusal — 65414 taken meanwhile, 65415 agent gone offline — is reported for that
/// customer and the others go on). Answers each customer's outcome, in the queue's order.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn assign_waiting(state: State<'_, AppState>, count: usize) -> Result<Vec<BatchItem>, CommandError> {
    boundary(&state, async {
        let lang = state.lang();
        if count == 0 || count > 100 {
            return Err(Fault::invalid(S::AssignCountOutOfRange));
        }
        let p = active_mp(&state).await?;
        let snapshot = sessions::snapshot(&p).await?;
        let mut out = Vec::new();
        for (openid, kf_account) in sessions::plan_batch(&snapshot, count) {
            let error = p.create_session(&kf_account, &openid).await.err().map(|e| Fault::Api(e).localize(lang));
            out.push(BatchItem { openid, kf_account, error });
        }
        Ok(out)
    })
    .await
}

/// What closing did when a goodbye was sent first.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CloseOutcome {
    /// The goodbye reached the customer (a retry must not send it again).
    pub goodbye_sent: bool,
    /// Set when the goodbye was sent but the session could not be closed: it is still open.
    pub close_error: Option<CommandError>,
}

/// Ends a session, sending the agent's goodbye first when there is one (`mp::sessions::close`).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn close_session(
    state: State<'_, AppState>,
    kf_account: String,
    openid: String,
    goodbye: Option<String>,
) -> Result<CloseOutcome, CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        let closed = sessions::close(&p, &kf_account, &openid, goodbye.as_deref()).await?;
        let lang = state.lang();
        Ok(CloseOutcome {
            goodbye_sent: closed.goodbye_sent,
            close_error: closed.close_error.map(|e| Fault::Api(e).localize(lang)),
        })
    })
    .await
}

/// What a transfer did: the first agent's session is closed; the second may have failed.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TransferOutcome {
    /// Set when the session was closed but the new agent could not take it: the customer is
    /// now served by nobody until they write again or are assigned.
    pub create_error: Option<CommandError>,
}

/// Moves a customer from one agent to another (`mp::sessions::transfer`).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn transfer_session(
    state: State<'_, AppState>,
    from: String,
    to: String,
    openid: String,
) -> Result<TransferOutcome, CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        let create_error = sessions::transfer(&p, &from, &to, &openid).await?;
        Ok(TransferOutcome { create_error: create_error.map(|e| Fault::Api(e).localize(state.lang())) })
    })
    .await
}

/// Who serves this customer now, if anyone.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn find_session(state: State<'_, AppState>, openid: String) -> Result<Option<CustomerSession>, CommandError> {
    boundary(&state, async {
        let openid = openid.trim().to_string();
        if openid.is_empty() {
            return Err(Fault::invalid(S::EnterOpenid));
        }
        let p = active_mp(&state).await?;
        Ok(p.get_session(&openid).await?)
    })
    .await
}

/// Sends a text to a customer as `kf_account` (they see that agent's name and avatar).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn send_text(
    state: State<'_, AppState>,
    kf_account: String,
    openid: String,
    text: String,
) -> Result<(), CommandError> {
    boundary(&state, async {
        let text = text.trim().to_string();
        let openid = openid.trim().to_string();
        if openid.is_empty() {
            return Err(Fault::invalid(S::EnterOpenid));
        }
        sessions::checked_text(&text)?;
        let p = active_mp(&state).await?;
        Ok(p.send_message(&openid, &CustomMessage::text(text), Some(&kf_account)).await?)
    })
    .await
}

/// Shows (or stops) "typing…" to the customer while an agent composes. Best effort: WeChat only
/// allows it within 30 s of a message exchange (45080) and once per 15 s (45081).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_typing(state: State<'_, AppState>, openid: String, typing: bool) -> Result<(), CommandError> {
    boundary(&state, async {
        let p = active_mp(&state).await?;
        Ok(p.typing(&openid, typing).await?)
    })
    .await
}
