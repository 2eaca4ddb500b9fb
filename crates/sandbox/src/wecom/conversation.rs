//! The WeCom sandbox's customers, conversations and message log: the session-state machine of
//! document/path/94698, the 48-hour / 5-message sending window, single-use event codes, the
//! callback token a customer's message would carry, and the append-only log `sync_msg` reads
//! (kept 3 days). Pure state: the endpoints live in `service_state`, `messages`, `customers`.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::world::World;
use crate::rng::ALNUM;
use crate::wire::WxErr;

/// Messages can be read for 3 days (document/path/94670).
pub const RETENTION_SECS: i64 = 3 * 86_400;
/// After the customer's last message, 48 hours and 5 messages (document/path/94677).
pub const WINDOW_SECS: i64 = 48 * 3600;
pub const SENDS_PER_WINDOW: u32 = 5;
/// The callback's Token for sync_msg lasts 10 minutes.
pub const CALLBACK_TOKEN_SECS: i64 = 600;
/// Without a valid callback token, sync_msg allows about 10 calls a minute, then blocks a minute.
pub const SYNC_CALLS_PER_MINUTE: usize = 10;

#[derive(Debug, Clone)]
pub struct Customer {
    pub external_userid: String,
    pub nickname: String,
    pub avatar_hue: f32,
    /// 0 unknown, 1 male, 2 female.
    pub gender: u8,
    pub unionid: String,
    /// Last enter_session or message (any account): batchget answers only within 48 hours.
    pub last_active: i64,
    pub enter_context: Option<(String, String)>,
    /// The customer refuses messages: sends succeed, then a msg_send_fail event (fail_type 10).
    pub rejects: bool,
}

/// One customer's conversation with one kf account.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    /// 0 未处理, 1 智能助手, 2 排队中, 3 人工接待, 4 已结束/未开始.
    pub state: u8,
    pub servicer: Option<String>,
    pub last_customer_msg: Option<i64>,
    pub sent_since: u32,
    /// Whether this session already entered state 2 / 3 (msg_code only the first time).
    pub entered_queue: bool,
    pub entered_human: bool,
    pub last_welcome: Option<i64>,
}

/// What an event code lets one send, and until when.
#[derive(Debug, Clone)]
pub struct EventCode {
    pub open_kfid: String,
    pub external_userid: String,
    /// The state the session was in when the code was issued (`None` for welcome codes).
    pub state: Option<u8>,
    pub expires_at: i64,
    pub used: bool,
    /// What may be sent: `text` only, or `text` and `msgmenu`.
    pub menu_allowed: bool,
}

/// A `kf_msg_or_event` callback (document/path/94699): new messages or events on an account,
/// with the Token that lets sync_msg skip the frequency limit for 10 minutes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Callback {
    /// Position in the relay's feed (1, 2, …).
    pub seq: u64,
    #[serde(rename = "token")]
    pub token: String,
    pub open_kfid: String,
    pub create_time: i64,
}

/// Callbacks a relay keeps (older ones carry expired tokens anyway).
pub const CALLBACKS_KEPT: usize = 1000;

/// One item of the log `sync_msg` reads.
#[derive(Debug, Clone)]
pub struct LogItem {
    pub open_kfid: String,
    pub send_time: i64,
    /// The item as sync_msg returns it.
    pub body: Value,
}

/// The transitions `service_state/trans` allows (document/path/94698; the flowchart's arrows
/// into 4 from 0, 1, 2 are allowed here, as bots commonly end sessions that way).
pub fn transition_allowed(from: u8, to: u8) -> bool {
    matches!((from, to), (0, 1..=4) | (1, 2..=4) | (2, 3) | (2, 4) | (3, 3) | (3, 4))
}

