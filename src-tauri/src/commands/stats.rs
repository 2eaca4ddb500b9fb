//! What both platforms' statistics commands share: the periods compared (the chosen CST days and
//! the same number of days just before), progress as `stats-progress`, and the cancel switch
//! that `cancel_statistics` pulls. The figures themselves: `mp::stats`, `wecom::stats`.

use serde::Serialize;
use tauri::State;

use crate::error::Fault;
use crate::wechat::cst::{self, DAY};

use super::mp::records::MAX_DAYS;
use crate::sentences::S;

/// The cancel switch of the statistics read under way.
#[derive(Default)]
pub struct StatsState {
    pub(crate) cancel: super::CancelSwitch,
}

/// Progress of a statistics read: calls (or days) done of those planned.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StatsProgress {
    pub done: usize,
    pub total: usize,
}

/// First and last day (CST day starts, both included).
pub(crate) type Period = (i64, i64);

/// The CST days `from..=to` (`YYYY-MM-DD`) as day starts, and the period of the same length
/// just before them.
pub(crate) fn periods(from: &str, to: &str) -> Result<(Period, Period), Fault> {
    let (start, end) = cst::cst_date_range(from, to).ok_or_else(|| Fault::invalid(S::ChooseValidDates))?;
    // The end is exclusive: the next day's midnight.
    let (first, last) = (start, end - DAY);
    let days = (last - first) / DAY + 1;
    if days > MAX_DAYS {
        return Err(Fault::invalid(S::StatsRangeTooLong));
    }
    Ok(((first, last), (first - days * DAY, first - DAY)))
}

/// Stops the statistics read under way (it ends with the `cancelled` error).
#[tauri::command]
pub fn cancel_statistics(ss: State<'_, StatsState>) {
    ss.cancel.cancel();
}

pub(crate) fn cancelled() -> Fault {
    Fault::other("cancelled", S::StatsCancelled)
}
