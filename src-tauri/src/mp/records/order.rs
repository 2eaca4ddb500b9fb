//! The order the Records table shows a result in: by a column, either way. Agents and customers
//! are ordered by the names the page shows (nickname, the staff's note), which only the page
//! knows, so it sends those IDs already ranked; the rest follow by ID. Ties keep time order.

use std::collections::HashMap;

use serde::Deserialize;

use super::opercode::opercode_words;
use crate::i18n::Lang;
use crate::wechat::mp::MsgRecord;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum OrderKey {
    #[default]
    Time,
    Agent,
    Customer,
    Operation,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordOrder {
    #[serde(default)]
    pub key: OrderKey,
    #[serde(default)]
    pub desc: bool,
    /// Agent accounts or customer openids in the order of the names the page shows for them;
    /// the ones not listed come after, by ID.
    #[serde(default)]
    pub ranked: Vec<String>,
}

/// `idx` (indices into `records`, in time order) in `order`. Records without an agent sort
/// last either way.
pub fn ordered(records: &[MsgRecord], idx: &[u32], order: &RecordOrder, lang: Lang) -> Vec<u32> {
    let field: fn(&MsgRecord) -> &str = match order.key {
        OrderKey::Time => {
            let mut out = idx.to_vec();
            if order.desc {
                out.reverse();
            }
            return out;
        }
        OrderKey::Agent => |r| &r.worker,
        OrderKey::Customer => |r| &r.openid,
        OrderKey::Operation => {
            let ranks = operation_rank(records, lang);
            return by_rank(idx, order.desc, |i| ranks.get(&records[i as usize].opercode).copied());
        }
    };
    let ranks = value_ranks(records, idx, field, &order.ranked);
    by_rank(idx, order.desc, |i| ranks.get(field(&records[i as usize])).copied())
}

/// Each distinct non-empty value's place: the ranked ones first, in the page's order, then the
/// others by their text.
fn value_ranks<'a>(
    records: &'a [MsgRecord],
    idx: &[u32],
    field: fn(&MsgRecord) -> &str,
    ranked: &[String],
) -> HashMap<&'a str, u32> {
    let page: HashMap<&str, usize> = ranked.iter().enumerate().map(|(i, v)| (v.as_str(), i)).collect();
    let mut distinct: Vec<&str> = idx.iter().map(|&i| field(&records[i as usize])).filter(|v| !v.is_empty()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.sort_by_key(|v| (page.get(v).copied().unwrap_or(usize::MAX), *v));
    distinct.into_iter().enumerate().map(|(n, v)| (v, n as u32)).collect()
}

/// Operations by their words in the user's language.
fn operation_rank(records: &[MsgRecord], lang: Lang) -> HashMap<i64, u32> {
    let mut codes: Vec<i64> = records.iter().map(|r| r.opercode).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut words: Vec<(String, i64)> = codes.into_iter().map(|c| (opercode_words(c, lang), c)).collect();
    words.sort();
    words.into_iter().enumerate().map(|(n, (_, c))| (c, n as u32)).collect()
}

/// A stable sort by rank (None last either way), so records of one rank stay in time order.
fn by_rank(idx: &[u32], desc: bool, rank: impl Fn(u32) -> Option<u32>) -> Vec<u32> {
    let mut keyed: Vec<(bool, u32, u32)> = idx
        .iter()
        .map(|&i| match rank(i) {
            Some(r) => (false, if desc { u32::MAX - r } else { r }, i),
            None => (true, 0, i),
        })
        .collect();
    keyed.sort_by_key(|&(missing, r, _)| (missing, r));
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(time: i64, worker: &str, openid: &str, opercode: i64) -> MsgRecord {
        MsgRecord { openid: openid.into(), opercode, text: String::new(), time, worker: worker.into() }
    }

    fn set() -> Vec<MsgRecord> {
        vec![
            rec(1, "", "oB", 2001),
            rec(2, "jie@x", "oB", 2002),
            rec(3, "amy@x", "oA", 1000),
            rec(4, "jie@x", "oC", 2002),
            rec(5, "zed@x", "oA", 2002),
            rec(6, "amy@x", "oB", 1004),
        ]
    }

    fn times(records: &[MsgRecord], order: RecordOrder) -> Vec<i64> {
        let idx: Vec<u32> = (0..records.len() as u32).collect();
        ordered(records, &idx, &order, Lang::En).iter().map(|&i| records[i as usize].time).collect()
    }

    #[test]
    fn time_either_way() {
        let r = set();
        assert_eq!(times(&r, RecordOrder::default()), [1, 2, 3, 4, 5, 6]);
        assert_eq!(times(&r, RecordOrder { desc: true, ..Default::default() }), [6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn agents_in_the_pages_order_then_by_account_each_in_time_order_and_no_agent_last() {
        let r = set();
        // The page ranks jie before amy (their nicknames); zed is unknown to it.
        let ranked = vec!["jie@x".to_string(), "amy@x".to_string()];
        let asc = RecordOrder { key: OrderKey::Agent, desc: false, ranked: ranked.clone() };
        assert_eq!(times(&r, asc), [2, 4, 3, 6, 5, 1]);
        let desc = RecordOrder { key: OrderKey::Agent, desc: true, ranked };
        assert_eq!(
            times(&r, desc),
            [5, 3, 6, 2, 4, 1],
            "reversed groups, still in time order inside, no agent still last"
        );
    }

    #[test]
    fn customers_by_id_when_the_page_names_none() {
        let r = set();
        assert_eq!(times(&r, RecordOrder { key: OrderKey::Customer, ..Default::default() }), [3, 5, 1, 2, 6, 4]);
    }

    #[test]
    fn operations_by_their_words_in_the_users_language() {
        let r = set();
        let idx: Vec<u32> = (0..r.len() as u32).collect();
        let words: Vec<String> =
            ordered(&r, &idx, &RecordOrder { key: OrderKey::Operation, ..Default::default() }, Lang::En)
                .iter()
                .map(|&i| opercode_words(r[i as usize].opercode, Lang::En))
                .collect();
        let mut sorted = words.clone();
        sorted.sort();
        assert_eq!(words, sorted);
    }
}