impl World {
    pub fn customer(&self, external_userid: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.external_userid == external_userid)
    }

    pub fn conversation(&self, open_kfid: &str, external_userid: &str) -> Conversation {
        self.conversations
            .get(&(open_kfid.to_string(), external_userid.to_string()))
            .cloned()
            .unwrap_or(Conversation { state: 4, ..Default::default() })
    }

    pub fn conversation_mut(&mut self, open_kfid: &str, external_userid: &str) -> &mut Conversation {
        self.conversations
            .entry((open_kfid.to_string(), external_userid.to_string()))
            .or_insert(Conversation { state: 4, ..Default::default() })
    }

    /// A new customer (a WeChat user who opened a contact link).
    pub fn new_customer(&mut self, nickname: &str) -> String {
        let id = format!("wm{}", self.rng.string(ALNUM, 30));
        let hue = (self.rng.range(0, 359)) as f32;
        let gender = self.rng.range(0, 2) as u8;
        let unionid = format!("o{}", self.rng.string(ALNUM, 27));
        self.customers.push(Customer {
            external_userid: id.clone(),
            nickname: nickname.into(),
            avatar_hue: hue,
            gender,
            unionid,
            last_active: 0,
            enter_context: None,
            rejects: false,
        });
        id
    }

    pub fn next_msgid(&mut self, prefix: &str) -> String {
        format!("{prefix}_{}", self.rng.string(b"0123456789", 19))
    }

    /// Appends an item to the log of `open_kfid`, and WeCom's callback about it.
    pub fn log(&mut self, open_kfid: &str, send_time: i64, body: Value) -> String {
        self.log.push(LogItem { open_kfid: open_kfid.to_string(), send_time, body });
        self.notify(open_kfid)
    }

    /// The callback WeCom posts when an account has something new; its Token.
    pub fn notify(&mut self, open_kfid: &str) -> String {
        let token = self.callback_token();
        let seq = self.callbacks.last().map_or(1, |c| c.seq + 1);
        let create_time = self.now();
        let callback = Callback { seq, token: token.clone(), open_kfid: open_kfid.to_string(), create_time };
        self.deliver(&callback);
        self.callbacks.push(callback);
        if self.callbacks.len() > CALLBACKS_KEPT {
            self.callbacks.drain(..self.callbacks.len() - CALLBACKS_KEPT);
        }
        token
    }

    /// Appends an event now (origin 4; no top-level open_kfid or external_userid, like WeCom).
    pub fn log_event(&mut self, open_kfid: &str, event: Value) {
        let now = self.now();
        self.log_event_at(open_kfid, now, event);
    }

    pub fn log_event_at(&mut self, open_kfid: &str, at: i64, event: Value) {
        let msgid = self.next_msgid("event");
        self.log(
            open_kfid,
            at,
            json!({"msgid": msgid, "send_time": at, "origin": 4, "msgtype": "event", "event": event}),
        );
    }

    /// A new single-use code for send_msg_on_event.
    pub fn issue_code(
        &mut self,
        open_kfid: &str,
        external_userid: &str,
        state: Option<u8>,
        ttl: i64,
        menu_allowed: bool,
    ) -> String {
        let code = self.rng.string(ALNUM, 43);
        let expires_at = self.now() + ttl;
        self.codes.insert(
            code.clone(),
            EventCode {
                open_kfid: open_kfid.into(),
                external_userid: external_userid.into(),
                state,
                expires_at,
                used: false,
                menu_allowed,
            },
        );
        code
    }

    /// The Token a kf_msg_or_event callback would carry (valid 10 minutes).
    pub fn callback_token(&mut self) -> String {
        let t = format!("ENC{}", self.rng.string(ALNUM, 44));
        let now = self.now();
        self.callback_tokens.retain(|(_, exp)| *exp > now);
        self.callback_tokens.push((t.clone(), now + CALLBACK_TOKEN_SECS));
        t
    }

    /// The customer enters a conversation (opens a link): an enter_session event, with a welcome
    /// code (20 s, single use) if they got no welcome in 48 h and have not written.
    pub fn customer_enters(
        &mut self,
        open_kfid: &str,
        external_userid: &str,
        scene: &str,
        scene_param: &str,
        at: i64,
    ) -> Result<Option<String>, WxErr> {
        self.account(open_kfid)?;
        let now = at;
        let c = self.customers.iter_mut().find(|c| c.external_userid == external_userid).ok_or(WxErr::new(40096))?;
        c.last_active = c.last_active.max(now);
        c.enter_context = Some((scene.to_string(), scene_param.to_string()));
        let conv = self.conversation(open_kfid, external_userid);
        let quiet = conv.last_customer_msg.is_none_or(|t| now - t > WINDOW_SECS)
            && conv.last_welcome.is_none_or(|t| now - t > WINDOW_SECS);
        let welcome = quiet.then(|| self.issue_code(open_kfid, external_userid, None, 20, true));
        if welcome.is_some() {
            self.conversation_mut(open_kfid, external_userid).last_welcome = Some(now);
        }
        let mut event = json!({"event_type": "enter_session", "open_kfid": open_kfid, "external_userid": external_userid, "scene": scene, "scene_param": scene_param});
        if let Some(w) = &welcome {
            event["welcome_code"] = json!(w);
        }
        self.log_event_at(open_kfid, now, event);
        Ok(welcome)
    }

    /// The customer writes: a new session (4 → 0) or the running one, the send quota re-armed,
    /// the message in the log; returns the callback token WeCom's event would carry.
    pub fn customer_writes(
        &mut self,
        open_kfid: &str,
        external_userid: &str,
        msgtype: &str,
        payload: Value,
        at: i64,
    ) -> Result<String, WxErr> {
        self.account(open_kfid)?;
        let c = self.customers.iter_mut().find(|c| c.external_userid == external_userid).ok_or(WxErr::new(40096))?;
        c.last_active = c.last_active.max(at);
        let conv = self.conversation_mut(open_kfid, external_userid);
        if conv.state == 4 {
            *conv = Conversation { state: 0, last_welcome: conv.last_welcome, ..Default::default() };
        }
        conv.last_customer_msg = Some(at);
        conv.sent_since = 0;
        let msgid = self.next_msgid("from_msgid");
        let mut item = json!({"msgid": msgid, "open_kfid": open_kfid, "external_userid": external_userid, "send_time": at, "origin": 3, "msgtype": msgtype});
        item[msgtype] = payload;
        Ok(self.log(open_kfid, at, item))
    }

    /// A servicer typed in the WeCom app (origin 5).
    pub fn servicer_writes(&mut self, open_kfid: &str, external_userid: &str, servicer: &str, text: &str, at: i64) {
        let msgid = self.next_msgid("from_msgid");
        let item = json!({"msgid": msgid, "open_kfid": open_kfid, "external_userid": external_userid, "send_time": at, "origin": 5,
            "servicer_userid": servicer, "msgtype": "text", "text": {"content": text}});
        self.log(open_kfid, at, item);
    }

    /// The first step of a backlog (`/__sandbox/messages/fill`, for training and load tests):
    /// checks the account and adds the customers; the messages are made without the lock
    /// ([`Backlog::messages`]) and merged by [`World::merge_backlog`]. The log is re-sorted by
    /// time, so cursors handed out before no longer point where they did: fill a fresh sandbox.
    pub fn plan_backlog(&mut self, open_kfid: &str, customers: usize, secs: i64) -> Result<Backlog, WxErr> {
        self.account(open_kfid)?;
        let ids = (0..customers.max(1)).map(|i| self.new_customer(&format!("客户{i}"))).collect();
        Ok(Backlog { open_kfid: open_kfid.to_string(), ids, now: self.now(), secs, seed: self.rng.next_u64() })
    }

    /// Merges a backlog's messages into the log (both in time order: the stable sort merges two
    /// runs) and opens each customer's session; the account has news.
    pub fn merge_backlog(&mut self, plan: &Backlog, mut items: Vec<LogItem>, last: Vec<i64>) {
        self.log.append(&mut items);
        self.log.sort_by_key(|i| i.send_time);
        let latest: std::collections::HashMap<&str, i64> =
            plan.ids.iter().map(String::as_str).zip(last.iter().copied()).collect();
        for c in &mut self.customers {
            if let Some(&at) = latest.get(c.external_userid.as_str()) {
                c.last_active = at;
            }
        }
        for (who, at) in plan.ids.iter().zip(last) {
            let conv = self.conversation_mut(&plan.open_kfid, who);
            conv.state = 0;
            conv.last_customer_msg = Some(at);
        }
        self.notify(&plan.open_kfid);
    }

    /// All three steps under one lock (tests).
    pub fn fill_messages(&mut self, open_kfid: &str, count: usize, customers: usize, secs: i64) -> Result<(), WxErr> {
        let plan = self.plan_backlog(open_kfid, customers, secs)?;
        let (items, last) = plan.messages(count);
        self.merge_backlog(&plan, items, last);
        Ok(())
    }

    /// Whether `userid` serves `open_kfid` (by name, or through one of its departments).
    pub fn serves(&self, open_kfid: &str, userid: &str) -> bool {
        let Ok(a) = self.account(open_kfid) else { return false };
        a.users.iter().any(|u| u == userid) || self.staff(userid).is_some_and(|s| a.departments.contains(&s.department))
    }
}

