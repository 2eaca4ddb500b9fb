//! The WeCom reader: reads a WeCom corp's messages into its archive, in the background while
//! the profile is active.
//!
//! `sync_msg` without a callback Token allows about ten calls a minute per corp, then answers
//! 45009 and blocks a minute (document/path/94670). The poller stays under that: at most
//! `calls_per_minute` token-less calls, one page per turn, accounts in turn (the one on screen
//! every other turn) so a long backlog on one account does not starve the others. A 45009 stops
//! token-less reading until the minute is over, and the window says so. With a relay
//! ([`super::relay`]) an account with news is read at once with its Token, all of it.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::Notify;

use super::now_secs;
use super::relay::Relay;
use crate::error::Fault;
use crate::profile::{ActiveProfile, Client};
use crate::sentences::S;
use crate::wecom::archive::{sync_pages, Archive, SyncError};

/// How long WeCom blocks token-less sync_msg after a 45009.
const BLOCK: Duration = Duration::from_secs(60);
/// A callback Token lasts 10 minutes; used for 9 to stay clear of the edge.
const TOKEN_LIFE: Duration = Duration::from_secs(9 * 60);
/// The first pause after a page could not be stored in the archive, doubled each time after.
const ARCHIVE_PAUSE_FIRST: Duration = Duration::from_secs(15);
const ARCHIVE_PAUSE_MAX: Duration = Duration::from_secs(300);
/// Pages read in one turn with a Token (a backlog of 50 000 messages).
const PAGES_WITH_TOKEN: u32 = 50;

#[derive(Debug, Clone)]
pub struct PollerConfig {
    /// Token-less sync_msg calls allowed in any minute (WeCom: about 10).
    pub calls_per_minute: usize,
    /// How often the loop looks for work.
    pub tick: Duration,
    /// How often the relay is asked for callbacks.
    pub relay_every: Duration,
    /// With a relay, how often an account is still read without news (in case one was missed).
    pub round_with_relay: Duration,
    /// How often the account list is read again.
    pub accounts_every: Duration,
}

