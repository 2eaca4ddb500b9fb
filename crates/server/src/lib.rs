//! KefuDesk Server (`kefu-server`): the one always-on place of a customer-service team. It
//! receives WeChat's callbacks, holds the secrets and tokens (sealed at rest with the operator's
//! key), and keeps one shared archive on PostgreSQL. Instances are stateless: every fact lives in
//! the database, so several may run on one.
//!
//! Module map: `config` (what the operator sets), `db` (the pool and the schema), `sealer`
//! (secrets at rest), `wecom/` (connected corps, their callbacks, reading their messages), `mp/`
//! (Official Accounts and their server URL),
//! `staff/` (the team, its sign-ins), `audit` (who did what), `events` (live updates between
//! instances), `api/` (what the desktops call), `failure` (how a request fails).

pub mod api;
pub mod audit;
pub mod config;
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod events;
pub mod failure;
pub mod mp;
pub mod sealer;
pub mod staff;
pub mod wecom;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

pub use config::Config;

/// Log lines to stderr, `info` and above unless `RUST_LOG` says otherwise. They name corps by
/// row id and say what failed, never a secret, a customer or a message.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::from_default_env().add_directive("info".parse().expect("a level"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: deadpool_postgres::Pool,
    pub sealer: Arc<sealer::Sealer>,
    pub wecom: Arc<wecom::Clients>,
    pub hub: events::Hub,
}

/// A running server.
pub struct ServerHandle {
    pub addr: SocketAddr,
    pub state: AppState,
    /// On a server that had no staff: the first admin's login and password, to show once.
    pub first_admin: Option<(String, String)>,
}

/// Connects to the database, brings its schema up to date, and serves on `config.listen`.
pub async fn start(config: Config) -> Result<ServerHandle, String> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let first_admin = staff::first_admin(&db.get().await.map_err(|e| e.to_string())?).await.map_err(|f| f.message)?;
    let hub = events::Hub::listen(&config.database_url)?;
    let state = AppState { db, sealer: Arc::new(config.sealer), wecom: Arc::new(wecom::Clients::default()), hub };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = router(state.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("the server stopped: {e}");
        }
    });
    tracing::info!(%addr, "KefuDesk Server listening");
    Ok(ServerHandle { addr, state, first_admin })
}

fn router(state: AppState) -> Router {
    Router::new()
        .merge(wecom::callbacks::routes())
        .merge(mp::callbacks::routes())
        .merge(wecom::gateway::routes())
        .merge(api::routes())
        .with_state(state)
}
