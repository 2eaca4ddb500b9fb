//! The WeCom sandbox's own endpoints under `/__sandbox/` (not WeCom's): the demo credentials
//! and directory, a servicer changing status, customers writing, the clock, token invalidation,
//! switches, and the callback relay a company would run.
//! Faults and request counts come from the shared `faults::routes`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::world::{Flags, ServiceStatus};
use super::WecomSbx;
use crate::wire::{int_field, json_body, ok, str_field, WxErr, WxResult};

pub fn routes() -> Router<WecomSbx> {
    Router::new()
        .route("/__sandbox/info", get(info))
        .route("/__sandbox/directory", get(directory))
        .route("/__sandbox/tokens/invalidate", post(invalidate_tokens))
        .route("/__sandbox/clock", post(clock))
        .route("/__sandbox/flags", get(get_flags).post(set_flags))
        .route("/__sandbox/servicers/status", post(servicer_status))
        .route("/__sandbox/customers/message", post(customer_message))
        .route("/__sandbox/customers/enter", post(customer_enters))
        .route("/__sandbox/servicers/reply", post(servicer_reply))
        .route("/__sandbox/sent", get(sent))
        .route("/__sandbox/messages/fill", post(fill_messages))
        .route("/__sandbox/relay/callbacks", get(relay_callbacks))
        .route(
            "/__sandbox/callback",
            get(super::callbacks::get_callback)
                .post(super::callbacks::set_callback)
                .delete(super::callbacks::clear_callback),
        )
        .route("/__sandbox/customers/reject", post(customer_rejects))
}

/// `{"external_userid", "reject": true}`: the customer refuses messages (or no longer does):
/// send_msg still answers 0, then WeCom logs a msg_send_fail event (fail_type 10).
async fn customer_rejects(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let mut w = s.world();
        let id = str_field(&b, "external_userid").to_string();
        let c = w.customers.iter_mut().find(|c| c.external_userid == id).ok_or(WxErr::new(40096))?;
        c.rejects = b.get("reject").and_then(Value::as_bool).unwrap_or(true);
        Ok(ok())
    })
}

/// `?after=N`: the kf_msg_or_event callbacks after position N, as a company's relay server
/// would hand them to KefuDesk (a desktop app cannot receive WeCom's callbacks itself): which
/// account has news, and a Token that lets sync_msg read it without the frequency limit.
async fn relay_callbacks(State(s): State<WecomSbx>, q: super::Q) -> Response {
    let after: u64 = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let w = s.world();
    let list: Vec<&super::conversation::Callback> = w.callbacks.iter().filter(|c| c.seq > after).collect();
    let v = json!({"errcode": 0, "errmsg": "ok", "callbacks": list, "last": w.callbacks.last().map_or(after, |c| c.seq.max(after))});
    drop(w);
    s.reply(Ok(v))
}

fn with_body(s: &WecomSbx, body: &Bytes, f: impl FnOnce(&WecomSbx, Value) -> WxResult) -> Response {
    s.reply(json_body(body).and_then(|b| f(s, b)))
}

/// The demo credentials (public by design) and what is here.
async fn info(State(s): State<WecomSbx>) -> Response {
    let w = s.world();
    let v = json!({
        "errcode": 0, "errmsg": "ok",
        "platform": "wecom",
        "corpid": w.cfg.corp_id,
        "secret": w.cfg.secret,
        "base_url": w.base_url,
        "accounts": w.accounts.len(),
        "staff": w.staff.len(),
        "now": w.now(),
    });
    drop(w);
    s.reply(Ok(v))
}

/// The demo corp's directory (departments and staff), which WeCom's kf API does not return:
/// the app shows servicers' names from it when the profile is this sandbox.
async fn directory(State(s): State<WecomSbx>) -> Response {
    let w = s.world();
    let v = json!({
        "errcode": 0, "errmsg": "ok",
        "departments": w.departments.iter().map(|d| json!({"id": d.id, "name": d.name, "parent": d.parent})).collect::<Vec<_>>(),
        "staff": w.staff.iter().map(|p| json!({"userid": p.userid, "name": p.name, "department": p.department, "visible": p.visible})).collect::<Vec<_>>(),
    });
    drop(w);
    s.reply(Ok(v))
}

async fn invalidate_tokens(State(s): State<WecomSbx>) -> Response {
    s.world().invalidate_tokens();
    s.reply(Ok(ok()))
}

