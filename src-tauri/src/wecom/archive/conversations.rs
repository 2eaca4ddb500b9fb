//! What the Conversations page reads from the archive: one row per customer and kf account with
//! its last message, one conversation in full, the sending window's bookkeeping, and the caches
//! of customer/batchget answers and service_state/get answers.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

use super::store::{archived, Archive, ArchivedMessage, COLUMNS, ORIGIN_APP};
use crate::wechat::wecom::{KfCustomer, SessionState};

/// One customer's conversation with one account, as the list shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConversationRow {
    pub open_kfid: String,
    pub external_userid: String,
    /// The customer's last message (Unix seconds), if any in the window.
    pub last_customer_time: Option<i64>,
    pub last_time: i64,
    pub messages: i64,
    /// The last message (an event only when there is nothing else).
    pub last: ArchivedMessage,
}

/// The sending window of document/path/94677: after the customer's last message, 48 hours and
/// 5 messages (counting what this app sent; other API callers' sends are not visible here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SendWindow {
    pub last_customer_time: Option<i64>,
    pub sent_since: u32,
}

/// A customer as batchget last described them; `invalid` when WeCom did not know the id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CachedCustomer {
    pub external_userid: String,
    pub nickname: String,
    pub avatar: String,
    pub gender: u8,
    pub unionid: String,
    pub context: Option<Value>,
    pub invalid: bool,
    pub fetched_at: i64,
}

/// A session state as service_state/get last answered, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CachedState {
    pub state: SessionState,
    pub servicer_userid: String,
    pub checked_at: i64,
}

