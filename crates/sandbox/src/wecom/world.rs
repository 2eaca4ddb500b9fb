//! The simulated WeCom corp of the sandbox: its directory (departments and staff), 微信客服
//! accounts with their servicers, temporary media, tokens and switches. Handlers lock it
//! briefly; nothing here awaits.

use std::collections::HashMap;

use bytes::Bytes;

use super::conversation::{Conversations, Customer, EventCode, LogItem};
use super::WecomConfig;
use crate::rng::{Rng, ALNUM, HEX};
use crate::wire::WxErr;

/// A temporary media_id lives 3 days (document/path/90253).
pub const MEDIA_TTL_SECS: i64 = 3 * 86_400;
/// Accounts per corp: 5 000 when verified, 10 when not (95027).
pub const MAX_ACCOUNTS_VERIFIED: usize = 5000;
pub const MAX_ACCOUNTS_UNVERIFIED: usize = 10;
/// Per account: 2 000 people and 20 departments (document stamp 2023/11/30).
pub const MAX_SERVICER_USERS: usize = 2000;
pub const MAX_SERVICER_DEPARTMENTS: usize = 20;
/// Wrong secrets from one IP within an hour before gettoken answers 45009 for an hour.
pub const BAD_SECRET_LIMIT: usize = 5;

#[derive(Debug, Clone)]
pub struct Department {
    pub id: u64,
    pub name: String,
    pub parent: u64,
}

/// A member of the corp directory.
#[derive(Debug, Clone)]
pub struct Staff {
    pub userid: String,
    pub name: String,
    pub department: u64,
    /// Inside the kf app's visible range (else servicer/add answers 60011 for them).
    pub visible: bool,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub open_kfid: String,
    pub name: String,
    pub avatar: Bytes,
    /// Bumped on every avatar change, so the avatar URL changes too.
    pub avatar_version: u32,
    /// Whether the calling app may manage it (API-created accounts always are).
    pub manageable: bool,
    /// The `kfc…` code of its contact link.
    pub link_code: String,
    pub users: Vec<String>,
    pub departments: Vec<u64>,
}

/// A servicer's receiving state, the same on every account they serve: 0 接待中, 1 停止接待;
/// with 1, stop_type 0 停止接待 or 1 暂时挂起.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceStatus {
    pub status: u8,
    pub stop_type: u8,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub kind: String,
    pub bytes: Bytes,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub value: String,
    pub expires_at: i64,
    pub revoked: bool,
}

/// Switches that make the whole corp behave differently.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Flags {
    /// Unverified corp: at most 10 kf accounts (95027).
    pub unverified: bool,
    /// The caller's IP is not a trusted IP of the app: business calls answer 60020.
    pub ip_untrusted: bool,
}

pub struct World {
    pub cfg: WecomConfig,
    pub base_url: String,
    pub clock_offset: i64,
    pub rng: Rng,
    pub tokens: Vec<Token>,
    /// Times of wrong-secret gettoken calls, and when the resulting ban ends.
    pub bad_secrets: Vec<i64>,
    pub banned_until: i64,
    pub media: HashMap<String, Media>,
    pub departments: Vec<Department>,
    pub staff: Vec<Staff>,
    pub accounts: Vec<Account>,
    pub status: HashMap<String, ServiceStatus>,
    pub flags: Flags,
    pub customers: Vec<Customer>,
    pub conversations: Conversations,
    /// The corp's message log, oldest first (sync_msg reads it per account).
    pub log: Vec<LogItem>,
    pub codes: HashMap<String, EventCode>,
    /// Callback tokens (valid 10 minutes) and their expiry.
    pub callback_tokens: Vec<(String, i64)>,
    /// The kf_msg_or_event callbacks WeCom would have posted, as a company's relay keeps them.
    pub callbacks: Vec<super::conversation::Callback>,
    /// The corp's callback server, when one is set: each callback is also POSTed there.
    pub callback_target: Option<super::callbacks::CallbackTarget>,
    /// The queue of the task that POSTs callbacks (set when the sandbox starts).
    pub callback_outbox: Option<tokio::sync::mpsc::UnboundedSender<super::callbacks::Outgoing>>,
    /// What became of the callbacks POSTed, newest last.
    pub deliveries: Vec<super::callbacks::Delivery>,
    /// Times of sync_msg calls without a valid callback token, and the block they caused.
    pub sync_calls: Vec<i64>,
    pub sync_blocked_until: i64,
    /// What send_msg / send_msg_on_event delivered (not in the log: sync_msg never returns them).
    pub sent: Vec<serde_json::Value>,
    /// Customers served so far (an unverified corp may serve 100: 95003).
    pub served: std::collections::HashSet<String>,
}

