//! The archive's SQLite file: messages (deduplicated by msgid), the cursor of each kf account —
//! written in the same transaction as the page it covers, so a crash at any moment loses and
//! duplicates nothing — and a trigram FTS5 index for Chinese substring search.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

use crate::wechat::wecom::KfMessage;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
-- id = send_time × 1 000 000 + n: rowid order is time order, so the FTS index can be read
-- newest first and stop at the limit instead of sorting every match.
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    msgid TEXT NOT NULL UNIQUE,
    open_kfid TEXT NOT NULL,
    external_userid TEXT,
    servicer_userid TEXT,
    origin INTEGER NOT NULL,
    msgtype TEXT NOT NULL,
    event_type TEXT,
    send_time INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_customer ON messages (open_kfid, external_userid, send_time);
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5 (text, content = 'messages', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TABLE IF NOT EXISTS cursors (
    open_kfid TEXT PRIMARY KEY,
    cursor TEXT NOT NULL,
    synced_at INTEGER NOT NULL
);
-- customer/batchget answers (invalid = WeCom did not know the id: not active in 48 hours).
CREATE TABLE IF NOT EXISTS customers (
    external_userid TEXT PRIMARY KEY,
    nickname TEXT NOT NULL DEFAULT '',
    avatar TEXT NOT NULL DEFAULT '',
    gender INTEGER NOT NULL DEFAULT 0,
    unionid TEXT NOT NULL DEFAULT '',
    context TEXT,
    invalid INTEGER NOT NULL DEFAULT 0,
    fetched_at INTEGER NOT NULL
);
-- Two-character search (the trigram index needs three): each message's pairs of adjacent
-- letters or digits as words, e.g. 发票 in 开发票吗 → 开发 发票 票吗. Contentless: rowid = messages.id.
CREATE VIRTUAL TABLE IF NOT EXISTS messages_pairs USING fts5 (pairs, content = '', tokenize = 'unicode61 remove_diacritics 0');
-- What the archive is of: `corp_id`, the WeCom corp whose messages it holds.
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- The last service_state/get answer per conversation, and when it was asked.
CREATE TABLE IF NOT EXISTS states (
    open_kfid TEXT NOT NULL,
    external_userid TEXT NOT NULL,
    state INTEGER NOT NULL,
    servicer_userid TEXT NOT NULL DEFAULT '',
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (open_kfid, external_userid)
);
";

/// 1: messages, cursors, trigram index; 2: the two-character pair index.
const SCHEMA_VERSION: i64 = 2;

/// The adjacent pairs of letters or digits in `text`, lower-cased, each once, space-separated:
/// the words of the two-character index.
pub fn pairs(text: &str) -> String {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for w in chars.windows(2) {
        if w[0].is_alphanumeric() && w[1].is_alphanumeric() && seen.insert((w[0], w[1])) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(w[0]);
            out.push(w[1]);
        }
    }
    out
}

/// Whether `text` is two letters or digits: the pair index answers it.
fn is_pair(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    c.len() == 2 && c.iter().all(|c| c.is_alphanumeric())
}

/// `origin` of a message sent through the API by this app. WeCom's own values are 3 (the
/// customer), 4 (an event) and 5 (a servicer in the WeCom app); sync_msg never returns what the
/// API sent, so the archive keeps those itself under this value.
pub const ORIGIN_APP: u8 = 0;

/// One archived message or event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArchivedMessage {
    pub msgid: String,
    pub open_kfid: String,
    pub external_userid: Option<String>,
    pub servicer_userid: Option<String>,
    pub origin: u8,
    pub msgtype: String,
    pub event_type: Option<String>,
    pub send_time: i64,
    /// The searchable words (a text's content, a link's title and description, a place's name…).
    pub text: String,
    /// The item as WeCom sent it.
    pub raw: Value,
}

/// The columns [`archived`] reads, from `messages m`.
pub(super) const COLUMNS: &str = "m.msgid, m.open_kfid, m.external_userid, m.servicer_userid, m.origin, m.msgtype, m.event_type, m.send_time, m.text, m.raw";

