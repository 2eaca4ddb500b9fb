//! Believable demo data, deterministic from the seed: a dozen agents with Chinese nicknames
//! and avatars (some online, one invite pending, one expired), a few hundred customers, live
//! sessions, a waiting queue and two months of chat records (about 70 000, made when first read).

use kefu_wechat::cst::cst_day_start;

use super::world::{Agent, Customer, Invite, InviteStatus, Name, Record, Session, WaitCase, World};
use crate::avatar::demo_avatar;
use crate::rng::{Rng, ALNUM};

/// Days of chat history: two months, so that statistics have a period before to compare with.
const DAYS: i64 = 62;
const CUSTOMERS: usize = 240;

const AGENTS: &[(&str, &str)] = &[
    ("xiaomei", "小美"),
    ("aqiang", "阿强"),
    ("wangfang", "王芳"),
    ("lina", "李娜"),
    ("zhangwei", "张伟"),
    ("liuyang", "刘洋"),
    ("chenjing", "陈静"),
    ("yangfan", "杨帆"),
    ("zhaolei", "赵磊"),
    ("huangli", "黄丽"),
    ("zhoujie", "周杰"),
    ("wumin", "吴敏"),
];

const CUSTOMER_LINES: &[&str] = &[
    "你好，我的订单什么时候发货？",
    "请问可以开发票吗？",
    "收到的商品有破损，怎么办？",
    "我想修改收货地址",
    "会员积分怎么用？",
    "退款多久能到账？",
    "这个型号还有货吗？",
    "优惠券用不了",
    "谢谢！",
    "好的，明白了",
    "能帮我查一下物流吗？",
    "[image]",
    "门店几点开门？",
    "可以换货吗？",
    "支付失败了，扣款了吗？",
    "[voice]",
];

const AGENT_LINES: &[&str] = &[
    "您好，很高兴为您服务！",
    "请提供一下订单号，我帮您查询。",
    "已为您登记，预计明天发货。",
    "发票会在 3 个工作日内开具。",
    "非常抱歉给您带来不便，我们马上为您处理。",
    "退款预计 1–3 个工作日到账。",
    "请问还有其他可以帮您的吗？",
    "已为您修改成功。",
    "感谢您的耐心等待。",
    "[image]",
    "祝您生活愉快！",
];

pub(crate) fn openid(rng: &mut Rng) -> String {
    format!("o{}", rng.string(ALNUM, 27))
}

/// The seeded chat history: conversations on each of the last [`DAYS`] days (CST), 08:00–22:00,
/// none in the future — about 70 000 records, 5 MiB. Kept as the recipe, not the records, until
/// a client first reads them ([`World::records`]): a sandbox nobody asks for chat records (the
/// Agents page, a live user's idle training sandbox) does not hold them.
#[derive(Debug, Clone)]
pub struct History {
    /// The generator as the history found it.
    rng: Rng,
    customers: Vec<String>,
    bound: Vec<String>,
    today: i64,
    now: i64,
}

