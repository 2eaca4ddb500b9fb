//! The simulated Official Account: agents, customers, sessions, the waiting queue, chat
//! records, tokens and switches. Handlers lock it briefly; nothing here awaits.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

use super::MpConfig;
use crate::rng::{Rng, ALNUM};
use crate::wire::WxErr;

/// Seconds a superseded `/cgi-bin/token` token keeps working.
pub const TOKEN_GRACE_SECS: i64 = 300;
/// Waiting-queue entries `getwaitcase` lists at most.
pub const WAITCASE_LIST_MAX: usize = 100;
pub const MAX_AGENTS: usize = 100;
pub const WINDOW_SECS: i64 = 48 * 3600;
pub const REPLIES_PER_WINDOW: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Cgi,
    Stable,
}

#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub value: String,
    pub kind: TokenKind,
    pub expires_at: i64,
    /// When set, the token stops working at this time (superseded or invalidated).
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Default)]
pub struct Tokens {
    pub issued: Vec<IssuedToken>,
    /// (day number, calls) for `/cgi-bin/token`'s daily quota.
    pub cgi_calls: (i64, u32),
    /// Times of `force_refresh` calls (stable_token), for the 20/day + 30 s rules.
    pub force_refreshes: Vec<i64>,
}

/// Switches that make the whole account behave differently (reference mp §8.3).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Flags {
    /// "New customer service" not enabled: every kf endpoint answers 65400.
    pub kf_disabled: bool,
    /// Unverified account: kf endpoints answer 48001.
    pub unverified: bool,
    /// Test account: typing and msgmenu answer 40200.
    pub test_account: bool,
    /// The caller's IP is not whitelisted: token endpoints answer 40164.
    pub ip_not_whitelisted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InviteStatus {
    Waiting,
    Rejected,
}

#[derive(Debug, Clone)]
pub struct Invite {
    pub wx: String,
    pub expire_time: i64,
    pub status: InviteStatus,
}

#[derive(Debug, Clone)]
pub struct Agent {
    pub kf_id: u64,
    pub account: String,
    pub nick: String,
    pub kf_wx: Option<String>,
    pub invite: Option<Invite>,
    /// 0 offline, 1 PC, 2 mobile, 3 both.
    pub status: u8,
    pub auto_accept: u32,
    /// Bumped on each avatar upload so the URL changes.
    pub avatar_version: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Customer {
    pub followed: bool,
    /// Last message the customer sent (opens the 48-hour window), 0 if none.
    pub last_user_msg: i64,
    /// Replies sent since then.
    pub replies: u32,
    pub typing_until: i64,
    /// What the latest event (follow, menu click, scan, payment) allows, if still open.
    pub event_grant: Option<Grant>,
}

/// Messages an event allows: until when, and how many (`None`: any number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub until: i64,
    pub left: Option<u32>,
}

/// What a customer can do besides writing that lets the account message them (reference mp
/// §6.2; doc: /doc/offiaccount/Message_Management/Service_Center_messages.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerEvent {
    Follow,
    Unfollow,
    /// A click, scancode_push or scancode_waitmsg menu.
    MenuClick,
    ScanQr,
    /// Only for service accounts.
    Payment,
}

impl CustomerEvent {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "subscribe" | "follow" => CustomerEvent::Follow,
            "unsubscribe" | "unfollow" => CustomerEvent::Unfollow,
            "CLICK" | "click" | "menu" | "scancode_push" | "scancode_waitmsg" => CustomerEvent::MenuClick,
            "SCAN" | "scan" => CustomerEvent::ScanQr,
            "payment" | "pay" => CustomerEvent::Payment,
            _ => return None,
        })
    }
}

/// 3 messages within a minute after a follow, a menu click or a scan; any number within 48 h
/// after a payment.
pub const EVENT_REPLIES: u32 = 3;
pub const EVENT_WINDOW_SECS: i64 = 60;

/// Whether the account may message this customer now, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Within 48 h of their message, replies left.
    Message,
    /// Within an event's grant.
    Event,
    /// A window is open but its messages are used up (45047).
    Spent,
    /// No window, or they unfollowed (45015).
    Closed,
}

impl Customer {
    pub fn window(&self, now: i64) -> Window {
        if !self.followed {
            return Window::Closed;
        }
        let message_open = self.last_user_msg > 0 && now - self.last_user_msg <= WINDOW_SECS;
        let grant = self.event_grant.filter(|g| g.until >= now);
        match (message_open, grant) {
            (true, _) if self.replies < REPLIES_PER_WINDOW => Window::Message,
            (_, Some(g)) if g.left != Some(0) => Window::Event,
            (true, _) | (_, Some(_)) => Window::Spent,
            _ => Window::Closed,
        }
    }

