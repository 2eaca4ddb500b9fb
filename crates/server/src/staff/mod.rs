//! The team: staff members, their roles and what each agent may use. Module map: `passwords`
//! (argon2id), `sessions` (desktops' sign-ins), `login_limit` (wrong passwords).

pub mod login_limit;
pub mod passwords;
pub mod sessions;

use deadpool_postgres::GenericClient;
use serde::{Deserialize, Serialize};

use crate::failure::Failure;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Connects WeChat accounts and their secrets, manages staff.
    Admin,
    /// Sees every account and conversation, the audit log and statistics; assigns.
    Supervisor,
    /// Works in the accounts granted: reads, replies, writes notes.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
        }
    }

    /// From the database's check-constrained column.
    pub fn parse(s: &str) -> Role {
        match s {
            "admin" => Role::Admin,
            "supervisor" => Role::Supervisor,
            _ => Role::Agent,
        }
    }

    /// Sees every account, conversation and the audit log.
    pub fn oversees(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Staff {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
}

/// The longest login and display name, in characters.
pub const LOGIN_CHARS: usize = 64;
pub const NAME_CHARS: usize = 64;

/// A login name: 1 to 64 letters, digits, `.`, `_`, `-` or `@` (compared as typed, lower case).
pub fn normalize_login(login: &str) -> Result<String, Failure> {
    let l = login.trim().to_lowercase();
    if l.is_empty()
        || l.chars().count() > LOGIN_CHARS
        || !l.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(Failure::invalid(format!(
            "a login name has 1 to {LOGIN_CHARS} letters, digits, '.', '_', '-' or '@'"
        )));
    }
    Ok(l)
}

pub fn check_name(name: &str) -> Result<String, Failure> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > NAME_CHARS {
        return Err(Failure::invalid(format!("a name has 1 to {NAME_CHARS} characters")));
    }
    Ok(n.to_string())
}

fn from_row(r: &tokio_postgres::Row) -> Staff {
    Staff { id: r.get(0), login: r.get(1), name: r.get(2), role: Role::parse(r.get(3)), disabled: r.get(4) }
}

const COLUMNS: &str = "id, login, name, role, disabled";

/// Adds a staff member; refused when the login is taken.
pub async fn create(
    db: &impl GenericClient,
    login: &str,
    name: &str,
    role: Role,
    password: &str,
) -> Result<Staff, Failure> {
    let login = normalize_login(login)?;
    let name = check_name(name)?;
    passwords::check_new(password).map_err(Failure::invalid)?;
    let hash = passwords::hash(password.to_string()).await;
    let row = db
        .query_opt(
            &format!(
                "insert into staff (login, name, role, password_hash) values ($1, $2, $3, $4)
                 on conflict (login) do nothing returning {COLUMNS}"
            ),
            &[&login, &name, &role.as_str(), &hash],
        )
        .await?;
    row.map(|r| from_row(&r)).ok_or_else(|| Failure::invalid(format!("the login name {login} is taken")))
}

pub async fn list(db: &impl GenericClient) -> Result<Vec<Staff>, Failure> {
    Ok(db.query(&format!("select {COLUMNS} from staff order by id"), &[]).await?.iter().map(from_row).collect())
}

pub async fn get(db: &impl GenericClient, id: i64) -> Result<Staff, Failure> {
    let row = db.query_opt(&format!("select {COLUMNS} from staff where id = $1"), &[&id]).await?;
    row.map(|r| from_row(&r)).ok_or_else(|| Failure::not_found("staff member"))
}

/// The login's id and password hash, if it may sign in.
pub async fn credentials(db: &impl GenericClient, login: &str) -> Result<Option<(i64, String)>, Failure> {
    let row = db.query_opt("select id, password_hash from staff where login = $1 and not disabled", &[&login]).await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Changes what is given; the staff member after.
pub async fn update(
    db: &impl GenericClient,
    id: i64,
    name: Option<&str>,
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<&str>,
) -> Result<Staff, Failure> {
    let name = name.map(check_name).transpose()?;
    let hash = match password {
        Some(p) => {
            passwords::check_new(p).map_err(Failure::invalid)?;
            Some(passwords::hash(p.to_string()).await)
        }
        None => None,
    };
    let role = role.map(Role::as_str);
    let row = db
        .query_opt(
            &format!(
                "update staff set name = coalesce($2, name), role = coalesce($3, role),
                   disabled = coalesce($4, disabled), password_hash = coalesce($5, password_hash)
                 where id = $1 returning {COLUMNS}"
            ),
            &[&id, &name, &role, &disabled, &hash],
        )
        .await?;
    row.map(|r| from_row(&r)).ok_or_else(|| Failure::not_found("staff member"))
}

/// How many enabled admins there are: the last one cannot be demoted or disabled.
pub async fn enabled_admins(db: &impl GenericClient) -> Result<i64, Failure> {
    Ok(db.query_one("select count(*) from staff where role = 'admin' and not disabled", &[]).await?.get(0))
}

/// On a server without staff, the first admin (`admin`, a random password): the login and the
/// password to show the operator once. `None` when there is staff already.
pub async fn first_admin(db: &impl GenericClient) -> Result<Option<(String, String)>, Failure> {
    if db.query_one("select exists (select 1 from staff)", &[]).await?.get::<_, bool>(0) {
        return Ok(None);
    }
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).expect("the OS random source");
    let password = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, raw);
    // Two instances starting at once: the login is unique, one of them wins.
    match create(db, "admin", "Admin", Role::Admin, &password).await {
        Ok(_) => Ok(Some(("admin".into(), password))),
        Err(f) if f.code == "invalid" => Ok(None),
        Err(f) => Err(f),
    }
}

/// The WeCom accounts `staff` was granted: (corp, open_kfid).
pub async fn wecom_grants(db: &impl GenericClient, staff: i64) -> Result<Vec<(i64, String)>, Failure> {
    let rows =
        db.query("select corp, open_kfid from staff_wecom_grants where staff = $1 order by 1, 2", &[&staff]).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Replaces `staff`'s grants.
pub async fn set_wecom_grants(
    db: &mut deadpool_postgres::Object,
    staff: i64,
    grants: &[(i64, String)],
) -> Result<(), Failure> {
    let tx = db.transaction().await?;
    tx.execute("delete from staff_wecom_grants where staff = $1", &[&staff]).await?;
    for (corp, open_kfid) in grants {
        tx.execute(
            "insert into staff_wecom_grants (staff, corp, open_kfid) values ($1, $2, $3) on conflict do nothing",
            &[&staff, corp, open_kfid],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether `staff` may use the WeCom account `open_kfid` of `corp`.
pub async fn may_use_wecom(
    db: &impl GenericClient,
    staff: &Staff,
    corp: i64,
    open_kfid: &str,
) -> Result<bool, Failure> {
    if staff.role.oversees() {
        return Ok(true);
    }
    Ok(db
        .query_opt(
            "select 1 from staff_wecom_grants where staff = $1 and corp = $2 and open_kfid = $3",
            &[&staff.id, &corp, &open_kfid],
        )
        .await?
        .is_some())
}