impl Archive {
    /// Conversations with a message at or after `since`, newest first, at most `limit`.
    pub fn conversations(
        &self,
        open_kfid: Option<&str>,
        since: i64,
        limit: usize,
    ) -> rusqlite::Result<Vec<ConversationRow>> {
        let conn = self.conn();
        // ids follow time (send_time × 10⁶): the primary key answers the time window.
        let mut st = conn.prepare_cached(
            "SELECT open_kfid, external_userid, MAX(CASE WHEN origin = 3 THEN send_time END), MAX(send_time), COUNT(*),
                    COALESCE(MAX(CASE WHEN msgtype != 'event' THEN id END), MAX(id))
             FROM messages WHERE id >= ?1 AND external_userid IS NOT NULL AND external_userid != '' AND (?2 IS NULL OR open_kfid = ?2)
             GROUP BY open_kfid, external_userid ORDER BY MAX(id) DESC LIMIT ?3",
        )?;
        let heads = st
            .query_map(params![since.clamp(0, 4_000_000_000) * 1_000_000, open_kfid, limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut last = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM messages m WHERE m.id = ?1"))?;
        heads
            .into_iter()
            .map(|(open_kfid, external_userid, last_customer_time, last_time, messages, id)| {
                Ok(ConversationRow {
                    open_kfid,
                    external_userid,
                    last_customer_time,
                    last_time,
                    messages,
                    last: last.query_row([id], archived)?,
                })
            })
            .collect()
    }

    /// The last `limit` messages and events of one conversation, oldest first.
    pub fn conversation(
        &self,
        open_kfid: &str,
        external_userid: &str,
        limit: usize,
    ) -> rusqlite::Result<Vec<ArchivedMessage>> {
        let conn = self.conn();
        let mut st = conn.prepare_cached(&format!(
            "SELECT * FROM (SELECT {COLUMNS}, m.id FROM messages m WHERE m.open_kfid = ?1 AND m.external_userid = ?2 ORDER BY m.id DESC LIMIT ?3) ORDER BY id"
        ))?;
        let rows = st.query_map(params![open_kfid, external_userid, limit as i64], archived)?;
        rows.collect()
    }

    /// The customer's first and last message or event with any account.
    pub fn contact_span(&self, external_userid: &str) -> rusqlite::Result<Option<(i64, i64)>> {
        self.conn().query_row(
            "SELECT MIN(send_time), MAX(send_time) FROM messages WHERE external_userid = ?1",
            [external_userid],
            |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
        )
    }

    pub fn send_window(&self, open_kfid: &str, external_userid: &str) -> rusqlite::Result<SendWindow> {
        let conn = self.conn();
        let last: Option<i64> = conn.query_row(
            "SELECT MAX(send_time) FROM messages WHERE open_kfid = ?1 AND external_userid = ?2 AND origin = 3",
            params![open_kfid, external_userid],
            |r| r.get(0),
        )?;
        let sent: u32 = conn.query_row(
            "SELECT COUNT(*) FROM messages WHERE open_kfid = ?1 AND external_userid = ?2 AND origin = ?3 AND send_time >= ?4",
            params![open_kfid, external_userid, ORIGIN_APP, last.unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
        Ok(SendWindow { last_customer_time: last, sent_since: sent })
    }

    /// The welcome codes of `open_kfid`'s enter_session events at or after `since`:
    /// (customer, code).
    pub fn welcome_codes(&self, open_kfid: &str, since: i64) -> rusqlite::Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut st = conn.prepare_cached(
            "SELECT external_userid, json_extract(raw, '$.event.welcome_code') FROM messages
             WHERE id >= ?1 AND open_kfid = ?2 AND event_type = 'enter_session' AND json_extract(raw, '$.event.welcome_code') IS NOT NULL",
        )?;
        let rows = st.query_map(params![since.clamp(0, 4_000_000_000) * 1_000_000, open_kfid], |r| {
            Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get(1)?))
        })?;
        rows.collect()
    }

    /// Whether this app already sent a message with `msgid` (a retry must not send it again).
    pub fn has_sent(&self, msgid: &str) -> rusqlite::Result<bool> {
        self.conn()
            .query_row(
                "SELECT 1 FROM messages WHERE msgid = ?1 AND origin = ?2",
                params![msgid, ORIGIN_APP],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
    }

    /// Every customer's nickname the cache knows (an export names them all).
    pub fn customer_nicknames(&self) -> rusqlite::Result<HashMap<String, String>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT external_userid, nickname FROM customers WHERE nickname != ''")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    pub fn customers(&self, ids: &[String]) -> rusqlite::Result<HashMap<String, CachedCustomer>> {
        let conn = self.conn();
        let mut st = conn.prepare_cached("SELECT external_userid, nickname, avatar, gender, unionid, context, invalid, fetched_at FROM customers WHERE external_userid = ?1")?;
        let mut out = HashMap::new();
        for id in ids {
            let found = st
                .query_row([id], |r| {
                    let context: Option<String> = r.get(5)?;
                    Ok(CachedCustomer {
                        external_userid: r.get(0)?,
                        nickname: r.get(1)?,
                        avatar: r.get(2)?,
                        gender: r.get(3)?,
                        unionid: r.get(4)?,
                        context: context.and_then(|c| serde_json::from_str(&c).ok()),
                        invalid: r.get(6)?,
                        fetched_at: r.get(7)?,
                    })
                })
                .optional()?;
            if let Some(c) = found {
                out.insert(id.clone(), c);
            }
        }
        Ok(out)
    }

    /// Keeps a batchget answer. An id WeCom called invalid keeps what was known of it before.
    pub fn store_customers(&self, found: &[KfCustomer], invalid: &[String], now: i64) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO customers (external_userid, nickname, avatar, gender, unionid, context, invalid, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
                 ON CONFLICT (external_userid) DO UPDATE SET nickname = excluded.nickname, avatar = excluded.avatar, gender = excluded.gender,
                   unionid = excluded.unionid, context = COALESCE(excluded.context, customers.context), invalid = 0, fetched_at = excluded.fetched_at",
            )?;
            for c in found {
                let context = c.enter_session_context.as_ref().map(Value::to_string);
                put.execute(params![c.external_userid, c.nickname, c.avatar, c.gender, c.unionid, context, now])?;
            }
            let mut bad = tx.prepare_cached(
                "INSERT INTO customers (external_userid, invalid, fetched_at) VALUES (?1, 1, ?2)
                 ON CONFLICT (external_userid) DO UPDATE SET invalid = CASE WHEN customers.nickname = '' THEN 1 ELSE customers.invalid END, fetched_at = excluded.fetched_at",
            )?;
            for id in invalid {
                bad.execute(params![id, now])?;
            }
        }
        tx.commit()
    }

    pub fn states(&self, keys: &[(String, String)]) -> rusqlite::Result<HashMap<(String, String), CachedState>> {
        let conn = self.conn();
        let mut st = conn.prepare_cached(
            "SELECT state, servicer_userid, checked_at FROM states WHERE open_kfid = ?1 AND external_userid = ?2",
        )?;
        let mut out = HashMap::new();
        for k in keys {
            if let Some(s) = st
                .query_row(params![k.0, k.1], |r| {
                    Ok(CachedState {
                        state: r.get::<_, u8>(0)?.into(),
                        servicer_userid: r.get(1)?,
                        checked_at: r.get(2)?,
                    })
                })
                .optional()?
            {
                out.insert(k.clone(), s);
            }
        }
        Ok(out)
    }

    pub fn store_state(
        &self,
        open_kfid: &str,
        external_userid: &str,
        state: SessionState,
        servicer_userid: &str,
        now: i64,
    ) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO states (open_kfid, external_userid, state, servicer_userid, checked_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (open_kfid, external_userid) DO UPDATE SET state = excluded.state, servicer_userid = excluded.servicer_userid, checked_at = excluded.checked_at",
            params![open_kfid, external_userid, u8::from(state), servicer_userid, now],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::wecom::KfMessage;
    use serde_json::json;

    fn msg(id: &str, customer: &str, origin: u8, t: i64, msgtype: &str) -> KfMessage {
        let mut v = json!({"msgid": id, "open_kfid": "wkA", "external_userid": customer, "send_time": t, "origin": origin, "msgtype": msgtype});
        v[msgtype] = if msgtype == "event" {
            json!({"event_type": "session_status_change", "change_type": 3})
        } else {
            json!({"content": id})
        };
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn conversations_list_newest_first_with_the_last_real_message() {
        let a = Archive::in_memory().unwrap();
        a.apply_page(
            "wkA",
            &[
                msg("a1", "wmA", 3, 100, "text"),
                msg("b1", "wmB", 3, 150, "text"),
                msg("a2", "wmA", 5, 200, "text"),
                msg("a3", "wmA", 4, 210, "event"),
            ],
            "c",
            0,
        )
        .unwrap();
        let rows = a.conversations(None, 0, 50).unwrap();
        assert_eq!(rows.iter().map(|r| r.external_userid.as_str()).collect::<Vec<_>>(), ["wmA", "wmB"]);
        assert_eq!(
            (rows[0].last.msgid.as_str(), rows[0].last_time, rows[0].last_customer_time, rows[0].messages),
            ("a2", 210, Some(100), 3)
        );
        assert_eq!(a.conversations(None, 160, 50).unwrap().len(), 1, "the time window");
        assert_eq!(a.conversations(Some("wkB"), 0, 50).unwrap().len(), 0, "the account filter");
        let whole = a.conversation("wkA", "wmA", 2).unwrap();
        assert_eq!(
            whole.iter().map(|m| m.msgid.as_str()).collect::<Vec<_>>(),
            ["a2", "a3"],
            "the last ones, oldest first"
        );
        assert_eq!(a.contact_span("wmA").unwrap(), Some((100, 210)));
        assert_eq!(a.contact_span("wmZ").unwrap(), None);
    }

    #[test]
    fn the_sending_window_counts_this_apps_sends_after_the_customers_last_message() {
        let a = Archive::in_memory().unwrap();
        assert_eq!(a.send_window("wkA", "wmA").unwrap(), SendWindow { last_customer_time: None, sent_since: 0 });
        a.record_sent(&msg("s0", "wmA", ORIGIN_APP, 90, "text")).unwrap();
        a.apply_page("wkA", &[msg("a1", "wmA", 3, 100, "text")], "c", 0).unwrap();
        a.record_sent(&msg("s1", "wmA", ORIGIN_APP, 101, "text")).unwrap();
        a.record_sent(&msg("s2", "wmA", ORIGIN_APP, 102, "text")).unwrap();
        assert_eq!(a.record_sent(&msg("s2", "wmA", ORIGIN_APP, 102, "text")).unwrap(), 0, "kept once");
        assert_eq!(a.send_window("wkA", "wmA").unwrap(), SendWindow { last_customer_time: Some(100), sent_since: 2 });
        assert!(a.has_sent("s1").unwrap() && !a.has_sent("a1").unwrap());
        // The customer writes again: the quota is re-armed.
        a.apply_page("wkA", &[msg("a2", "wmA", 3, 110, "text")], "c2", 0).unwrap();
        assert_eq!(a.send_window("wkA", "wmA").unwrap().sent_since, 0);
    }

    #[test]
    fn customers_and_states_are_cached_and_an_invalid_id_keeps_its_name() {
        let a = Archive::in_memory().unwrap();
        let c: KfCustomer = serde_json::from_value(json!({"external_userid": "wmA", "nickname": "张三", "gender": 1, "enter_session_context": {"scene": "store"}})).unwrap();
        a.store_customers(&[c], &["wmB".into()], 10).unwrap();
        a.store_customers(&[], &["wmA".into()], 20).unwrap();
        let got = a.customers(&["wmA".into(), "wmB".into(), "wmC".into()]).unwrap();
        assert_eq!((got["wmA"].nickname.as_str(), got["wmA"].invalid, got["wmA"].fetched_at), ("张三", false, 20));
        assert_eq!(got["wmA"].context.as_ref().unwrap()["scene"], "store");
        assert!(got["wmB"].invalid);
        assert!(!got.contains_key("wmC"));
        a.store_state("wkA", "wmA", SessionState::Servicer, "LiNa", 30).unwrap();
        a.store_state("wkA", "wmA", SessionState::Ended, "", 40).unwrap();
        let k = ("wkA".to_string(), "wmA".to_string());
        assert_eq!(
            a.states(std::slice::from_ref(&k)).unwrap()[&k],
            CachedState { state: SessionState::Ended, servicer_userid: String::new(), checked_at: 40 }
        );
    }
}
