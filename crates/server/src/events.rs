//! Live updates for the desktops. A change is announced with PostgreSQL's NOTIFY in the
//! transaction that makes it (delivered only when it commits); every instance LISTENs on one
//! connection of its own and hands what it hears to its connected desktops, so a desktop on any
//! instance hears of a change made on any other.

use std::time::Duration;

use deadpool_postgres::GenericClient;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_postgres::{AsyncMessage, NoTls};

use crate::failure::Failure;

/// The channel every instance listens on.
const CHANNEL: &str = "kefu_events";
/// How many unread events a slow desktop may fall behind before it is told to reload.
const BACKLOG: usize = 4096;

/// What changed. Names ids only: the desktop fetches what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A message or event was archived (read from WeCom or sent through the server).
    WecomMessage {
        corp: i64,
        open_kfid: String,
        external_userid: Option<String>,
        msgid: String,
    },
    /// An Official Account's server URL received a customer's message or a kf event.
    MpMessage {
        account: i64,
        openid: String,
    },
    /// The team's note on a customer changed.
    WecomNote {
        corp: i64,
        external_userid: String,
    },
    /// What a staff member may use changed.
    Grants {
        staff: i64,
    },
    /// A staff member's sessions were ended (or the staff member disabled).
    SessionsEnded {
        staff: i64,
    },
    QuickReplies,
}

/// Announces `event` when the transaction of `db` commits (at once outside one).
pub async fn announce(db: &impl GenericClient, event: &Event) -> Result<(), Failure> {
    let payload = serde_json::to_string(event).expect("events serialise");
    db.execute("select pg_notify($1, $2)", &[&CHANNEL, &payload]).await?;
    Ok(())
}

/// This instance's listeners.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Event>,
}

impl Hub {
    /// Listens on its own connection to `database_url`, reconnecting while the database is away.
    pub fn listen(database_url: &str) -> Result<Hub, String> {
        let config: tokio_postgres::Config =
            database_url.parse().map_err(|e| format!("the database URL is not valid: {e}"))?;
        let (tx, _) = broadcast::channel(BACKLOG);
        let hub = Hub { tx: tx.clone() };
        tokio::spawn(async move {
            loop {
                if let Err(e) = listen_once(&config, &tx).await {
                    tracing::warn!("live updates paused, the database connection was lost: {e}");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Ok(hub)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    tx: &broadcast::Sender<Event>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (done_tx, done) = tokio::sync::oneshot::channel();
    let tx = tx.clone();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(m) = messages.next().await {
            match m {
                Ok(AsyncMessage::Notification(n)) => match serde_json::from_str::<Event>(n.payload()) {
                    Ok(e) => {
                        let _ = tx.send(e);
                    }
                    Err(e) => tracing::warn!("an event this instance does not know: {e}"),
                },
                Ok(_) => {}
                Err(e) => {
                    let _ = done_tx.send(e);
                    return;
                }
            }
        }
    });
    client.batch_execute(&format!("listen {CHANNEL}")).await?;
    tracing::info!("listening for live updates");
    match done.await {
        Ok(e) => Err(e),
        Err(_) => Ok(()),
    }
}