/// A backlog of customer messages being made (see [`World::plan_backlog`]).
pub struct Backlog {
    pub open_kfid: String,
    /// The customers who write, in turn.
    pub ids: Vec<String>,
    pub now: i64,
    pub secs: i64,
    seed: u64,
}

impl Backlog {
    /// `count` texts spread evenly over the `secs` before `now`, in time order, and each
    /// customer's last message time.
    pub fn messages(&self, count: usize) -> (Vec<LogItem>, Vec<i64>) {
        const LINES: &[&str] = &[
            "你好，在吗？",
            "订单什么时候发货？",
            "可以开发票吗",
            "收到的商品有破损",
            "退款多久到账",
            "会员积分怎么用",
            "谢谢",
        ];
        let mut rng = crate::rng::Rng::new(self.seed);
        let (ids, secs) = (&self.ids, self.secs);
        let mut last = vec![0i64; ids.len()];
        let mut items = Vec::with_capacity(count);
        for i in 0..count {
            let at = self.now - secs + (secs * i as i64) / count.max(1) as i64;
            let who = &ids[i % ids.len()];
            last[i % ids.len()] = at;
            let msgid = format!("fill_{}_{i}", rng.string(b"0123456789", 8));
            let text = format!("{}（#{i}）", LINES[i % LINES.len()]);
            let body = json!({"msgid": msgid, "open_kfid": self.open_kfid, "external_userid": who, "send_time": at, "origin": 3, "msgtype": "text", "text": {"content": text}});
            items.push(LogItem { open_kfid: self.open_kfid.clone(), send_time: at, body });
        }
        (items, last)
    }
}

