//! The PostgreSQL pool and the schema: migrations run at start, one instance at a time (an
//! advisory lock), each once (`schema_migrations`), each in its own transaction.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

/// The migrations, in order: (version, SQL).
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/001_wecom.sql")),
    (2, include_str!("../migrations/002_staff.sql")),
    (3, include_str!("../migrations/003_search.sql")),
    (4, include_str!("../migrations/004_mp.sql")),
];
/// The advisory lock key that serialises migrations between instances ("kefu" in ASCII).
const MIGRATION_LOCK: i64 = 0x6b65_6675;

pub async fn connect(url: &str) -> Result<Pool, String> {
    let pg: tokio_postgres::Config = url.parse().map_err(|e| format!("the database URL is not valid: {e}"))?;
    let manager = Manager::from_config(pg, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    let pool = Pool::builder(manager).max_size(16).build().map_err(|e| e.to_string())?;
    let _probe = pool.get().await.map_err(|e| format!("cannot reach the database: {e}"))?;
    Ok(pool)
}

pub async fn migrate(pool: &Pool) -> Result<(), String> {
    let mut c = pool.get().await.map_err(|e| e.to_string())?;
    let err = |e: tokio_postgres::Error| format!("the schema could not be brought up to date: {e}");
    c.execute("select pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await.map_err(err)?;
    let result = async {
        c.batch_execute("create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())")
            .await
            .map_err(err)?;
        for (version, sql) in MIGRATIONS {
            let done = c.query_opt("select 1 from schema_migrations where version = $1", &[version]).await.map_err(err)?;
            if done.is_some() {
                continue;
            }
            let tx = c.transaction().await.map_err(err)?;
            tx.batch_execute(sql).await.map_err(err)?;
            tx.execute("insert into schema_migrations (version) values ($1)", &[version]).await.map_err(err)?;
            tx.commit().await.map_err(err)?;
            tracing::info!(version, "schema migrated");
        }
        Ok(())
    }
    .await;
    c.execute("select pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await.map_err(err)?;
    result
}
