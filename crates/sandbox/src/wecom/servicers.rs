//! Servicers 接待人员 (document/path/94645 add, 94646 del, 94647 list): people by userid and
//! whole departments, ≤100 of each a call, each item answered on its own (`ignored` when
//! nothing changes); at most 2 000 people and 20 departments per account. The list's status is
//! 0 接待中 / 1 停止接待 (+ stop_type), shown only to an app that manages the account.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::wire::{json_body, ok_with};
use super::world::{World, MAX_SERVICER_DEPARTMENTS, MAX_SERVICER_USERS};
use super::{WecomSbx, Q};
use crate::wire::WxErr;

const PER_CALL: usize = 100;

pub async fn list(State(s): State<WecomSbx>, q: Q) -> Response {
    let open_kfid = q.get("open_kfid").cloned().unwrap_or_default();
    s.business(&q, |w| {
        let a = w.account(&open_kfid)?;
        let mut list: Vec<Value> = a
            .users
            .iter()
            .map(|u| {
                if !a.manageable {
                    return json!({ "userid": u });
                }
                let st = w.status_of(u);
                match st.status {
                    0 => json!({ "userid": u, "status": 0 }),
                    _ => json!({ "userid": u, "status": 1, "stop_type": st.stop_type }),
                }
            })
            .collect();
        list.extend(a.departments.iter().map(|d| json!({ "department_id": d })));
        Ok(ok_with(json!({ "servicer_list": list })))
    })
}

/// The request's lists: at least one non-empty, ≤100 each.
fn lists(b: &Value) -> Result<(Vec<String>, Vec<i64>), WxErr> {
    let users: Vec<String> = match b.get("userid_list") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => {
            a.iter().map(|v| v.as_str().map(str::to_string).ok_or(WxErr::new(40058))).collect::<Result<_, _>>()?
        }
        Some(_) => return Err(WxErr::new(40058)),
    };
    let depts: Vec<i64> = match b.get("department_id_list") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(|v| v.as_i64().ok_or(WxErr::new(40058))).collect::<Result<_, _>>()?,
        Some(_) => return Err(WxErr::new(40058)),
    };
    if users.is_empty() && depts.is_empty() {
        return Err(WxErr::with_msg(
            40058,
            "userid_list and department_id_list are both empty. invalid Request Parameter",
        ));
    }
    if users.len() > PER_CALL || depts.len() > PER_CALL {
        return Err(WxErr::with_msg(
            40058,
            "at most 100 userids and 100 departments per call. invalid Request Parameter",
        ));
    }
    Ok((users, depts))
}

fn item(key: &str, id: Value, code: i64, msg: &str) -> Value {
    json!({ key: id, "errcode": code, "errmsg": msg })
}

fn change(w: &mut World, body: &Bytes, add: bool) -> Result<Value, WxErr> {
    let b = json_body(body)?;
    let open_kfid = super::wire::required(&b, "open_kfid")?.to_string();
    let (users, depts) = lists(&b)?;
    w.managed(&open_kfid)?;
    let mut results = Vec::new();
    for u in users {
        let known = w.staff(&u).map(|s| s.visible);
        let a = w.managed(&open_kfid)?;
        let member = a.users.contains(&u);
        let r = match (known, add, member) {
            (None, _, _) => item("userid", json!(u), 60111, "userid not found"),
            (Some(false), true, _) => {
                item("userid", json!(u), 60011, "no privilege to access/modify contact/party/agent")
            }
            (_, true, true) | (_, false, false) => item("userid", json!(u), 0, "ignored"),
            (_, true, false) if a.users.len() >= MAX_SERVICER_USERS => {
                item("userid", json!(u), 95005, "servicer count exceed limit")
            }
            (_, true, false) => {
                a.users.push(u.clone());
                item("userid", json!(u), 0, "success")
            }
            (_, false, true) => {
                a.users.retain(|x| *x != u);
                item("userid", json!(u), 0, "success")
            }
        };
        results.push(r);
    }
    for d in depts {
        let known = d > 0 && w.departments.iter().any(|x| x.id == d as u64);
        let a = w.managed(&open_kfid)?;
        let member = a.departments.contains(&(d as u64));
        let r = match (known, add, member) {
            (false, _, _) => item("department_id", json!(d), 60123, "invalid party id"),
            (_, true, true) | (_, false, false) => item("department_id", json!(d), 0, "ignored"),
            (_, true, false) if a.departments.len() >= MAX_SERVICER_DEPARTMENTS => {
                item("department_id", json!(d), 95005, "department count exceed limit")
            }
            (_, true, false) => {
                a.departments.push(d as u64);
                item("department_id", json!(d), 0, "success")
            }
            (_, false, true) => {
                a.departments.retain(|x| *x != d as u64);
                item("department_id", json!(d), 0, "success")
            }
        };
        results.push(r);
    }
    Ok(ok_with(json!({ "result_list": results })))
}

pub async fn add(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| change(w, &body, true))
}

pub async fn del(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| change(w, &body, false))
}