/// Per-session send bookkeeping: the errors of send_msg in WeCom's order.
pub fn check_send(conv: &Conversation, now: i64) -> Result<(), WxErr> {
    if !matches!(conv.state, 0 | 1) {
        return Err(WxErr::with_msg(95018, "send msg session status invalid"));
    }
    let Some(last) = conv.last_customer_msg else { return Err(WxErr::new(95031)) };
    if now - last > WINDOW_SECS {
        return Err(WxErr::new(95002));
    }
    if conv.sent_since >= SENDS_PER_WINDOW {
        return Err(WxErr::new(95001));
    }
    Ok(())
}

/// The sync_msg cursor: an opaque token over a position in the corp's log.
pub fn encode_cursor(pos: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("kfc:{pos}"))
}

pub fn decode_cursor(cursor: &str) -> Option<usize> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(raw).ok()?.strip_prefix("kfc:")?.parse().ok()
}

pub type Conversations = HashMap<(String, String), Conversation>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_transitions() {
        for (from, to, ok) in [
            (0, 1, true),
            (0, 3, true),
            (1, 2, true),
            (2, 3, true),
            (3, 3, true),
            (3, 4, true),
            (2, 1, false),
            (3, 1, false),
            (3, 2, false),
            (4, 0, false),
            (4, 3, false),
            (1, 1, false),
            (2, 2, false),
            (1, 0, false),
        ] {
            assert_eq!(transition_allowed(from, to), ok, "{from} → {to}");
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(1234)), Some(1234));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert!(encode_cursor(usize::MAX).len() <= 64);
    }

    #[test]
    fn sending_needs_state_0_or_1_a_customer_message_within_48_hours_and_quota() {
        let c = |state, last: Option<i64>, sent| Conversation {
            state,
            last_customer_msg: last,
            sent_since: sent,
            ..Default::default()
        };
        assert!(check_send(&c(0, Some(100), 0), 200).is_ok());
        assert_eq!(check_send(&c(3, Some(100), 0), 200).unwrap_err().code, 95018);
        assert_eq!(check_send(&c(1, None, 0), 200).unwrap_err().code, 95031);
        assert_eq!(check_send(&c(1, Some(0), 0), WINDOW_SECS + 1).unwrap_err().code, 95002);
        assert_eq!(check_send(&c(1, Some(100), 5), 200).unwrap_err().code, 95001);
    }
}