    /// Uses one message of the open window; the error WeChat gives when there is none.
    pub fn spend(&mut self, now: i64) -> Result<(), WxErr> {
        match self.window(now) {
            Window::Message => self.replies += 1,
            Window::Event => {
                if let Some(Grant { left: Some(n), .. }) = &mut self.event_grant {
                    *n -= 1;
                }
            }
            Window::Spent => return Err(WxErr::new(45047)),
            Window::Closed => return Err(WxErr::new(45015)),
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub kf_account: String,
    pub createtime: i64,
}

#[derive(Debug, Clone)]
pub struct WaitCase {
    pub openid: String,
    pub latest_time: i64,
}

/// A customer's openid or an agent's account as records hold it: shared, since two months of
/// history name the same few hundred people tens of thousands of times.
pub type Name = std::sync::Arc<str>;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    #[serde(skip)]
    pub msgid: u64,
    pub openid: Name,
    pub opercode: i64,
    /// Seeded lines are borrowed from the program; what clients send is owned.
    pub text: std::borrow::Cow<'static, str>,
    pub time: i64,
    pub worker: Name,
}

/// The whole simulated account.
#[derive(Debug)]
pub struct World {
    pub cfg: MpConfig,
    pub clock_offset: i64,
    pub flags: Flags,
    pub tokens: Tokens,
    pub agents: Vec<Agent>,
    pub next_kf_id: u64,
    pub customers: BTreeMap<String, Customer>,
    pub sessions: BTreeMap<String, Session>,
    pub waiting: Vec<WaitCase>,
    /// The account's server (服务器配置), when set: customers' messages are pushed to it.
    pub server_target: Option<super::callbacks::ServerTarget>,
    /// What became of the pushes, oldest first.
    pub pushes: Vec<super::callbacks::Push>,
    /// In time order, msgids ascending; read through [`World::records`].
    records: Vec<Record>,
    /// The seeded history, not made yet: it joins `records` when they are first read.
    pub history: Option<super::seed::History>,
    pub avatars: HashMap<u64, Bytes>,
    /// kf accounts of *other* Official Accounts each WeChat ID is bound to (for 65410).
    pub bindings_elsewhere: HashMap<String, u32>,
    /// Where the sandbox is served, for `kf_headimgurl`.
    pub base_url: String,
    pub rng: Rng,
}

impl World {
    pub fn new(cfg: MpConfig) -> Self {
        let rng = Rng::new(cfg.seed ^ 0x5EED);
        World {
            cfg,
            clock_offset: 0,
            flags: Flags::default(),
            tokens: Tokens::default(),
            agents: Vec::new(),
            next_kf_id: 2001,
            customers: BTreeMap::new(),
            sessions: BTreeMap::new(),
            waiting: Vec::new(),
            server_target: None,
            pushes: Vec::new(),
            records: Vec::new(),
            history: None,
            avatars: HashMap::new(),
            bindings_elsewhere: HashMap::new(),
            base_url: String::new(),
            rng,
        }
    }

    /// The sandbox's clock (unix seconds); tests move it with `clock_offset`.
    pub fn now(&self) -> i64 {
        let real =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        real + self.clock_offset
    }

    // ---------- tokens ----------

    pub fn issue_token(&mut self, kind: TokenKind) -> IssuedToken {
        // Old tokens are remembered (the last 64) so that an expired one still answers 42001,
        // not 40001, after newer ones were issued.
        let excess = self.tokens.issued.len().saturating_sub(63);
        self.tokens.issued.drain(..excess);
        let now = self.now();
        let tag = if kind == TokenKind::Stable { "S" } else { "C" };
        let value = format!("{tag}{}", self.rng.string(ALNUM, 135));
        let t = IssuedToken { value, kind, expires_at: now + self.cfg.token_ttl_secs, revoked_at: None };
        self.tokens.issued.push(t.clone());
        t
    }

    /// Checks a business call's access_token: 41001 missing, 40014 malformed, 42001 expired
    /// (even once newer tokens exist), 40001 unknown or superseded.
    pub fn check_token(&self, token: Option<&str>) -> Result<(), WxErr> {
        let token = token.filter(|t| !t.is_empty()).ok_or(WxErr::new(41001))?;
        if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(WxErr::new(40014));
        }
        let now = self.now();
        let t = self.tokens.issued.iter().find(|t| t.value == token).ok_or(WxErr::new(40001))?;
        if t.expires_at <= now {
            return Err(WxErr::new(42001));
        }
        if t.revoked_at.is_some_and(|r| r <= now) {
            return Err(WxErr::new(40001));
        }
        Ok(())
    }

    /// Makes every token fail from now on (another system refreshed it, or WeChat reset it).
    pub fn invalidate_tokens(&mut self) {
        let now = self.now();
        for t in &mut self.tokens.issued {
            t.revoked_at = Some(t.revoked_at.map_or(now, |r| r.min(now)));
        }
    }

    // ---------- agents ----------

    pub fn suffix(&self) -> &str {
        &self.cfg.oa_wechat_id
    }