impl History {
    /// Plays the history out with `rng` (which ends where the seeding goes on from): each
    /// record to `record` as (customer, opercode, text, worker, time), each conversation's
    /// customer and their last message time to `wrote`.
    #[allow(clippy::explicit_auto_deref)]
    fn play(
        &self,
        rng: &mut Rng,
        mut record: impl FnMut(&str, i64, &'static str, &str, i64),
        mut wrote: impl FnMut(&str, i64),
    ) {
        let (customers, bound, now) = (&self.customers, &self.bound, self.now);
        for d in (0..DAYS).rev() {
            let day = self.today - d * 86400;
            for _ in 0..rng.range(60, 110) {
                let mut t = day + rng.range(8 * 3600, 22 * 3600);
                // A conversation lasts under an hour: start it early enough to end in the past.
                if t > now - 3600 {
                    continue;
                }
                let customer = rng.pick(customers).clone();
                let worker = rng.pick(bound).clone();
                let mut push =
                    |t: i64, op: i64, text: &'static str, worker: &str| record(&customer, op, text, worker, t);
                push(t, 2001, *rng.pick(CUSTOMER_LINES), "");
                push(t, 1000, "", "");
                t += rng.range(5, 300);
                push(t, 1001, "", &worker);
                // About one conversation in eight is transferred to a colleague half-way.
                let transfer_at = (rng.range(1, 8) == 1).then(|| rng.range(1, 3));
                let mut worker = worker;
                for k in 0..rng.range(4, 14) {
                    t += rng.range(10, 120);
                    if transfer_at == Some(k) {
                        worker = rng.pick(bound).clone();
                        push(t, 1003, "", &worker);
                    }
                    if k % 2 == 0 {
                        push(t, 2002, *rng.pick(AGENT_LINES), &worker);
                    } else {
                        push(t, 2003, *rng.pick(CUSTOMER_LINES), &worker);
                    }
                }
                push(t + rng.range(30, 600), 1004, "", &worker);
                wrote(&customer, t);
            }
        }
    }

    /// The history's records (msgids not yet given).
    pub fn make(self) -> Vec<Record> {
        // One shared name per person (see `Name`).
        let names: std::collections::HashMap<&str, Name> = self
            .customers
            .iter()
            .chain(&self.bound)
            .map(String::as_str)
            .chain([""])
            .map(|n| (n, Name::from(n)))
            .collect();
        let mut records = Vec::with_capacity(DAYS as usize * 1200);
        self.play(
            &mut self.rng.clone(),
            |openid, opercode, text, worker, time| {
                records.push(Record {
                    msgid: 0,
                    openid: names[openid].clone(),
                    opercode,
                    text: text.into(),
                    time,
                    worker: names[worker].clone(),
                })
            },
            |_, _| {},
        );
        records
    }
}

/// Fills an empty world with the demo account.
// `*rng.pick(LINES)` copies the `&'static str` out: the records borrow it for good (Clippy
// reads the `*` as a needless deref).
#[allow(clippy::explicit_auto_deref)]
pub fn populate(w: &mut World) {
    let mut rng = Rng::new(w.cfg.seed);
    let now = w.now();
    let suffix = w.cfg.oa_wechat_id.clone();

    for (i, (prefix, nick)) in AGENTS.iter().enumerate() {
        let kf_id = w.next_kf_id;
        w.next_kf_id += 1;
        let online = i < 6;
        let invite = match i {
            9 => Some(Invite {
                wx: "huangli_1998".into(),
                expire_time: now + 2 * 86400 + 3 * 3600,
                status: InviteStatus::Waiting,
            }),
            10 => Some(Invite { wx: "zhoujie-cs".into(), expire_time: now - 86400, status: InviteStatus::Waiting }),
            _ => None,
        };
        w.agents.push(Agent {
            kf_id,
            account: format!("{prefix}@{suffix}"),
            nick: (*nick).into(),
            kf_wx: (i < 9).then(|| format!("{prefix}_{}", rng.range(10, 99))),
            invite,
            status: if online { [1, 2, 3, 1, 1, 2][i] } else { 0 },
            auto_accept: if online { [5, 8, 3, 6, 4, 10][i] } else { 0 },
            avatar_version: u32::from(i < 11),
        });
        if i < 11 {
            w.avatars.insert(kf_id, demo_avatar((i as f32 * 360.0 / 11.0 + 150.0) % 360.0));
        }
    }
    w.bindings_elsewhere.insert("busy_worker01".into(), 5);

    let customers: Vec<String> = (0..CUSTOMERS).map(|_| openid(&mut rng)).collect();
    for c in &customers {
        w.customers.insert(c.clone(), Customer { followed: true, ..Default::default() });
    }

    // History: conversations on each of the last DAYS days, made only when the records are
    // first read (see `History`); who wrote last and when counts from the start.
    let bound: Vec<String> = w.agents.iter().filter(|a| a.kf_wx.is_some()).map(|a| a.account.clone()).collect();
    let today = cst_day_start(now);
    let history = History { rng: rng.clone(), customers: customers.clone(), bound, today, now };
    history.play(
        &mut rng,
        |_, _, _, _, _| {},
        |customer, t| {
            let c = w.customers.get_mut(customer).expect("known customer");
            c.last_user_msg = c.last_user_msg.max(t);
        },
    );
    w.history = Some(history);
    let mut records: Vec<Record> = Vec::new();
    // One shared name per person (see `Name`).
    let names: std::collections::HashMap<&str, Name> = customers
        .iter()
        .chain(w.agents.iter().map(|a| &a.account))
        .map(String::as_str)
        .chain([""])
        .map(|n| (n, Name::from(n)))
        .collect();
    // Live sessions of the online agents, and the waiting queue — each with the records that
    // would have made it: the customer wrote (2001) and waited (1000), an agent took them (1001),
    // and they wrote again in the session (2003) or are still waiting.
    let mut next = 0;
    let online: Vec<(String, u32)> =
        w.agents.iter().filter(|a| a.status > 0).map(|a| (a.account.clone(), a.auto_accept)).collect();
    for (account, cap) in online {
        for _ in 0..rng.range(0, i64::from(cap.min(4))) {
            let openid = customers[next].clone();
            next += 1;
            let createtime = now - rng.range(60, 40 * 60);
            w.sessions.insert(openid.clone(), Session { kf_account: account.clone(), createtime });
            let c = w.customers.get_mut(&openid).expect("known customer");
            c.last_user_msg = now - rng.range(5, 50);
            let (wrote, again) = (createtime - rng.range(5, 120), c.last_user_msg);
            let mut push = |t: i64, op: i64, text: &'static str, worker: &str| {
                records.push(Record {
                    msgid: 0,
                    openid: names[openid.as_str()].clone(),
                    opercode: op,
                    text: text.into(),
                    time: t,
                    worker: names[worker].clone(),
                })
            };
            push(wrote, 2001, *rng.pick(CUSTOMER_LINES), "");
            push(wrote, 1000, "", "");
            push(createtime, 1001, "", &account);
            push(again, 2003, *rng.pick(CUSTOMER_LINES), &account);
        }
    }
    let mut waits: Vec<WaitCase> = (0..7)
        .map(|_| {
            let openid = customers[next].clone();
            next += 1;
            WaitCase { openid, latest_time: now - rng.range(15, 900) }
        })
        .collect();
    waits.sort_by_key(|c| c.latest_time);
    for c in &waits {
        w.customers.get_mut(&c.openid).expect("known customer").last_user_msg = c.latest_time;
        let text = *rng.pick(CUSTOMER_LINES);
        for (op, text) in [(2001, text), (1000, "")] {
            records.push(Record {
                msgid: 0,
                openid: names[c.openid.as_str()].clone(),
                opercode: op,
                text: text.into(),
                time: c.latest_time,
                worker: names[""].clone(),
            });
        }
    }
    w.waiting = waits;

