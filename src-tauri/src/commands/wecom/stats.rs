//! WeCom's statistics: read from its statistics calls in the windows they allow, the summary of
//! one kf account or of all (summed), the period before, and each servicer's figures.

use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::clock::now_secs;
use crate::commands::stats::{cancelled, periods, StatsProgress, StatsState};
use crate::commands::{active_wecom, boundary};
use crate::error::{CommandError, Fault};
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::cst;
use crate::wecom::stats::{self as wstats, RangeProblem, Source, StatDay, StatsError};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServicerDays {
    pub userid: String,
    pub days: Vec<StatDay>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WecomStatsView {
    /// The accounts summed (one, or every account when none was chosen).
    pub accounts: Vec<String>,
    pub days: Vec<StatDay>,
    /// The period just before, of the same length; `None` with the reason when WeCom does not
    /// keep it (older than 180 days).
    pub previous: Option<Vec<StatDay>>,
    pub previous_problem: Option<RangeProblem>,
    pub previous_from: i64,
    pub previous_to: i64,
    /// Each person serving the accounts, their figures over the range.
    pub servicers: Vec<ServicerDays>,
    /// Accounts left out of the sum because WeCom refused their figures (an account this app
    /// may not manage): the page names them and says the sum is of the others.
    pub refused: Vec<RefusedAccount>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RefusedAccount {
    pub open_kfid: String,
    pub name: String,
    /// Why, in words (WeCom's errcode as the trailing detail).
    pub reason: CommandError,
}

/// WeCom's statistics for `from..=to`: the summary of one kf account or of all (summed), the
/// period before, and each servicer's figures.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn wecom_statistics<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    ss: State<'_, StatsState>,
    from: String,
    to: String,
    open_kfid: Option<String>,
) -> Result<WecomStatsView, CommandError> {
    boundary(&state, async {
        let ((first, last), (prev_first, prev_last)) = periods(&from, &to)?;
        let c = active_wecom(&state).await?;
        let now = now_secs();
        let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        let lang = state.lang();
        let mut refused: Vec<RefusedAccount> = Vec::new();
        let one = open_kfid.filter(|k| !k.is_empty());
        let accounts: Vec<String> = match &one {
            Some(k) => vec![k.clone()],
            None => {
                let listed = c.account_list().await?;
                names.extend(listed.iter().map(|a| (a.open_kfid.clone(), a.name.clone())));
                listed.into_iter().map(|a| a.open_kfid).collect()
            }
        };
        let windows = wstats::windows(first, last, now).map_err(range_fault)?;
        let prev_windows = wstats::windows(prev_first, prev_last, now);
        let mut who: Vec<(String, String)> = Vec::new();
        for kf in &accounts {
            match c.servicer_list(kf).await {
                Ok(list) => who.extend(list.into_iter().filter_map(|s| s.userid.map(|u| (kf.clone(), u)))),
                // One account's refusal is said with its figures below; a single account's is the page's.
                Err(e @ crate::wechat::ApiError::WeChat { .. }) if one.is_none() => {
                    tracing::info!(errcode = e.errcode(), "an account's servicers could not be listed")
                }
                Err(e) => return Err(e.into()),
            }
        }
        let per_account = windows.len() * accounts.len();
        let total =
            per_account + prev_windows.as_ref().map_or(0, |w| w.len() * accounts.len()) + who.len() * windows.len();
        let cancel = ss.cancel.start();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tick = |_: usize, _: usize| {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            let _ = app.emit("stats-progress", StatsProgress { done: n, total });
        };
        // One account's figures refused does not empty the page: the others are summed and the
        // refused one named (when none could be read — one account chosen — its refusal is the
        // page's error).
        let (days, accounts, no) = wstats::read_each(&c, Source::Corp, &accounts, (first, last, now), &cancel, &tick)
            .await
            .map_err(stats_fault)?;
        if accounts.is_empty() {
            if let Some((_, e)) = no.into_iter().next() {
                return Err(e.into());
            }
        } else {
            for (k, e) in no {
                refused.push(RefusedAccount {
                    name: names.get(&k).cloned().unwrap_or_default(),
                    open_kfid: k,
                    reason: Fault::Api(e).localize(lang),
                });
            }
        }
        let who: Vec<(String, String)> = who.into_iter().filter(|(kf, _)| accounts.contains(kf)).collect();
        let (previous, previous_problem) = match prev_windows {
            Ok(_) => (
                Some(
                    wstats::read_each(&c, Source::Corp, &accounts, (prev_first, prev_last, now), &cancel, &tick)
                        .await
                        .map_err(stats_fault)?
                        .0,
                ),
                None,
            ),
            Err(problem) => (None, Some(problem)),
        };
        // A person serving several of the accounts: their figures added up.
        let mut people: Vec<String> = who.iter().map(|(_, u)| u.clone()).collect();
        people.sort();
        people.dedup();
        let mut servicers = Vec::with_capacity(people.len());
        for u in people {
            let theirs: Vec<String> = who.iter().filter(|(_, x)| *x == u).map(|(kf, _)| kf.clone()).collect();
            let days = wstats::read(&c, Source::Servicer(Some(&u)), &theirs, (first, last, now), &cancel, &tick)
                .await
                .map_err(stats_fault)?;
            servicers.push(ServicerDays { userid: u, days });
        }
        Ok(WecomStatsView {
            accounts,
            days,
            previous,
            previous_problem,
            previous_from: prev_first,
            previous_to: prev_last,
            servicers,
            refused,
        })
    })
    .await
}

fn stats_fault(e: StatsError) -> Fault {
    match e {
        StatsError::Range(p) => range_fault(p),
        StatsError::Api(e) => e.into(),
        StatsError::Cancelled => cancelled(),
    }
}

/// What WeCom does not keep, in words with the remedy.
fn range_fault(p: RangeProblem) -> Fault {
    match p {
        RangeProblem::Reversed => Fault::invalid(S::EndBeforeStart),
        RangeProblem::TooOld { earliest } => {
            let day = &cst::format_cst(earliest)[..10];
            Fault::invalid_with(S::WecomStatsTooOld, [("day", day.to_string())])
        }
        RangeProblem::NoDataYet => Fault::invalid(S::WecomStatsNotYet),
    }
}
