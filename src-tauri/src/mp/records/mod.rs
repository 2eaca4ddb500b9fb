//! Chat records over any date range: the range is split into China Standard Time day windows
//! (WeChat allows ≤ 24 h per `getmsglist` call), each window is paged with `msgid` until done,
//! a few windows at a time, with progress and cancellation; the result is sorted by time and
//! can be searched and exported to CSV (UTF-8 with BOM, for Excel).

mod export;
mod fetch;
mod opercode;
mod order;
mod set;

pub use export::{write_csv, CsvColumns};
pub use fetch::{fetch_records, FetchError, FetchFilter, FetchStats, Progress, CONCURRENT_WINDOWS};
pub use opercode::opercode_words;
pub use order::{OrderKey, RecordOrder};
pub use set::{RecordRow, RecordSet};
