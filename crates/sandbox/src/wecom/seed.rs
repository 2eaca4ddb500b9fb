//! The demo corp, deterministic from the seed: a small directory with Chinese names, four 微信客服
//! accounts with avatars (one this app may not manage), servicers in every state, and customers
//! in every session state with three days of conversations — some who wrote within the day,
//! some whose last message is 48–72 hours old (the 48-hour rule while sync_msg still returns
//! them), and older history sync_msg no longer returns.

use serde_json::json;

use super::conversation::WINDOW_SECS;
use super::world::{Account, Department, ServiceStatus, Staff, World};
use crate::avatar::demo_avatar;
use crate::rng::Rng;

const DEPARTMENTS: &[(u64, &str, u64)] =
    &[(1, "星河零售", 0), (2, "客户服务部", 1), (3, "售后服务部", 1), (4, "销售部", 1), (5, "技术支持部", 1)];

/// userid, name, department, inside the app's visible range.
const STAFF: &[(&str, &str, u64, bool)] = &[
    ("ZhangWei", "张伟", 2, true),
    ("LiNa", "李娜", 2, true),
    ("WangFang", "王芳", 2, true),
    ("LiuYang", "刘洋", 2, true),
    ("ChenJing", "陈静", 3, true),
    ("YangLei", "杨磊", 3, true),
    ("ZhaoMin", "赵敏", 3, true),
    ("HuangQiang", "黄强", 4, true),
    ("ZhouXue", "周雪", 4, true),
    ("WuHao", "吴昊", 4, true),
    ("XuLi", "徐丽", 5, true),
    ("SunPeng", "孙鹏", 5, true),
    ("MaLin", "马琳", 5, true),
    ("ZhuTing", "朱婷", 2, true),
    ("HuJun", "胡军", 3, true),
    ("GuoYan", "郭燕", 4, true),
    ("HeXin", "何欣", 1, false),
    ("LinFeng", "林峰", 1, true),
];