/// A row of [`COLUMNS`].
pub(super) fn archived(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArchivedMessage> {
    let raw: Option<String> = r.get(9)?;
    Ok(ArchivedMessage {
        msgid: r.get(0)?,
        open_kfid: r.get(1)?,
        external_userid: r.get(2)?,
        servicer_userid: r.get(3)?,
        origin: r.get(4)?,
        msgtype: r.get(5)?,
        event_type: r.get(6)?,
        send_time: r.get(7)?,
        text: r.get(8)?,
        raw: raw.and_then(|raw| serde_json::from_str(&raw).ok()).unwrap_or(Value::Null),
    })
}

/// A search of the archive; empty fields do not filter. The window sends it as it is (the
/// command sets `limit`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct Query {
    /// A substring of the message text (Chinese or not).
    pub text: String,
    pub open_kfid: Option<String>,
    pub external_userid: Option<String>,
    pub servicer_userid: Option<String>,
    /// Unix seconds, inclusive / exclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: usize,
}

/// The archive of one profile. SQLite work is blocking: call it off the async runtime.
pub struct Archive {
    conn: Mutex<Connection>,
}

/// The words of a message that search finds.
pub fn searchable_text(m: &KfMessage) -> String {
    let b = m.body();
    let field = |k: &str| b.and_then(|b| b.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
    match m.msgtype.as_str() {
        "text" => field("content"),
        "link" => format!("{} {}", field("title"), field("desc")).trim().to_string(),
        "location" => format!("{} {}", field("name"), field("address")).trim().to_string(),
        "miniprogram" | "channels_shop_product" | "merged_msg" | "channels" => field("title"),
        "msgmenu" => field("head_content"),
        _ => String::new(),
    }
}

/// A key for items WeCom sent without a msgid (some events): a hash of what they say.
fn fallback_id(raw: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in raw.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    format!("h:{h:016x}")
}

/// Inserts `messages` (read for `open_kfid`), skipping msgids already kept; how many were new.
fn insert_messages(tx: &rusqlite::Transaction<'_>, open_kfid: &str, messages: &[KfMessage]) -> rusqlite::Result<usize> {
    let mut added = 0;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO messages (id, msgid, open_kfid, external_userid, servicer_userid, origin, msgtype, event_type, send_time, text, raw)
         VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut next_id =
        tx.prepare_cached("SELECT COALESCE(MAX(id) + 1, ?1) FROM messages WHERE id >= ?1 AND id < ?1 + 1000000")?;
    let mut index_pairs = tx.prepare_cached("INSERT INTO messages_pairs (rowid, pairs) VALUES (?1, ?2)")?;
    for m in messages {
        let raw = serde_json::to_string(m).expect("messages serialise");
        let event = (m.msgtype == "event").then(|| m.body()).flatten();
        let from_event = |k: &str| event.and_then(|e| e.get(k)).and_then(Value::as_str).map(str::to_string);
        let msgid = if m.msgid.is_empty() { fallback_id(&raw) } else { m.msgid.clone() };
        let id: i64 = next_id.query_row([m.send_time.clamp(0, 4_000_000_000) * 1_000_000], |r| r.get(0))?;
        let text = searchable_text(m);
        let inserted = insert.execute(params![
            msgid,
            m.open_kfid.clone().or_else(|| from_event("open_kfid")).unwrap_or_else(|| open_kfid.to_string()),
            m.external_userid.clone().or_else(|| from_event("external_userid")),
            m.servicer_userid.clone().or_else(|| from_event("servicer_userid")),
            m.origin,
            m.msgtype,
            from_event("event_type"),
            m.send_time,
            text,
            raw,
            id,
        ])?;
        if inserted == 1 && !text.is_empty() {
            index_pairs.execute(params![id, pairs(&text)])?;
        }
        added += inserted;
    }
    Ok(added)
}

impl Archive {
    pub fn open(path: &Path) -> rusqlite::Result<Archive> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        Self::init(Connection::open(path)?)
    }

    /// An archive that lives in memory (tests, benchmarks of search).
    pub fn in_memory() -> rusqlite::Result<Archive> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> rusqlite::Result<Archive> {
        conn.execute_batch(SCHEMA)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version < SCHEMA_VERSION {
            // Version 1 archives had no pair index: index what they hold.
            let tx = conn.transaction()?;
            {
                let mut read = tx.prepare("SELECT id, text FROM messages WHERE text != ''")?;
                let mut put = tx.prepare("INSERT INTO messages_pairs (rowid, pairs) VALUES (?1, ?2)")?;
                let rows = read.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
                for row in rows {
                    let (id, text) = row?;
                    put.execute(params![id, pairs(&text)])?;
                }
            }
            tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
            tx.commit()?;
        }
        Ok(Archive { conn: Mutex::new(conn) })
    }

    /// The corp whose messages this archive holds (`None`: an archive from before it was
    /// kept, or a new one).
    pub fn corp_id(&self) -> rusqlite::Result<Option<String>> {
        self.meta("corp_id")
    }

    pub fn set_corp_id(&self, corp_id: &str) -> rusqlite::Result<()> {
        self.set_meta("corp_id", corp_id)
    }

    /// A value the archive keeps about itself (its corp, where a relay's feed was read to).
    pub fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.conn().query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.conn()
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
    }

    /// Makes every later write fail as a full or read-only disk would (tests).
    #[cfg(test)]
    pub fn refuse_writes(&self) {
        self.conn().execute_batch("PRAGMA query_only = ON").expect("query_only");
    }

    pub(super) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().expect("archive lock")
    }

    /// Where reading `open_kfid` goes on (`None`: never read; start from 3 days ago).
    pub fn cursor(&self, open_kfid: &str) -> rusqlite::Result<Option<String>> {
        self.conn().query_row("SELECT cursor FROM cursors WHERE open_kfid = ?1", [open_kfid], |r| r.get(0)).optional()
    }

    /// Stores one page and the cursor after it in one transaction; returns how many messages
    /// were new (a message read twice — a repeated page after a crash — is kept once).
    pub fn apply_page(
        &self,
        open_kfid: &str,
        messages: &[KfMessage],
        next_cursor: &str,
        now: i64,
    ) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let added = insert_messages(&tx, open_kfid, messages)?;
        tx.execute(
            "INSERT INTO cursors (open_kfid, cursor, synced_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (open_kfid) DO UPDATE SET cursor = excluded.cursor, synced_at = excluded.synced_at",
            params![open_kfid, next_cursor, now],
        )?;
        tx.commit()?;
        Ok(added)
    }

    /// Keeps a message this app sent (sync_msg never returns those): origin [`ORIGIN_APP`].
    pub fn record_sent(&self, message: &KfMessage) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let added = insert_messages(&tx, message.open_kfid.as_deref().unwrap_or(""), std::slice::from_ref(message))?;
        tx.commit()?;
        Ok(added)
    }

    pub fn count(&self) -> rusqlite::Result<i64> {
        self.conn().query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))
    }

    /// Every msgid of `open_kfid`, oldest first.
    pub fn msgids(&self, open_kfid: &str) -> rusqlite::Result<Vec<String>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT msgid FROM messages WHERE open_kfid = ?1 ORDER BY id")?;
        let rows = st.query_map([open_kfid], |r| r.get(0))?;
        rows.collect()
    }

    /// Messages matching `q`, newest first (at most `q.limit`, 1 000 when 0). A text of three
    /// characters or more uses the trigram index, two letters or digits the pair index; one
    /// character (or a pair with punctuation) scans.
    pub fn search(&self, q: &Query) -> rusqlite::Result<Vec<ArchivedMessage>> {
        let (sql, args) = search_sql(q, COLUMNS);
        let conn = self.conn();
        let mut st = conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), archived)?;
        rows.collect()
    }

    /// The same matches as [`Archive::search`] (the newest `q.limit`), oldest first, handed to
    /// `f` as an iterator that reads one row at a time and leaves out the item as WeCom sent it
    /// (`raw` is null): an export of a million messages never holds them all.
    pub fn with_matches<T>(
        &self,
        q: &Query,
        f: impl FnOnce(&mut dyn Iterator<Item = rusqlite::Result<ArchivedMessage>>) -> T,
    ) -> rusqlite::Result<T> {
        let (inner, args) = search_sql(q, "m.id");
        let lean = COLUMNS.replace("m.raw", "NULL");
        let sql = format!("SELECT {lean} FROM messages m WHERE m.id IN ({inner}) ORDER BY m.id");
        let conn = self.conn();
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query_map(rusqlite::params_from_iter(args), archived)?;
        Ok(f(&mut rows))
    }
}