    pub fn agent(&self, account: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.account == account)
    }

    pub fn agent_mut(&mut self, account: &str) -> Option<&mut Agent> {
        self.agents.iter_mut().find(|a| a.account == account)
    }

    pub fn sessions_of(&self, account: &str) -> usize {
        self.sessions.values().filter(|s| s.kf_account == account).count()
    }

    pub fn headimg_url(&self, a: &Agent) -> String {
        if self.avatars.contains_key(&a.kf_id) {
            format!("{}/sandbox-media/headimg/{}/{}.jpg", self.base_url, a.kf_id, a.avatar_version)
        } else {
            String::new()
        }
    }

    /// A waiting invite that has not expired.
    pub fn pending_invite(&self, a: &Agent) -> bool {
        a.invite.as_ref().is_some_and(|i| i.status == InviteStatus::Waiting && i.expire_time > self.now())
    }

    // ---------- customers, sessions, records ----------

    /// Every record, in time order: the seeded history is made and merged in the first time.
    pub fn records(&mut self) -> &mut Vec<Record> {
        if let Some(history) = self.history.take() {
            self.merge_in(history.make());
        }
        &mut self.records
    }

    /// How many records are held now, the history not made counting for none.
    #[cfg(test)]
    pub fn records_held(&self) -> usize {
        self.records.len()
    }

    /// Replaces the records with `records` (in time order), numbered from 1.
    pub fn set_records(&mut self, records: Vec<Record>) {
        self.records = records;
        self.number_records();
    }

    /// Merges `added` into the records as they stand, in time order (a stable sort: what was
    /// there keeps its order among equal times), and numbers them again.
    pub(crate) fn merge_in(&mut self, mut added: Vec<Record>) {
        self.records.append(&mut added);
        self.records.sort_by_key(|r| r.time);
        self.number_records();
    }

    /// msgids in time order, as WeChat's ascend.
    fn number_records(&mut self) {
        for (i, r) in self.records.iter_mut().enumerate() {
            r.msgid = i as u64 + 1;
        }
    }

    /// Records what happens now: after every record so far (msgids and times never go back).
    pub fn record(&mut self, openid: &str, opercode: i64, text: impl Into<String>, worker: &str) {
        let msgid = self.records.last().map_or(1, |r| r.msgid + 1);
        let time = self.now().max(self.records.last().map_or(0, |r| r.time));
        self.records.push(Record {
            msgid,
            openid: openid.into(),
            opercode,
            text: std::borrow::Cow::Owned(text.into()),
            time,
            worker: worker.into(),
        });
    }

    /// A customer writes: opens a fresh 48-hour window (5 replies) and, when nobody serves
    /// them, puts them in the waiting queue.
    pub fn customer_writes(&mut self, openid: &str, text: &str) -> Result<(), WxErr> {
        let now = self.now();
        let c = self.customers.get_mut(openid).ok_or(WxErr::new(40003))?;
        c.followed = true;
        c.last_user_msg = now;
        c.replies = 0;
        match self.sessions.get(openid).map(|s| s.kf_account.clone()) {
            Some(kf) => self.record(openid, 2003, text, &kf),
            None => {
                self.record(openid, 2001, text, "");
                match self.waiting.iter_mut().find(|w| w.openid == openid) {
                    Some(w) => w.latest_time = now,
                    None => {
                        self.waiting.push(WaitCase { openid: openid.into(), latest_time: now });
                        self.record(openid, 1000, "", "");
                    }
                }
            }
        }
        Ok(())
    }

    /// A customer follows, unfollows, clicks a menu, scans a QR code or pays: the first four
    /// open a 1-minute window of 3 messages (a follow also makes a new follower), a payment 48 h
    /// of any number; unfollowing closes every window.
    pub fn customer_event(&mut self, openid: &str, event: CustomerEvent) -> Result<(), WxErr> {
        let now = self.now();
        if event == CustomerEvent::Follow {
            self.customers.entry(openid.to_string()).or_default();
        }
        let c = self.customers.get_mut(openid).ok_or(WxErr::new(40003))?;
        match event {
            CustomerEvent::Unfollow => {
                c.followed = false;
                c.event_grant = None;
            }
            CustomerEvent::Payment => c.event_grant = Some(Grant { until: now + WINDOW_SECS, left: None }),
            _ => {
                c.followed = true;
                c.event_grant = Some(Grant { until: now + EVENT_WINDOW_SECS, left: Some(EVENT_REPLIES) });
            }
        }
        Ok(())
    }

    /// A rush (training and tests): `count` customers nobody serves write `text` and join the
    /// queue, known customers first, then new followers. Returns their openids.
    pub fn rush(&mut self, count: usize, text: &str) -> Vec<String> {
        let busy = |w: &World, o: &str| w.sessions.contains_key(o) || w.waiting.iter().any(|c| c.openid == o);
        let mut chosen: Vec<String> = self.customers.keys().filter(|o| !busy(self, o)).take(count).cloned().collect();
        while chosen.len() < count {
            let openid = super::seed::openid(&mut self.rng);
            self.customers.insert(openid.clone(), Customer { followed: true, ..Default::default() });
            chosen.push(openid);
        }
        for o in &chosen {
            self.customer_writes(o, text).expect("a known customer");
        }
        chosen
    }
}
