//! `GET /api/v1/events`: the live updates of a signed-in desktop, as server-sent events, one JSON
//! object per event (`{"kind": …}`, see [`Event`]). It opens with `hello` (the desktop reloads
//! what it shows), says `reload` when the desktop fell too far behind, and ends with
//! `signed_out` when its staff member's sessions are ended. An agent hears only of the
//! accounts granted to them.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event as Sse, KeepAlive};
use axum::routing::get;
use axum::Router;
use futures_util::Stream;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::Signed;
use crate::events::Event;
use crate::failure::Failure;
use crate::staff::sessions::Caller;
use crate::staff::{self, Role};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/events", get(events))
}

struct Listener {
    state: AppState,
    caller: Caller,
    rx: Receiver<Event>,
    /// An agent's grants (corp, open_kfid); `None` for those who see everything.
    grants: Option<Vec<(i64, String)>>,
    said_hello: bool,
    ended: bool,
}

impl Listener {
    async fn load_grants(&mut self) -> Result<(), Failure> {
        self.grants = match self.caller.staff.role {
            Role::Agent => Some(staff::wecom_grants(&self.state.db.get().await?, self.caller.staff.id).await?),
            _ => None,
        };
        Ok(())
    }

    fn hears(&self, e: &Event) -> bool {
        let Some(grants) = &self.grants else { return true };
        match e {
            Event::WecomMessage { corp, open_kfid, .. } => grants.iter().any(|g| g.0 == *corp && &g.1 == open_kfid),
            Event::WecomNote { corp, .. } => grants.iter().any(|g| g.0 == *corp),
            // Agents are granted WeCom accounts only, so far.
            Event::MpMessage { .. } => false,
            Event::Grants { staff } | Event::SessionsEnded { staff } => *staff == self.caller.staff.id,
            Event::QuickReplies => true,
        }
    }

    /// The next event for this desktop; `None` when the stream ends.
    async fn next(&mut self) -> Option<serde_json::Value> {
        if self.ended {
            return None;
        }
        if !self.said_hello {
            self.said_hello = true;
            return Some(json!({"kind": "hello", "staff": self.caller.staff}));
        }
        loop {
            match self.rx.recv().await {
                Ok(e) if !self.hears(&e) => continue,
                Ok(Event::SessionsEnded { .. }) => {
                    self.ended = true;
                    return Some(json!({"kind": "signed_out"}));
                }
                Ok(e) => {
                    if matches!(e, Event::Grants { .. }) && self.load_grants().await.is_err() {
                        self.ended = true;
                        return Some(json!({"kind": "reload"}));
                    }
                    return Some(serde_json::to_value(&e).expect("events serialise"));
                }
                Err(RecvError::Lagged(_)) => return Some(json!({"kind": "reload"})),
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

async fn events(
    State(state): State<AppState>,
    Signed(caller): Signed,
) -> Result<axum::response::Sse<impl Stream<Item = Result<Sse, Infallible>>>, Failure> {
    let rx = state.hub.subscribe();
    let mut l = Listener { state, caller, rx, grants: None, said_hello: false, ended: false };
    l.load_grants().await?;
    let stream = futures_util::stream::unfold(l, |mut l| async move {
        let v = l.next().await?;
        Some((Ok(Sse::default().data(v.to_string())), l))
    });
    Ok(axum::response::Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
