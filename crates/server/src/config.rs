//! What the operator sets, from the environment: where to listen, the database, and the key
//! that seals the secrets at rest.

use std::net::SocketAddr;

use crate::sealer::Sealer;

pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    pub sealer: Sealer,
}

impl Config {
    /// `KEFU_SERVER_LISTEN` (default `127.0.0.1:8700`), `KEFU_SERVER_DATABASE_URL`,
    /// `KEFU_SERVER_KEY` (32 bytes in base64; keep it out of the database's backups).
    pub fn from_env() -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).map_err(|_| format!("{k} is not set"));
        let listen = std::env::var("KEFU_SERVER_LISTEN").unwrap_or_else(|_| "127.0.0.1:8700".into());
        Ok(Config {
            listen: listen.parse().map_err(|_| format!("KEFU_SERVER_LISTEN is not an address: {listen}"))?,
            database_url: var("KEFU_SERVER_DATABASE_URL")?,
            sealer: Sealer::from_base64(&var("KEFU_SERVER_KEY")?)?,
        })
    }
}
