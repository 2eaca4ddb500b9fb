//! Bulk chat history for training and load tests: `per_day` records on each of `days` China
//! Standard Time days, merged into the account's records (ids renumbered in time order, as
//! WeChat's ascending msgids are). Used by `POST /__sandbox/records/fill` and the benchmark.

use kefu_wechat::cst::cst_day_start;

use super::world::{Name, Record, World};
use crate::rng::Rng;

const LINES: [&str; 6] = [
    "您好，请问有什么可以帮您？",
    "订单什么时候发货？",
    "好的，已为您登记。",
    "[image]",
    "谢谢！",
    "请提供一下订单号。",
];
/// A conversation's shape: received, accepted, messages both ways, closed.
const OPS: [i64; 8] = [2001, 1001, 2002, 2003, 2002, 2003, 2002, 1004];

/// Who the generated records are about and by: the account's customers and agents, read under
/// a brief lock; the records themselves are made without it.
pub struct Cast {
    pub customers: Vec<Name>,
    pub workers: Vec<Name>,
}

impl Cast {
    pub fn of(w: &World) -> Self {
        Cast {
            customers: w.customers.keys().map(|c| c.as_str().into()).collect(),
            workers: w.agents.iter().map(|a| a.account.as_str().into()).collect(),
        }
    }
}

/// `per_day` records on each of the `days` CST days starting with the one holding `from`,
/// spread evenly over the day, in time order (msgids not yet given).
pub fn generate(cast: &Cast, from: i64, days: u32, per_day: u32, seed: u64) -> Vec<Record> {
    let mut rng = Rng::new(seed);
    let first = cst_day_start(from);
    let mut added = Vec::with_capacity(days as usize * per_day as usize);
    let nobody: Name = "".into();
    for d in 0..i64::from(days) {
        let day = first + d * 86_400;
        for i in 0..i64::from(per_day) {
            let op = OPS[(i % OPS.len() as i64) as usize];
            let worker =
                if op == 2001 || cast.workers.is_empty() { nobody.clone() } else { rng.pick(&cast.workers).clone() };
            let openid = if cast.customers.is_empty() {
                format!("o_fill_{i}").into()
            } else {
                rng.pick(&cast.customers).clone()
            };
            let text = if op >= 2000 { (*rng.pick(&LINES)).into() } else { "".into() };
            added.push(Record {
                msgid: 0,
                openid,
                opercode: op,
                text,
                time: day + i * 86_400 / i64::from(per_day),
                worker,
            });
        }
    }
    added
}

impl World {
    /// Merges generated records into the account's (both in time order: the stable sort only
    /// merges two runs) and renumbers the msgids in time order. Returns how many were added.
    pub fn merge_records(&mut self, added: Vec<Record>) -> usize {
        let n = added.len();
        self.records(); // The seeded history first, if it was not made yet.
        self.merge_in(added);
        n
    }

    /// [`generate`] and [`World::merge_records`] in one (tests, seeding).
    pub fn fill_records(&mut self, from: i64, days: u32, per_day: u32, seed: u64) -> usize {
        let added = generate(&Cast::of(self), from, days, per_day, seed);
        self.merge_records(added)
    }
}

#[cfg(test)]
mod tests {
    use super::super::MpConfig;
    use super::*;

    #[test]
    fn fills_whole_cst_days_in_order() {
        let mut w = World::new(MpConfig { demo_data: false, ..Default::default() });
        // 2026-11-01 00:00 CST is 2026-10-31 16:00 UTC.
        let day = 1_793_462_400;
        assert_eq!(cst_day_start(day + 86_399), day);
        assert_eq!(cst_day_start(day - 1), day - 86_400);
        assert_eq!(w.fill_records(day + 5000, 2, 1000, 1), 2000);
        assert_eq!(w.records().iter().filter(|r| cst_day_start(r.time) == day).count(), 1000);
        assert_eq!(w.records().iter().filter(|r| cst_day_start(r.time) == day + 86_400).count(), 1000);
        assert!(w.records().windows(2).all(|p| p[0].time <= p[1].time && p[0].msgid + 1 == p[1].msgid));
    }
}