impl World {
    pub fn new(cfg: WecomConfig) -> Self {
        let rng = Rng::new(cfg.seed);
        World {
            flags: Flags { unverified: !cfg.verified, ..Flags::default() },
            cfg,
            base_url: String::new(),
            clock_offset: 0,
            rng,
            tokens: Vec::new(),
            bad_secrets: Vec::new(),
            banned_until: 0,
            media: HashMap::new(),
            departments: Vec::new(),
            staff: Vec::new(),
            accounts: Vec::new(),
            status: HashMap::new(),
            customers: Vec::new(),
            conversations: HashMap::new(),
            log: Vec::new(),
            codes: HashMap::new(),
            callback_tokens: Vec::new(),
            callbacks: Vec::new(),
            callback_target: None,
            callback_outbox: None,
            deliveries: Vec::new(),
            sync_calls: Vec::new(),
            sync_blocked_until: 0,
            sent: Vec::new(),
            served: Default::default(),
        }
    }

    pub fn now(&self) -> i64 {
        let real =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        real + self.clock_offset
    }

    // ---------- tokens ----------

    /// gettoken: the same token until it expires (document/path/91039), then a new one.
    pub fn token(&mut self) -> Token {
        let now = self.now();
        self.tokens.retain(|t| t.expires_at > now && !t.revoked);
        if let Some(t) = self.tokens.last() {
            return t.clone();
        }
        let value = format!("{}-{}", self.rng.string(ALNUM, 64), self.rng.string(ALNUM, 43));
        let t = Token { value, expires_at: now + self.cfg.token_ttl_secs, revoked: false };
        self.tokens.push(t.clone());
        t
    }

    /// A business call's access_token: 41001 missing, 40014 unknown or revoked, 42001 expired.
    pub fn check_token(&self, token: Option<&str>) -> Result<(), WxErr> {
        let token = token.filter(|t| !t.is_empty()).ok_or(WxErr::new(41001))?;
        let t = self.tokens.iter().find(|t| t.value == token && !t.revoked).ok_or(WxErr::new(40014))?;
        if t.expires_at <= self.now() {
            return Err(WxErr::new(42001));
        }
        Ok(())
    }

    /// WeCom may invalidate tokens early: every issued token stops working.
    pub fn invalidate_tokens(&mut self) {
        for t in &mut self.tokens {
            t.revoked = true;
        }
    }

    // ---------- media ----------

    pub fn add_media(&mut self, kind: &str, bytes: Bytes) -> (String, i64) {
        let id = format!("3{}", self.rng.string(ALNUM, 63));
        let now = self.now();
        self.media.insert(id.clone(), Media { kind: kind.into(), bytes, created_at: now });
        (id, now)
    }

    /// An image media_id that has not expired: 41006 missing, 40007 unknown, expired or not an image.
    pub fn image(&self, media_id: &str) -> Result<Bytes, WxErr> {
        if media_id.is_empty() {
            return Err(WxErr::new(41006));
        }
        match self.media.get(media_id) {
            Some(m) if m.kind == "image" && self.now() - m.created_at < MEDIA_TTL_SECS => Ok(m.bytes.clone()),
            _ => Err(WxErr::new(40007)),
        }
    }

    // ---------- accounts ----------

    pub fn new_open_kfid(&mut self) -> String {
        format!("wk{}", self.rng.string(ALNUM, 30))
    }

    pub fn new_link_code(&mut self) -> String {
        format!("kfc{}", self.rng.string(HEX, 16))
    }

    pub fn account(&self, open_kfid: &str) -> Result<&Account, WxErr> {
        self.find(open_kfid).map(|i| &self.accounts[i])
    }

    /// An account the app may change: 95000 malformed, 95004 unknown, 48002 not managed.
    pub fn managed(&mut self, open_kfid: &str) -> Result<&mut Account, WxErr> {
        let i = self.find(open_kfid)?;
        if !self.accounts[i].manageable {
            return Err(WxErr::new(48002));
        }
        Ok(&mut self.accounts[i])
    }

    fn find(&self, open_kfid: &str) -> Result<usize, WxErr> {
        if open_kfid.is_empty() || open_kfid.len() > 64 {
            return Err(WxErr::new(95000));
        }
        self.accounts.iter().position(|a| a.open_kfid == open_kfid).ok_or(WxErr::new(95004))
    }

    pub fn max_accounts(&self) -> usize {
        if self.flags.unverified {
            MAX_ACCOUNTS_UNVERIFIED
        } else {
            MAX_ACCOUNTS_VERIFIED
        }
    }

    pub fn avatar_url(&self, a: &Account) -> String {
        format!("{}/wwhead/{}/{}", self.base_url, a.open_kfid, a.avatar_version)
    }

    // ---------- directory ----------

    pub fn staff(&self, userid: &str) -> Option<&Staff> {
        self.staff.iter().find(|s| s.userid == userid)
    }

    pub fn status_of(&self, userid: &str) -> ServiceStatus {
        self.status.get(userid).copied().unwrap_or_default()
    }
}

/// A name WeCom accepts for a kf account: 1 to 16 characters.
pub fn valid_account_name(name: &str) -> bool {
    (1..=16).contains(&name.trim().chars().count())
}