impl Default for PollerConfig {
    fn default() -> Self {
        PollerConfig {
            calls_per_minute: 8,
            tick: Duration::from_millis(500),
            relay_every: Duration::from_secs(2),
            round_with_relay: Duration::from_secs(30),
            accounts_every: Duration::from_secs(300),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AccountReads {
    pub reads: u32,
    /// Unix seconds.
    pub last: i64,
}

/// What the window shows about reader reading.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReaderStatus {
    /// Goes up whenever new messages reached the archive: the page reloads when it changes.
    pub revision: u64,
    /// Whether a relay supplies callback Tokens.
    pub relay: bool,
    /// Unix seconds until which WeCom refuses token-less reading (after a 45009).
    pub blocked_until: Option<i64>,
    /// Unix seconds of the last successful read of any account.
    pub last_read: Option<i64>,
    /// sync_msg calls made.
    pub requests: u64,
    /// Each account's reads so far and the last one.
    pub accounts: BTreeMap<String, AccountReads>,
    /// The last failure, until a read succeeds again.
    #[serde(skip)]
    pub error: Option<Fault>,
}

#[derive(Default)]
struct Shared {
    status: Mutex<ReaderStatus>,
    /// Accounts to read soon (the user asked, the page opened one).
    asked: Mutex<Vec<String>>,
    focus: Mutex<Option<String>>,
    /// Welcome words by account.
    welcomes: Mutex<HashMap<String, String>>,
    wake: Notify,
}

/// The WeCom reader of one active profile; stops when dropped.
pub struct Reader {
    pub profile: Arc<ActiveProfile>,
    pub archive: Arc<Archive>,
    /// Pictures and files customers sent, as they are opened.
    pub media: super::media::MediaCache,
    /// What the user is told about the archive once it is open (an unreadable file set aside).
    pub notice: Option<Fault>,
    shared: Arc<Shared>,
    task: tauri::async_runtime::JoinHandle<()>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Reader {
    /// Starts reading `profile` (a WeCom profile) into `archive`.
    pub fn start(
        profile: Arc<ActiveProfile>,
        archive: Arc<Archive>,
        relay: Option<Relay>,
        cfg: PollerConfig,
    ) -> Reader {
        let shared = Arc::new(Shared::default());
        shared.status.lock().expect("status").relay = relay.is_some();
        let task = tauri::async_runtime::spawn(run(profile.clone(), archive.clone(), relay, cfg, shared.clone()));
        Reader { profile, archive, media: super::media::MediaCache::memory(), notice: None, shared, task }
    }

    /// Keeps opened media in `dir` instead of memory.
    pub fn with_media_dir(mut self, dir: std::path::PathBuf) -> Reader {
        self.media = super::media::MediaCache::Dir(dir);
        self
    }

    pub fn with_notice(mut self, notice: Option<Fault>) -> Reader {
        self.notice = notice;
        self
    }

    pub fn status(&self) -> ReaderStatus {
        self.shared.status.lock().expect("status").clone()
    }

    /// The account on screen (read every other turn), or none.
    pub fn focus(&self, open_kfid: Option<&str>) {
        *self.shared.focus.lock().expect("focus") = open_kfid.map(str::to_string);
    }

    /// The welcome words to send by themselves, by account (replacing the previous ones).
    pub fn set_welcomes(&self, words: impl IntoIterator<Item = (String, String)>) {
        *self.shared.welcomes.lock().expect("welcomes") = words.into_iter().collect();
    }

    /// Read these accounts soon (still within WeCom's limit).
    pub fn ask(&self, accounts: &[String]) {
        let mut asked = self.shared.asked.lock().expect("asked");
        for a in accounts {
            if !asked.contains(a) {
                asked.push(a.clone());
            }
        }
        drop(asked);
        self.shared.wake.notify_one();
    }
}

/// The reading loop: relay callbacks first, then accounts the user asked for, then the one on
/// screen and the others in turn, within the token-less budget.
async fn run(
    profile: Arc<ActiveProfile>,
    archive: Arc<Archive>,
    relay: Option<Relay>,
    cfg: PollerConfig,
    shared: Arc<Shared>,
) {
    let Client::Wecom(client) = &profile.client else { return };
    let mut accounts: Vec<String> = Vec::new();
    let mut accounts_read: Option<Instant> = None;
    let mut turn = 0usize;
    let mut tokens: HashMap<String, (String, Instant)> = HashMap::new();
    let mut news: Vec<String> = Vec::new();
    // Where the relay's feed was read to, kept in the archive: a restart goes on from there
    // instead of taking every callback the relay still holds for new.
    let relay_key = relay.as_ref().map(|r| format!("relay_after {}", r.url()));
    let mut relay_after = match &relay_key {
        Some(key) => {
            let key = key.clone();
            super::blocking(&archive, move |a| a.meta(&key))
                .await
                .ok()
                .flatten()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        }
        None => 0,
    };
    let mut relay_asked: Option<Instant> = None;
    let mut calls: VecDeque<Instant> = VecDeque::new();
    let mut blocked: Option<Instant> = None;
    let mut last_round: Option<Instant> = None;
    let mut focus_turn = false;
    let mut welcomed: HashSet<String> = HashSet::new();
    // After a page could not be stored: no reading until then.
    let mut archive_broken: Option<Instant> = None;
    let mut archive_pause = Duration::ZERO;
    loop {
        let now = Instant::now();
        archive_broken = archive_broken.filter(|&b| b > now);
        if accounts_read.is_none_or(|t| now - t >= cfg.accounts_every)
            || accounts.is_empty() && accounts_read.is_some_and(|t| now - t >= Duration::from_secs(15))
        {
            accounts_read = Some(now);
            match client.account_list().await {
                // Only accounts this app manages can be read.
                Ok(list) => {
                    accounts =
                        list.into_iter().filter(|a| a.manage_privilege != Some(false)).map(|a| a.open_kfid).collect()
                }
                Err(e) => set_error(&shared, Fault::Api(e)),
            }
        }
        if let Some(relay) = &relay {
            if relay_asked.is_none_or(|t| now - t >= cfg.relay_every) {
                relay_asked = Some(now);
                match relay.after(relay_after).await {
                    Ok((callbacks, last)) => {
                        if last != relay_after {
                            relay_after = last;
                            if let Some(key) = relay_key.clone() {
                                let _ = super::blocking(&archive, move |a| a.set_meta(&key, &last.to_string())).await;
                            }
                        }
                        for c in callbacks {
                            if let Some(sent) = token_sent_at(c.create_time, now_secs(), Instant::now()) {
                                tokens.insert(c.open_kfid.clone(), (c.token, sent));
                            }
                            if !news.contains(&c.open_kfid) {
                                news.push(c.open_kfid);
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "the callback relay did not answer"),
                }
            }
        }
        blocked = blocked.filter(|&b| b > now);
        while calls.front().is_some_and(|&t| now - t >= Duration::from_secs(60)) {
            calls.pop_front();
        }
        // Token-less calls spread evenly over the minute, never more than the budget.
        let gap = Duration::from_secs(60) / cfg.calls_per_minute.max(1) as u32;
        let budget =
            blocked.is_none() && calls.len() < cfg.calls_per_minute && calls.back().is_none_or(|&t| now - t >= gap);
        let fresh = |k: &str, tokens: &HashMap<String, (String, Instant)>| {
            tokens.get(k).filter(|(_, at)| at.elapsed() < TOKEN_LIFE).map(|(t, _)| t.clone())
        };
        // What to read now: news with a Token, asked accounts, then turns — nothing while the
        // archive cannot be written (what is read could not be kept).
        let mut pick: Option<String> = None;
        if archive_broken.is_none() {
            pick = news.iter().position(|k| fresh(k, &tokens).is_some() || budget).map(|i| news.remove(i));
            if pick.is_none() && budget {
                let mut asked = shared.asked.lock().expect("asked");
                if !asked.is_empty() {
                    pick = Some(asked.remove(0));
                }
            }
            let round_due = relay.is_none() || last_round.is_none_or(|t| now - t >= cfg.round_with_relay);
            if pick.is_none() && budget && round_due && !accounts.is_empty() {
                let focus = shared.focus.lock().expect("focus").clone().filter(|f| accounts.contains(f));
                focus_turn = !focus_turn;
                pick = match focus {
                    Some(f) if focus_turn => Some(f),
                    _ => {
                        turn = (turn + 1) % accounts.len();
                        if turn == 0 {
                            last_round = Some(now);
                        }
                        Some(accounts[turn].clone())
                    }
                };
            }
        }
        if let Some(k) = pick {
            let read = k.clone();
            let token = fresh(&k, &tokens);
            let pages = if token.is_some() { PAGES_WITH_TOKEN } else { 1 };
            let result = sync_pages(client, &archive, &k, token.as_deref(), pages).await;
            {
                let mut st = shared.status.lock().expect("status");
                match result {
                    Ok(r) => {
                        archive_pause = Duration::ZERO;
                        if token.is_none() {
                            calls.extend(std::iter::repeat_n(Instant::now(), r.requests as usize));
                        }
                        st.requests += u64::from(r.requests);
                        st.revision += u64::from(r.new > 0);
                        st.last_read = Some(now_secs());
                        let a = st.accounts.entry(k.clone()).or_default();
                        a.reads += 1;
                        a.last = now_secs();
                        st.blocked_until = None;
                        st.error = None;
                        // The rest of a backlog: at once with a Token; without one, on the
                        // account's next turn (it must not take the others' turns).
                        if r.more && token.is_some() && !news.contains(&k) {
                            news.push(k);
                        }
                    }
                    Err(SyncError::Api(e)) => {
                        st.requests += 1;
                        if token.is_none() {
                            calls.push_back(Instant::now());
                        }
                        if e.errcode() == Some(45009) {
                            // WeCom blocks token-less reading for a minute; a Token that did not
                            // help is dropped.
                            tokens.remove(&k);
                            blocked = Some(Instant::now() + BLOCK);
                            st.blocked_until = Some(now_secs() + BLOCK.as_secs() as i64);
                            news.push(k);
                        } else if e.errcode() == Some(95007) {
                            // The Token expired or was never valid: read without it in turn.
                            tokens.remove(&k);
                            news.push(k);
                        } else {
                            st.error = Some(Fault::Api(e));
                        }
                    }
                    Err(SyncError::Archive(e)) => {
                        // WeCom answered (the call counts against the minute's budget) but the
                        // page could not be stored: reading on would only burn the quota and
                        // read the same page again. Wait, longer each time, until it can be.
                        st.requests += 1;
                        if token.is_none() {
                            calls.push_back(Instant::now());
                        }
                        st.error = Some(archive_fault(&e));
                        archive_pause = (archive_pause * 2).clamp(ARCHIVE_PAUSE_FIRST, ARCHIVE_PAUSE_MAX);
                        archive_broken = Some(Instant::now() + archive_pause);
                        if !news.contains(&k) {
                            news.push(k);
                        }
                    }
                }
            }
            welcome(client, &archive, &shared, &read, &mut welcomed).await;
            continue;
        }
        tokio::select! {
            _ = shared.wake.notified() => {}
            _ = tokio::time::sleep(cfg.tick) => {}
        }
    }
}

/// When a callback's Token was sent, on the reader's clock: a Token lasts 10 minutes from when
/// WeCom sent it (`create_time`), not from when the relay handed it over. `None` for one too
/// old to use; a callback without a time counts from now.
fn token_sent_at(create_time: i64, now_secs: i64, now: Instant) -> Option<Instant> {
    let age = Duration::from_secs(if create_time > 0 { (now_secs - create_time).max(0) as u64 } else { 0 });
    now.checked_sub(age).filter(|_| age < TOKEN_LIFE)
}

/// A welcome code lasts 20 seconds (document/path/95122).
const WELCOME_SECS: i64 = 20;

/// Sends the account's welcome words for every customer who entered within the last 20 seconds
/// and was not welcomed yet (each code once; a code that expired meanwhile is let go).
async fn welcome(
    client: &crate::wechat::wecom::WecomClient,
    archive: &Arc<Archive>,
    shared: &Shared,
    open_kfid: &str,
    welcomed: &mut HashSet<String>,
) {
    let Some(words) = shared.welcomes.lock().expect("welcomes").get(open_kfid).cloned() else { return };
    let k = open_kfid.to_string();
    let since = now_secs() - WELCOME_SECS;
    let Ok(codes) = super::blocking(archive, move |a| a.welcome_codes(&k, since)).await else { return };
    for (customer, code) in codes {
        if !welcomed.insert(code.clone()) {
            continue;
        }
        let msgid = super::rules::new_msgid();
        let p = super::Party { client, archive, open_kfid, external_userid: &customer };
        if let Err(e) = super::send_on_event(&p, &code, &msgid, &words, now_secs()).await {
            tracing::warn!(error = ?e, "the welcome words could not be sent");
        }
    }
}

fn set_error(shared: &Shared, f: Fault) {
    shared.status.lock().expect("status").error = Some(f);
}

/// The archive file could not be written (disk full, permissions).
pub fn archive_fault(detail: &str) -> Fault {
    Fault::other_with("archive", S::ArchiveNotWritten, [("detail", detail.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::FaultInjection;

    #[test]
    fn a_callback_token_ages_from_when_wecom_sent_it() {
        let now = Instant::now() + Duration::from_secs(3600);
        let t = 1_764_000_000;
        assert_eq!(token_sent_at(t - 60, t, now), Some(now - Duration::from_secs(60)), "a minute old");
        assert_eq!(token_sent_at(t - 11 * 60, t, now), None, "older than a Token lasts: not used");
        assert_eq!(token_sent_at(0, t, now), Some(now), "no time given: from now");
        assert_eq!(token_sent_at(t + 30, t, now), Some(now), "a clock ahead is not in the future");
    }

    /// An archive that cannot store what is read (a full or read-only disk, a corrupt file)
    /// must not burst into WeCom's sync_msg limit: the failed call counts, and reading waits.
    /// Without that the reader asked again at once until WeCom's own limit refused it (11
    /// calls in these 12 seconds, and a blocked minute).
    #[test]
    fn a_page_that_cannot_be_stored_does_not_burn_the_quota() {
        tauri::async_runtime::block_on(async {
            let wc = crate::sandbox::wecom::start(Default::default(), 0).await.unwrap();
            let profile = Arc::new(ActiveProfile::wecom_sandbox(&wc, None).unwrap());
            let archive = Arc::new(Archive::in_memory().unwrap());
            archive.refuse_writes();
            let reader = Reader::start(
                profile,
                archive,
                None,
                PollerConfig { tick: Duration::from_millis(50), ..PollerConfig::default() },
            );
            let until = Instant::now() + Duration::from_secs(20);
            while reader.status().error.is_none() {
                assert!(Instant::now() < until, "the failed store is reported");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let status = reader.status();
            assert_eq!(status.error.as_ref().map(|f| f.localize(crate::i18n::Lang::En).code), Some("archive"));
            assert!(status.requests >= 1, "the call that could not be stored is counted");
            // An observation window, not a wait for something: what the reader does in 12 s.
            tokio::time::sleep(Duration::from_secs(12)).await;
            let calls = wc.requests("/cgi-bin/kf/sync_msg");
            assert!(calls <= 2, "{calls} sync_msg calls in 12 s with an archive that cannot store them");
        });
    }
}