/// The query of a search: `columns` of the matches, newest first, at most the limit.
fn search_sql(q: &Query, columns: &str) -> (String, Vec<rusqlite::types::Value>) {
    let text = q.text.trim();
    let mut sql = format!("SELECT {columns} FROM messages m");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut wheres: Vec<String> = Vec::new();
    let index = if text.chars().count() >= 3 {
        Some("messages_fts")
    } else if is_pair(text) {
        Some("messages_pairs")
    } else {
        None
    };
    if let Some(index) = index {
        sql.push_str(&format!(" JOIN {index} ON {index}.rowid = m.id"));
        wheres.push(format!("{index} MATCH ?"));
        let needle = if index == "messages_pairs" { text.to_lowercase() } else { text.to_string() };
        args.push(format!("\"{}\"", needle.replace('"', "\"\"")).into());
    } else if !text.is_empty() {
        wheres.push("m.text LIKE ? ESCAPE '\\'".into());
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        args.push(format!("%{escaped}%").into());
    }
    for (col, v) in [
        ("m.open_kfid", &q.open_kfid),
        ("m.external_userid", &q.external_userid),
        ("m.servicer_userid", &q.servicer_userid),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            wheres.push(format!("{col} = ?"));
            args.push(v.clone().into());
        }
    }
    // Time ranges as id ranges (ids follow time): the primary key answers them.
    if let Some(from) = q.from {
        wheres.push("m.id >= ?".into());
        args.push((from.clamp(0, 4_000_000_000) * 1_000_000).into());
    }
    if let Some(to) = q.to {
        wheres.push("m.id < ?".into());
        args.push((to.clamp(0, 4_000_000_000) * 1_000_000).into());
    }
    if !wheres.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&wheres.join(" AND "));
    }
    // Newest first (ids follow time), stopping at the limit.
    sql.push_str(&match index {
        Some(index) => format!(" ORDER BY {index}.rowid DESC LIMIT ?"),
        None => " ORDER BY m.id DESC LIMIT ?".to_string(),
    });
    args.push((if q.limit == 0 { 1000 } else { q.limit } as i64).into());
    (sql, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(id: &str, t: i64, text: &str) -> KfMessage {
        serde_json::from_value(json!({"msgid": id, "open_kfid": "wkA", "external_userid": "wmA", "send_time": t, "origin": 3, "msgtype": "text", "text": {"content": text}})).unwrap()
    }

    #[test]
    fn a_page_and_its_cursor_are_one_write_and_repeats_are_kept_once() {
        let a = Archive::in_memory().unwrap();
        assert_eq!(a.cursor("wkA").unwrap(), None);
        assert_eq!(
            a.apply_page("wkA", &[msg("1", 10, "你好"), msg("2", 11, "订单什么时候发货")], "c1", 100).unwrap(),
            2
        );
        assert_eq!(a.cursor("wkA").unwrap().as_deref(), Some("c1"));
        // The same page again (as after a crash between reading and storing): nothing twice.
        assert_eq!(
            a.apply_page("wkA", &[msg("2", 11, "订单什么时候发货"), msg("3", 12, "谢谢")], "c2", 101).unwrap(),
            1
        );
        assert_eq!(a.count().unwrap(), 3);
        assert_eq!(a.msgids("wkA").unwrap(), ["1", "2", "3"]);
    }

    #[test]
    fn many_messages_in_one_second_are_all_kept_and_results_come_newest_first() {
        let a = Archive::in_memory().unwrap();
        let same: Vec<KfMessage> = (0..50).map(|i| msg(&format!("s{i}"), 100, "同一秒的消息")).collect();
        assert_eq!(a.apply_page("wkA", &same, "c1", 0).unwrap(), 50);
        // An older message archived later still sorts by its time.
        a.apply_page("wkA", &[msg("old", 50, "更早的消息"), msg("new", 200, "更晚的消息")], "c2", 0).unwrap();
        let all = a.search(&Query { text: "的消息".into(), ..Default::default() }).unwrap();
        assert_eq!(all.len(), 52);
        assert_eq!((all[0].msgid.as_str(), all[51].msgid.as_str()), ("new", "old"));
        let ids = a.msgids("wkA").unwrap();
        assert_eq!((ids[0].as_str(), ids[51].as_str()), ("old", "new"));
        let window = a.search(&Query { from: Some(100), to: Some(101), ..Default::default() }).unwrap();
        assert_eq!(window.len(), 50, "the time filter");
    }

    #[test]
    fn chinese_substrings_are_found_long_or_short_with_filters() {
        let a = Archive::in_memory().unwrap();
        a.apply_page(
            "wkA",
            &[msg("1", 10, "请问订单什么时候发货？"), msg("2", 20, "发票怎么开"), msg("3", 30, "100% 满意")],
            "c",
            0,
        )
        .unwrap();
        let find = |text: &str| {
            a.search(&Query { text: text.into(), ..Default::default() })
                .unwrap()
                .into_iter()
                .map(|m| m.msgid)
                .collect::<Vec<_>>()
        };
        assert_eq!(find("什么时候"), ["1"], "trigram index");
        assert_eq!(find("发"), ["2", "1"], "one character scans, newest first");
        assert_eq!(find("发票"), ["2"], "two characters: the pair index");
        assert_eq!(find("发货"), ["1"]);
        assert_eq!(find("时候发"), ["1"]);
        assert_eq!(find("货？"), ["1"], "a pair with punctuation scans");
        assert_eq!(find("0%"), ["3"], "LIKE wildcards are taken literally");
        assert_eq!(find("\"引号"), Vec::<String>::new(), "quotes cannot break the query");
        let q = Query { text: "发".into(), from: Some(15), ..Default::default() };
        assert_eq!(a.search(&q).unwrap().len(), 1);
        let q = Query { external_userid: Some("wmB".into()), ..Default::default() };
        assert!(a.search(&q).unwrap().is_empty());
    }

    #[test]
    fn pairs_are_the_adjacent_letters_and_digits_once() {
        assert_eq!(pairs("开发票吗？开发"), "开发 发票 票吗");
        assert_eq!(pairs("VIP 卡"), "vi ip");
        assert_eq!(pairs(""), "");
        let a = Archive::in_memory().unwrap();
        a.apply_page("wkA", &[msg("1", 10, "办 VIP 会员")], "c", 0).unwrap();
        assert_eq!(
            a.search(&Query { text: "Vi".into(), ..Default::default() }).unwrap().len(),
            1,
            "case-insensitive like the scan"
        );
    }

    #[test]
    fn an_archive_from_before_the_pair_index_is_indexed_when_opened() {
        let path = crate::scratch::dir().join("archive-v1.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE messages (id INTEGER PRIMARY KEY, msgid TEXT NOT NULL UNIQUE, open_kfid TEXT NOT NULL, external_userid TEXT,
                servicer_userid TEXT, origin INTEGER NOT NULL, msgtype TEXT NOT NULL, event_type TEXT, send_time INTEGER NOT NULL, text TEXT NOT NULL DEFAULT '', raw TEXT NOT NULL);
                INSERT INTO messages VALUES (10000000, 'old', 'wkA', 'wmA', NULL, 3, 'text', NULL, 10, '可以开发票吗', '{}');").unwrap();
        }
        let a = Archive::open(&path).unwrap();
        let found = a.search(&Query { text: "发票".into(), ..Default::default() }).unwrap();
        assert_eq!(found.iter().map(|m| m.msgid.as_str()).collect::<Vec<_>>(), ["old"]);
        drop(a);
        // Opened again: indexed once, not twice.
        let a = Archive::open(&path).unwrap();
        assert_eq!(a.search(&Query { text: "发票".into(), ..Default::default() }).unwrap().len(), 1);
    }

    #[test]
    fn events_keep_their_fields_and_get_a_key_without_msgid() {
        let a = Archive::in_memory().unwrap();
        let ev: KfMessage = serde_json::from_value(json!({"send_time": 5, "origin": 4, "msgtype": "event",
            "event": {"event_type": "enter_session", "open_kfid": "wkA", "external_userid": "wmA", "scene": "store_12"}})).unwrap();
        assert_eq!(a.apply_page("wkA", &[ev.clone(), ev], "c", 0).unwrap(), 1);
        let m = &a.search(&Query::default()).unwrap()[0];
        assert_eq!((m.event_type.as_deref(), m.external_userid.as_deref()), (Some("enter_session"), Some("wmA")));
        assert!(m.msgid.starts_with("h:"));
        assert_eq!(m.raw["event"]["scene"], "store_12");
    }
}
