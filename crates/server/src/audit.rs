//! The audit log: every change and every message sent — who (no one = the server itself), from
//! which desktop, what, when. Entries are written in the transaction of the change they record.
//! A message's text stays in the archive; its entry names the msgid.

use deadpool_postgres::GenericClient;
use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::staff::sessions::Caller;

pub async fn record(db: &impl GenericClient, by: Option<&Caller>, action: &str, detail: Value) -> Result<(), Failure> {
    db.execute(
        "insert into audit_log (staff, desktop, action, detail) values ($1, $2, $3, $4)",
        &[&by.map(|c| c.staff.id), &by.map(|c| c.desktop.as_str()), &action, &detail],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub staff: Option<i64>,
    /// The staff member's name at the time of reading; `None` for the server itself.
    pub staff_name: Option<String>,
    pub desktop: Option<String>,
    pub action: String,
    pub detail: Value,
}

/// Newest first, `limit` entries older than the entry `before`.
pub async fn page(db: &impl GenericClient, before: Option<i64>, limit: i64) -> Result<Vec<Entry>, Failure> {
    let rows = db
        .query(
            "select a.id, extract(epoch from a.at)::bigint, a.staff, s.name, a.desktop, a.action, a.detail
               from audit_log a left join staff s on s.id = a.staff
              where $1::bigint is null or a.id < $1
              order by a.id desc limit $2",
            &[&before, &limit.clamp(1, 500)],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Entry {
            id: r.get(0),
            at: r.get(1),
            staff: r.get(2),
            staff_name: r.get(3),
            desktop: r.get(4),
            action: r.get(5),
            detail: r.get(6),
        })
        .collect())
}