    records.sort_by_key(|r| r.time);
    w.set_records(records);
}

#[cfg(test)]
mod tests {
    use super::super::{MpConfig, World};

    fn world(seed: u64) -> World {
        let mut w = World::new(MpConfig { seed, ..Default::default() });
        super::populate(&mut w);
        w
    }

    #[test]
    fn demo_data_is_believable_and_deterministic() {
        let (mut a, mut b) = (world(1), world(1));
        assert_eq!(a.agents.len(), 12);
        assert!(a.agents.iter().filter(|x| x.status > 0).count() >= 3);
        assert!(a.records().len() > 2000, "only {} records", a.records().len());
        assert!(!a.waiting.is_empty());
        assert!(a.records().windows(2).all(|p| p[0].time <= p[1].time && p[0].msgid < p[1].msgid));
        let key = |w: &mut World| {
            w.records().iter().map(|r| (r.openid.clone(), r.opercode, r.text.clone())).collect::<Vec<_>>()
        };
        assert_eq!(key(&mut a), key(&mut b));
        assert_ne!(key(&mut a), key(&mut world(2)));
    }

    /// Every session and every waiting customer has the records that would have created it.
    #[test]
    fn live_sessions_and_the_queue_have_their_records() {
        let mut w = world(7);
        let records = w.records().clone();
        let has = |openid: &str, op: i64, worker: &str, at: i64| {
            records.iter().any(|r| &*r.openid == openid && r.opercode == op && &*r.worker == worker && r.time == at)
        };
        assert!(!w.sessions.is_empty());
        for (openid, s) in &w.sessions {
            assert!(has(openid, 1001, &s.kf_account, s.createtime), "{openid} was accepted by {}", s.kf_account);
            assert!(
                records.iter().any(|r| *r.openid == **openid && r.opercode == 2001 && r.time < s.createtime),
                "{openid} wrote first"
            );
            let last = w.customers[openid].last_user_msg;
            assert!(has(openid, 2003, &s.kf_account, last), "{openid}'s last message is on record");
        }
        for c in &w.waiting {
            assert!(
                has(&c.openid, 2001, "", c.latest_time) && has(&c.openid, 1000, "", c.latest_time),
                "{} waits after writing",
                c.openid
            );
        }
        assert!(records.windows(2).all(|p| p[0].time <= p[1].time && p[0].msgid + 1 == p[1].msgid));
        assert!(records.iter().all(|r| r.time <= w.now()), "nothing in the future");
    }

    /// The two months of history are made when the records are first read, not at seeding;
    /// what the customers wrote in them counts from the start (their 48-hour windows).
    #[test]
    fn the_history_is_made_when_first_read_and_counts_from_the_start() {
        let mut w = world(5);
        let held = w.records_held();
        assert!(w.history.is_some() && held < 200, "seeding made {held} records");
        let windows: Vec<(String, i64)> = w.customers.iter().map(|(id, c)| (id.clone(), c.last_user_msg)).collect();
        let records = w.records().clone();
        assert!(w.history.is_none());
        assert!(records.len() > 60 * 60 * 6, "{} records in two months", records.len());
        for (id, last) in windows {
            let wrote =
                records.iter().filter(|r| *r.openid == *id && matches!(r.opercode, 2001 | 2003)).map(|r| r.time).max();
            assert!(wrote.is_none_or(|t| t <= last), "{id} wrote at {wrote:?}, after their last message at {last}");
        }
        // Read again: the same records, not a second history.
        assert_eq!(w.records().len(), records.len());
    }
}
