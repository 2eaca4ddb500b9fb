//! A fetched result kept on the Rust side (100 000+ rows never cross into the web view at
//! once): the UI asks for the rows it shows, through a cached search.

use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::fetch::FetchStats;
use super::opercode::opercode_words;
use super::order::{ordered, RecordOrder};
use crate::i18n::Lang;
use crate::wechat::cst::format_cst;
use crate::wechat::mp::MsgRecord;

/// One row as the Records table shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordRow {
    pub time: i64,
    pub time_text: String,
    pub agent: String,
    pub customer: String,
    pub opercode: i64,
    pub operation: String,
    pub text: String,
}

pub struct RecordSet {
    pub records: Vec<MsgRecord>,
    pub stats: FetchStats,
    /// The last search and the indices of the records it matches.
    cache: Mutex<Option<(String, Arc<Vec<u32>>)>>,
    /// The last ordered view.
    ordered: Mutex<Option<OrderedView>>,
}

/// A search, an order, the language the operations were ranked in, and the indices in that order.
type OrderedView = (String, RecordOrder, Lang, Arc<Vec<u32>>);

impl RecordSet {
    pub fn new(records: Vec<MsgRecord>, stats: FetchStats) -> Self {
        RecordSet { records, stats, cache: Mutex::new(None), ordered: Mutex::new(None) }
    }

    /// Indices of the records matching `search` (case-insensitive, in the text, the agent, the
    /// customer's openid or the operation's words in either language); all for an empty search.
    pub fn matching(&self, search: &str) -> Arc<Vec<u32>> {
        let needle = search.trim().to_lowercase();
        let mut cache = self.cache.lock().expect("record cache");
        if let Some((s, idx)) = cache.as_ref() {
            if *s == needle {
                return idx.clone();
            }
        }
        let idx: Vec<u32> = if needle.is_empty() {
            (0..self.records.len() as u32).collect()
        } else {
            let op_matches = |code: i64| {
                [Lang::ZhCn, Lang::En].iter().any(|&l| opercode_words(code, l).to_lowercase().contains(&needle))
            };
            self.records
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.text.to_lowercase().contains(&needle)
                        || r.worker.to_lowercase().contains(&needle)
                        || r.openid.to_lowercase().contains(&needle)
                        || op_matches(r.opercode)
                })
                .map(|(i, _)| i as u32)
                .collect()
        };
        let idx = Arc::new(idx);
        *cache = Some((needle, idx.clone()));
        idx
    }

    /// The records matching `search` in `order` (kept until the search or the order changes:
    /// the table asks for one page at a time).
    pub fn matching_in(&self, search: &str, order: &RecordOrder, lang: Lang) -> Arc<Vec<u32>> {
        let idx = self.matching(search);
        if *order == RecordOrder::default() {
            return idx;
        }
        let mut cache = self.ordered.lock().expect("record order cache");
        if let Some((s, o, l, out)) = cache.as_ref() {
            if s == search && o == order && *l == lang {
                return out.clone();
            }
        }
        let out = Arc::new(ordered(&self.records, &idx, order, lang));
        *cache = Some((search.to_string(), order.clone(), lang, out.clone()));
        out
    }

    pub fn row(&self, i: u32, lang: Lang) -> RecordRow {
        let r = &self.records[i as usize];
        RecordRow {
            time: r.time,
            time_text: format_cst(r.time),
            agent: r.worker.clone(),
            customer: r.openid.clone(),
            opercode: r.opercode,
            operation: opercode_words(r.opercode, lang),
            text: r.text.clone(),
        }
    }
}