/// A seeded support account: name, hue, manageable, users, departments.
type SeedAccount = (&'static str, f32, bool, &'static [&'static str], &'static [u64]);
const ACCOUNTS: &[SeedAccount] = &[
    ("售前咨询", 200.0, true, &["ZhangWei", "LiNa", "WangFang", "ZhuTing"], &[4]),
    ("售后服务", 20.0, true, &["ChenJing", "YangLei", "ZhaoMin", "HuJun"], &[]),
    ("会员中心", 280.0, true, &["LiuYang", "ZhouXue"], &[]),
    ("投诉与建议", 120.0, false, &["LinFeng"], &[3]),
];

/// Who is not receiving at the start: (userid, stop_type) — 0 stopped, 1 paused.
const NOT_RECEIVING: &[(&str, u8)] = &[("WangFang", 0), ("ZhaoMin", 1), ("ZhouXue", 0)];

pub fn populate(w: &mut World) {
    w.departments =
        DEPARTMENTS.iter().map(|&(id, name, parent)| Department { id, name: name.into(), parent }).collect();
    w.staff = STAFF
        .iter()
        .map(|&(userid, name, department, visible)| Staff {
            userid: userid.into(),
            name: name.into(),
            department,
            visible,
        })
        .collect();
    for &(name, hue, manageable, users, depts) in ACCOUNTS {
        let open_kfid = w.new_open_kfid();
        let link_code = w.new_link_code();
        w.accounts.push(Account {
            open_kfid,
            name: name.into(),
            avatar: demo_avatar(hue),
            avatar_version: 1,
            manageable,
            link_code,
            users: users.iter().map(|u| u.to_string()).collect(),
            departments: depts.to_vec(),
        });
    }
    for &(userid, stop_type) in NOT_RECEIVING {
        w.status.insert(userid.into(), ServiceStatus { status: 1, stop_type });
    }
    populate_conversations(w);
}

const CUSTOMERS: &[&str] = &[
    "王小明",
    "李佳怡",
    "张浩然",
    "刘思琪",
    "陈子轩",
    "杨雨桐",
    "赵一鸣",
    "黄欣怡",
    "周子涵",
    "吴俊杰",
    "徐梦瑶",
    "孙宇航",
    "胡晓雪",
    "朱志强",
    "高雅琪",
    "林嘉豪",
    "何婉清",
    "郭天宇",
    "马丽娟",
    "罗文博",
];

const ASKS: &[&str] = &[
    "你好，我想咨询一下新款的价格",
    "订单一直没有发货，能帮我查一下吗？",
    "会员积分怎么兑换？",
    "收到的商品有划痕，可以换吗？",
    "请问门店几点营业？",
    "发票怎么开？",
    "退款什么时候到账？",
    "优惠券为什么用不了？",
    "可以改一下收货地址吗？",
    "在吗？",
];

const ANSWERS: &[&str] =
    &["您好，请提供一下订单号", "已经为您查询，预计明天发货", "好的，马上为您处理", "请您稍等，我确认一下"];

/// How each demo conversation goes: the state it ends in, and whether the customer's last
/// message is recent (within a day) or 48–72 hours old.
const PLOTS: &[(u8, bool)] =
    &[(0, true), (1, true), (2, true), (3, true), (3, true), (4, true), (1, false), (4, false)];

/// One demo conversation: the customer enters, asks, and it ends in `state` with the customer's
/// last message at `last`.
#[allow(clippy::too_many_arguments)]
fn play(w: &mut World, rng: &mut Rng, image: &str, account: &str, id: &str, i: usize, state: u8, last: i64) {
    let (account, id) = (account.to_string(), id.to_string());
    let start = last - rng.range(300, 1800);
    let scene = if i.is_multiple_of(3) { "store_12" } else { "" };
    w.customer_enters(&account, &id, scene, "", start).expect("seed");
    w.customer_writes(&account, &id, "text", json!({"content": ASKS[i % ASKS.len()]}), start + 20).expect("seed");
    let servicer = w
        .accounts
        .iter()
        .find(|a| a.open_kfid == account)
        .and_then(|a| a.users.iter().find(|u| w.status_of(u).status == 0).cloned());
    match (state, servicer) {
        (3, Some(s)) | (4, Some(s)) => {
            w.log_event_at(&account, start + 60, json!({"event_type": "session_status_change", "open_kfid": account, "external_userid": id, "change_type": 1, "new_servicer_userid": s}));
            let c = w.conversation_mut(&account, &id);
            c.state = 3;
            c.servicer = Some(s.clone());
            c.entered_human = true;
            w.servicer_writes(&account, &id, &s, ANSWERS[i % ANSWERS.len()], start + 90);
            if i.is_multiple_of(2) {
                w.customer_writes(&account, &id, "image", json!({"media_id": image}), last - 10).expect("seed");
            }
            w.customer_writes(&account, &id, "text", json!({"content": "好的，谢谢"}), last).expect("seed");
            if state == 4 {
                w.log_event_at(&account, last + 30, json!({"event_type": "session_status_change", "open_kfid": account, "external_userid": id, "change_type": 3, "old_servicer_userid": s}));
                let c = w.conversation_mut(&account, &id);
                c.state = 4;
                c.servicer = None;
            }
        }
        (s, _) => {
            w.customer_writes(&account, &id, "text", json!({"content": "麻烦快一点，谢谢"}), last).expect("seed");
            w.conversation_mut(&account, &id).state = s.min(2);
            if s == 2 {
                w.conversation_mut(&account, &id).entered_queue = true;
            }
        }
    }
}

/// More customers so that every managed account has a conversation in every session state, one
/// whose customer last wrote 49–71 hours ago (past the 48-hour reply window, still within the 3
/// days sync_msg returns) and one whose customer wrote only more than 3 days ago: a client's test
/// that picks the first managed account finds every case there. Their own random stream, so the
/// conversations above stay as they were.
fn add_variety(w: &mut World, now: i64, image: &str) {
    let mut rng = Rng::new(w.cfg.seed ^ 0x5EED_F00D);
    let managed: Vec<String> = w.accounts.iter().filter(|a| a.manageable).map(|a| a.open_kfid.clone()).collect();
    let mut names = MORE_CUSTOMERS.iter();
    let mut plans: Vec<(i64, String, String, u8, usize)> = Vec::new();
    for (n, account) in managed.iter().enumerate() {
        let has = |w: &World, state: u8, old: bool| {
            w.conversations.iter().any(|((k, _), c)| {
                k == account && c.state == state && c.last_customer_msg.is_some_and(|t| (now - t > WINDOW_SECS) == old)
            })
        };
        let mut wanted: Vec<(u8, bool)> = (0..=4).filter(|&st| !has(w, st, false)).map(|st| (st, false)).collect();
        if ![1, 4].iter().any(|&st| has(w, st, true)) {
            wanted.push((4, true));
        }
        for (state, old) in wanted {
            let Some(name) = names.next() else { break };
            let id = w.new_customer(name);
            let last = if old { now - rng.range(49 * 3600, 70 * 3600) } else { now - rng.range(120, 20 * 3600) };
            plans.push((last, account.clone(), id, state, n));
        }
        // A customer who wrote only more than 3 days ago: kept by nobody, returned by no sync_msg.
        if let Some(name) = names.next() {
            let id = w.new_customer(name);
            w.customer_writes(
                account,
                &id,
                "text",
                json!({"content": "上次说的赠品什么时候寄？"}),
                now - 4 * 86_400 - rng.range(0, 86_400),
            )
            .expect("seed");
        }
    }
    plans.sort();
    for (last, account, id, state, n) in plans {
        play(w, &mut rng, image, &account, &id, n + 1, state, last);
    }
}

const MORE_CUSTOMERS: &[&str] = &[
    "宋佳宁",
    "唐浩宇",
    "许诗涵",
    "韩明轩",
    "冯可欣",
    "邓子墨",
    "曹雨萱",
    "彭博文",
    "曾思远",
    "萧若曦",
    "田嘉树",
    "董依诺",
    "袁志远",
    "潘静怡",
    "蒋天佑",
    "蔡雨晨",
    "余子安",
    "杜若琳",
];

/// Customers and their conversations on the three manageable accounts and the read-only one.
pub fn populate_conversations(w: &mut World) {
    let mut rng = Rng::new(w.cfg.seed ^ 0xC0FFEE);
    let now = w.now();
    let ids: Vec<String> = CUSTOMERS.iter().map(|n| w.new_customer(n)).collect();
    let image = w.add_media("image", demo_avatar(40.0)).0;
    // History older than 3 days: kept by nobody, returned by no sync_msg.
    let first = w.accounts[0].open_kfid.clone();
    w.customer_writes(&first, &ids[0], "text", json!({"content": "上周买的东西怎么退？"}), now - 4 * 86_400)
        .expect("seed");
    let mut plans: Vec<(i64, usize, String, u8, bool)> = Vec::new();
    for i in 0..ids.len() {
        let account = w.accounts[i % w.accounts.len()].open_kfid.clone();
        let (state, recent) = PLOTS[i % PLOTS.len()];
        let last = if recent { now - rng.range(120, 20 * 3600) } else { now - rng.range(49 * 3600, 70 * 3600) };
        plans.push((last, i, account, state, recent));
    }
    // Replay in time order so the log is sorted like WeCom's.
    plans.sort();
    for (last, i, account, state, _) in plans {
        play(w, &mut rng, &image, &account, &ids[i], i, state, last);
    }
    add_variety(w, now, &image);
    // WeCom's log is in time order; the conversations above overlap in time.
    w.log.sort_by_key(|i| i.send_time);
    w.codes.clear();
    w.callback_tokens.clear();
    w.callbacks.clear();
}

#[cfg(test)]
mod tests {
    use super::super::conversation::WINDOW_SECS;
    use super::super::{WecomConfig, World};

    /// A client's test that picks any managed account finds every case there: a conversation in
    /// each session state, a customer silent for 49–71 hours (past the 48-hour window, still
    /// returned by sync_msg) and one who wrote only more than 3 days ago.
    #[test]
    fn every_managed_account_has_every_kind_of_customer() {
        let mut w = World::new(WecomConfig::default());
        super::populate(&mut w);
        let now = w.now();
        let managed: Vec<&str> = w.accounts.iter().filter(|a| a.manageable).map(|a| a.open_kfid.as_str()).collect();
        assert_eq!(managed.len(), 3);
        for k in managed {
            let of = || w.conversations.iter().filter(move |((a, _), _)| a == k).map(|(_, c)| c);
            for state in 0..=4 {
                assert!(
                    of().any(|c| c.state == state && c.last_customer_msg.is_some_and(|t| now - t < WINDOW_SECS)),
                    "{k}: a recent conversation in state {state}"
                );
            }
            assert!(
                of().any(|c| c.last_customer_msg.is_some_and(|t| (49 * 3600..72 * 3600).contains(&(now - t)))),
                "{k}: a customer silent for 49–71 hours"
            );
            assert!(
                of().any(|c| c.last_customer_msg.is_some_and(|t| now - t > 3 * 86_400)),
                "{k}: a customer who wrote only more than 3 days ago"
            );
        }
    }
}
