//! A desktop's sign-in: a random token handed to the desktop once (it keeps it in the OS
//! keyring), of which the server keeps only the SHA-256. A session ends when revoked, when its
//! staff member is disabled, or after [`IDLE_DAYS`] unused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use deadpool_postgres::GenericClient;
use sha2::{Digest, Sha256};

use super::{Role, Staff};
use crate::failure::Failure;

/// A session unused this long has ended.
pub const IDLE_DAYS: i32 = 30;
/// The longest desktop name kept, in characters.
pub const DESKTOP_CHARS: usize = 64;

/// The staff member a valid session belongs to, and the desktop it was opened on.
#[derive(Debug, Clone)]
pub struct Caller {
    pub staff: Staff,
    pub desktop: String,
    pub token_hash: Vec<u8>,
}

/// What is stored of a token handed out (a session's, a gateway ticket): its SHA-256.
pub(crate) fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Opens a session for `staff` on `desktop`; the token (shown once, to that desktop).
pub async fn open(db: &impl GenericClient, staff: i64, desktop: &str) -> Result<String, Failure> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).expect("the OS random source");
    let token = format!("kds_{}", URL_SAFE_NO_PAD.encode(raw));
    let desktop: String = desktop.trim().chars().take(DESKTOP_CHARS).collect();
    db.execute(
        "insert into staff_sessions (token_hash, staff, desktop) values ($1, $2, $3)",
        &[&digest(&token), &staff, &desktop],
    )
    .await?;
    Ok(token)
}

/// Who holds `token`, if it is a live session of an enabled staff member.
pub async fn check(db: &impl GenericClient, token: &str) -> Result<Option<Caller>, Failure> {
    let hash = digest(token);
    let row = db
        .query_opt(
            "update staff_sessions s set last_seen_at = now()
               from staff t
              where s.token_hash = $1 and t.id = s.staff and s.revoked_at is null and not t.disabled
                and s.last_seen_at > now() - make_interval(days => $2)
             returning t.id, t.login, t.name, t.role, s.desktop",
            &[&hash, &IDLE_DAYS],
        )
        .await?;
    Ok(row.map(|r| Caller {
        staff: Staff { id: r.get(0), login: r.get(1), name: r.get(2), role: Role::parse(r.get(3)), disabled: false },
        desktop: r.get(4),
        token_hash: hash,
    }))
}

/// Ends one session.
pub async fn revoke(db: &impl GenericClient, token_hash: &[u8]) -> Result<(), Failure> {
    db.execute(
        "update staff_sessions set revoked_at = now() where token_hash = $1 and revoked_at is null",
        &[&token_hash],
    )
    .await?;
    Ok(())
}

/// Ends every session of `staff`; how many were live.
pub async fn revoke_all(db: &impl GenericClient, staff: i64) -> Result<u64, Failure> {
    Ok(db
        .execute("update staff_sessions set revoked_at = now() where staff = $1 and revoked_at is null", &[&staff])
        .await?)
}
