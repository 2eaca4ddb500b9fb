//! The demo corp, deterministic from the seed: a small directory with Chinese names, four 微信客服
//! accounts with avatars (one this app may not manage), and servicers in every state.

use super::world::{Account, Department, ServiceStatus, Staff, World};
use crate::sandbox::avatar::demo_avatar;

const DEPARTMENTS: &[(u64, &str, u64)] = &[
    (1, "星河零售", 0),
    (2, "客户服务部", 1),
    (3, "售后服务部", 1),
    (4, "销售部", 1),
    (5, "技术支持部", 1),
];

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

/// name, hue, manageable, users, departments.
const ACCOUNTS: &[(&str, f32, bool, &[&str], &[u64])] = &[
    ("售前咨询", 200.0, true, &["ZhangWei", "LiNa", "WangFang", "ZhuTing"], &[4]),
    ("售后服务", 20.0, true, &["ChenJing", "YangLei", "ZhaoMin", "HuJun"], &[]),
    ("会员中心", 280.0, true, &["LiuYang", "ZhouXue"], &[]),
    ("投诉与建议", 120.0, false, &["LinFeng"], &[3]),
];

/// Who is not receiving at the start: (userid, stop_type) — 0 stopped, 1 paused.
const NOT_RECEIVING: &[(&str, u8)] = &[("WangFang", 0), ("ZhaoMin", 1), ("ZhouXue", 0)];

pub fn populate(w: &mut World) {
    w.departments = DEPARTMENTS.iter().map(|&(id, name, parent)| Department { id, name: name.into(), parent }).collect();
    w.staff = STAFF
        .iter()
        .map(|&(userid, name, department, visible)| Staff { userid: userid.into(), name: name.into(), department, visible })
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
}