/// `{"advance_secs": 3600}` moves the sandbox's clock (token and media expiry).
async fn clock(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let secs = int_field(&b, "advance_secs")
            .filter(|s| s.abs() <= crate::guard::MAX_CLOCK_STEP_SECS)
            .ok_or(WxErr::with_msg(40058, "advance_secs, at most ten years. invalid Request Parameter"))?;
        let mut w = s.world();
        w.clock_offset =
            (w.clock_offset + secs).clamp(-crate::guard::MAX_CLOCK_OFFSET_SECS, crate::guard::MAX_CLOCK_OFFSET_SECS);
        Ok(json!({ "errcode": 0, "errmsg": "ok", "now": w.now() }))
    })
}

async fn get_flags(State(s): State<WecomSbx>) -> Response {
    let flags = serde_json::to_value(&s.world().flags).expect("flags serialise");
    s.reply(Ok(flags))
}

/// `{"unverified": true, "ip_untrusted": false}`
async fn set_flags(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let flags: Flags =
            serde_json::from_value(b).map_err(|e| WxErr::with_msg(40058, format!("{e}. invalid Request Parameter")))?;
        s.world().flags = flags;
        Ok(ok())
    })
}

/// `{"userid": "LiNa", "status": 0|1, "stop_type": 0|1}`: the servicer starts or stops
/// receiving in the WeCom app (list encoding: 0 接待中, 1 停止接待; stop_type 1 暂时挂起).
async fn servicer_status(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let status = int_field(&b, "status")
            .filter(|v| (0..=1).contains(v))
            .ok_or(WxErr::with_msg(40058, "status 0 or 1. invalid Request Parameter"))?;
        let stop_type = int_field(&b, "stop_type").unwrap_or(0).clamp(0, 1);
        let mut w = s.world();
        let userid = str_field(&b, "userid");
        if w.staff(userid).is_none() {
            return Err(WxErr::new(60111));
        }
        let st = if status == 0 {
            ServiceStatus::default()
        } else {
            ServiceStatus { status: 1, stop_type: stop_type as u8 }
        };
        w.status.insert(userid.to_string(), st);
        // The event encodes status differently from servicer/list: 1 接待中, 2 停止接待.
        let accounts: Vec<String> =
            w.accounts.iter().map(|a| a.open_kfid.clone()).filter(|k| w.serves(k, userid)).collect();
        for k in accounts {
            let event = json!({"event_type": "servicer_status_change", "servicer_userid": userid, "status": if status == 0 { 1 } else { 2 }, "stop_type": st.stop_type, "open_kfid": k});
            w.log_event(&k, event);
        }
        Ok(ok())
    })
}

/// The account a control call names, or the first one.
fn account_or_first(w: &super::World, b: &Value) -> Result<String, WxErr> {
    match str_field(b, "open_kfid") {
        "" => w.accounts.first().map(|a| a.open_kfid.clone()).ok_or(WxErr::new(95004)),
        k => w.account(k).map(|a| a.open_kfid.clone()),
    }
}

/// The customer a control call names, or a new one (a WeChat user opening the link).
fn customer_or_new(w: &mut super::World, b: &Value) -> Result<String, WxErr> {
    match str_field(b, "external_userid") {
        "" => {
            let nick = match str_field(b, "nickname") {
                "" => "新客户".to_string(),
                n => n.to_string(),
            };
            Ok(w.new_customer(&nick))
        }
        id if w.customer(id).is_some() => Ok(id.to_string()),
        _ => Err(WxErr::new(40096)),
    }
}

/// `{"open_kfid"?, "external_userid"?, "nickname"?, "text" | "msgtype" + "payload"}`: a customer writes (a new customer
/// when none is named). Answers the callback Token WeCom's kf_msg_or_event would carry.
async fn customer_message(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let mut w = s.world();
        let open_kfid = account_or_first(&w, &b)?;
        let customer = customer_or_new(&mut w, &b)?;
        // Any message type of sync_msg with its fields (`{"msgtype": "location", "payload": {…}}`),
        // an image of the demo picture, or a text.
        let (msgtype, payload) = match (str_field(&b, "msgtype"), b.get("payload").filter(|p| p.is_object())) {
            (t, Some(p)) if !t.is_empty() => (t.to_string(), p.clone()),
            ("" | "text", _) => {
                ("text".to_string(), json!({"content": match str_field(&b, "text") { "" => "你好，在吗？", t => t }}))
            }
            ("image", None) => {
                ("image".to_string(), json!({"media_id": w.add_media("image", crate::avatar::demo_avatar(200.0)).0}))
            }
            _ => {
                return Err(WxErr::with_msg(
                    40058,
                    "payload (an object) is required for this msgtype. invalid Request Parameter",
                ))
            }
        };
        if payload.to_string().len() > crate::guard::MAX_CONTROL_TEXT_BYTES {
            return Err(WxErr::with_msg(40058, "the message is too long. invalid Request Parameter"));
        }
        let now = w.now();
        let token = w.customer_writes(&open_kfid, &customer, &msgtype, payload, now)?;
        let state = w.conversation(&open_kfid, &customer).state;
        Ok(
            json!({"errcode": 0, "errmsg": "ok", "token": token, "open_kfid": open_kfid, "external_userid": customer, "service_state": state}),
        )
    })
}

