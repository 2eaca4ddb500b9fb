//! What the gateway hands a signed-in desktop in place of an access_token (through the token
//! relay seam the desktop already has): a random ticket for one corp, of which only the SHA-256
//! is kept, valid for [`LIFE_SECS`] and no longer than the session it was given to.

use deadpool_postgres::GenericClient;

use crate::failure::Failure;
use crate::staff::sessions::{digest, Caller};
use crate::staff::{Role, Staff};

/// As long as WeCom's own access_token: the desktop refreshes it 5 minutes ahead.
pub const LIFE_SECS: i64 = 7200;

/// A ticket's standing.
pub enum Standing {
    Valid(Caller),
    /// Expired, or its session ended: WeCom's 42001, the desktop asks for a new one.
    Expired,
    /// Never issued, or for another corp: WeCom's 40014.
    Unknown,
}

/// A new ticket for `caller` on `corp`.
pub async fn issue(db: &impl GenericClient, caller: &Caller, corp: i64) -> Result<String, Failure> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).expect("the OS random source");
    let ticket = format!("kdg{}", raw.iter().map(|b| format!("{b:02x}")).collect::<String>());
    db.execute(
        "insert into gateway_tickets (ticket_hash, session, corp, expires_at)
         values ($1, $2, $3, now() + make_interval(secs => $4))",
        &[&digest(&ticket), &caller.token_hash, &corp, &(LIFE_SECS as f64)],
    )
    .await?;
    // Expired tickets are of no use: forget them as new ones come.
    db.execute("delete from gateway_tickets where expires_at < now() - interval '1 day'", &[]).await?;
    Ok(ticket)
}

pub async fn check(db: &impl GenericClient, ticket: &str, corp: i64) -> Result<Standing, Failure> {
    let row = db
        .query_opt(
            "select t.expires_at > now() and s.revoked_at is null and not f.disabled, f.id, f.login, f.name, f.role, s.desktop, s.token_hash
               from gateway_tickets t join staff_sessions s on s.token_hash = t.session join staff f on f.id = s.staff
              where t.ticket_hash = $1 and t.corp = $2",
            &[&digest(ticket), &corp],
        )
        .await?;
    Ok(match row {
        None => Standing::Unknown,
        Some(r) if !r.get::<_, bool>(0) => Standing::Expired,
        Some(r) => Standing::Valid(Caller {
            staff: Staff {
                id: r.get(1),
                login: r.get(2),
                name: r.get(3),
                role: Role::parse(r.get(4)),
                disabled: false,
            },
            desktop: r.get(5),
            token_hash: r.get(6),
        }),
    })
}
