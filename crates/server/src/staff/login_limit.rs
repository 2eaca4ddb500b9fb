//! The sign-in rate limit: after [`MAX_FAILURES`] wrong passwords for one login name within
//! [`WINDOW_SECS`], that name is refused until the oldest of them is that old. Kept in the
//! database, so every instance counts the same tries; unknown names count like known ones.

use deadpool_postgres::GenericClient;

use crate::failure::Failure;

pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_SECS: i64 = 15 * 60;

/// `Some(seconds to wait)` while `login` is locked.
pub async fn wait_for(db: &impl GenericClient, login: &str) -> Result<Option<u64>, Failure> {
    let row = db
        .query_one(
            "select count(*), coalesce(extract(epoch from min(at) + make_interval(secs => $2) - now())::bigint, 0)
               from login_failures where login = $1 and at > now() - make_interval(secs => $2)",
            &[&login, &(WINDOW_SECS as f64)],
        )
        .await?;
    let (failures, wait): (i64, i64) = (row.get(0), row.get(1));
    Ok((failures >= MAX_FAILURES).then(|| wait.max(1) as u64))
}

pub async fn failed(db: &impl GenericClient, login: &str) -> Result<(), Failure> {
    db.execute("insert into login_failures (login) values ($1)", &[&login]).await?;
    // Old tries are of no use: forget them as new ones come.
    db.execute("delete from login_failures where at < now() - make_interval(secs => $1)", &[&(WINDOW_SECS as f64)])
        .await?;
    Ok(())
}

pub async fn passed(db: &impl GenericClient, login: &str) -> Result<(), Failure> {
    db.execute("delete from login_failures where login = $1", &[&login]).await?;
    Ok(())
}