/// `{"open_kfid"?, "external_userid"?, "scene"?, "scene_param"?}`: a customer opens the link.
async fn customer_enters(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let mut w = s.world();
        let open_kfid = account_or_first(&w, &b)?;
        let customer = customer_or_new(&mut w, &b)?;
        let now = w.now();
        let welcome =
            w.customer_enters(&open_kfid, &customer, str_field(&b, "scene"), str_field(&b, "scene_param"), now)?;
        let token = w.callbacks.last().map(|c| c.token.clone());
        Ok(
            json!({"errcode": 0, "errmsg": "ok", "token": token, "open_kfid": open_kfid, "external_userid": customer, "welcome_code": welcome}),
        )
    })
}

/// `{"open_kfid", "external_userid", "servicer_userid", "text"}`: a servicer answers in the WeCom
/// app: the session moves to them (state 3; from 4 with a session_status_change event).
async fn servicer_reply(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let mut w = s.world();
        let open_kfid = account_or_first(&w, &b)?;
        let customer = str_field(&b, "external_userid").to_string();
        let servicer = str_field(&b, "servicer_userid").to_string();
        if w.customer(&customer).is_none() {
            return Err(WxErr::new(40096));
        }
        if !w.serves(&open_kfid, &servicer) {
            return Err(WxErr::new(95014));
        }
        let before = w.conversation(&open_kfid, &customer);
        if before.state != 3 || before.servicer.as_deref() != Some(servicer.as_str()) {
            let (change, old) = match (before.state, before.servicer) {
                (4, old) => (4, old),
                (3, Some(old)) => (2, Some(old)),
                (_, _) => (1, None),
            };
            let mut event = json!({"event_type": "session_status_change", "open_kfid": open_kfid, "external_userid": customer, "change_type": change, "new_servicer_userid": servicer});
            if let Some(o) = old {
                event["old_servicer_userid"] = json!(o);
            }
            w.log_event(&open_kfid, event);
            let c = w.conversation_mut(&open_kfid, &customer);
            c.state = 3;
            c.servicer = Some(servicer.clone());
            c.entered_human = true;
        }
        let now = w.now();
        let text = match str_field(&b, "text") {
            "" => "您好，请问有什么可以帮您？",
            t => t,
        };
        w.servicer_writes(&open_kfid, &customer, &servicer, text, now);
        Ok(ok())
    })
}

/// What send_msg and send_msg_on_event delivered (they never appear in sync_msg).
async fn sent(State(s): State<WecomSbx>) -> Response {
    let v = json!({"errcode": 0, "errmsg": "ok", "sent": s.world().sent});
    s.reply(Ok(v))
}

/// `{"open_kfid"?, "count": 100000, "customers": 2000, "secs": 259000}`: a backlog of customer
/// texts over the last `secs` (default just under 3 days), for training and load tests. Fill a
/// fresh sandbox: existing cursors no longer point where they did.
/// A large backlog takes seconds to make: it is made off the async threads and without the
/// corp's lock, which is held only to add the customers and to merge.
async fn fill_messages(State(s): State<WecomSbx>, body: Bytes) -> Response {
    let b = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return s.reply(Err(e)),
    };
    let count = int_field(&b, "count").unwrap_or(1000);
    let customers = int_field(&b, "customers").unwrap_or(count / 50 + 1);
    let secs = int_field(&b, "secs").unwrap_or(3 * 86_400 - 600);
    if !(1..=2_000_000).contains(&count) || !(1..=100_000).contains(&customers) || !(1..=30 * 86_400).contains(&secs) {
        return s.reply(Err(WxErr::with_msg(
            40058,
            "count 1..=2000000, customers 1..=100000, secs 1..=2592000. invalid Request Parameter",
        )));
    }
    let plan = {
        let mut w = s.world();
        match account_or_first(&w, &b).and_then(|k| w.plan_backlog(&k, customers as usize, secs)) {
            Ok(plan) => plan,
            Err(e) => return s.reply(Err(e)),
        }
    };
    let Ok((plan, items, last)) = tokio::task::spawn_blocking(move || {
        let (items, last) = plan.messages(count as usize);
        (plan, items, last)
    })
    .await
    else {
        return s.reply(Err(WxErr::with_msg(-1, "system error")));
    };
    let mut w = s.world();
    w.merge_backlog(&plan, items, last);
    let log = w.log.len();
    drop(w);
    s.reply(Ok(json!({"errcode": 0, "errmsg": "ok", "open_kfid": plan.open_kfid, "log": log})))
}
