//! Welcome words 欢迎语 per kf account (WeCom): kept in the configuration, sent by the live
//! reader itself when a customer enters a conversation — WeCom's welcome_code lasts 20 seconds
//! (document/path/95122), too short for a person.

use std::collections::BTreeMap;

use serde::Serialize;
use tauri::State;

use super::super::{active_wecom, boundary};
use crate::error::{CommandError, Fault};
use crate::sentences::S;
use crate::state::AppState;
use crate::wecom::conversations as conv;

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Welcome {
    /// Words by open_kfid.
    pub words: BTreeMap<String, String>,
    /// Whether news is read at once (a callback relay): without one the 20 seconds may pass
    /// before the customer's entry is read.
    pub relay: bool,
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn welcome_words(state: State<'_, AppState>) -> Result<Welcome, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        Ok(Welcome { words: conv::welcome_words(&state, &p.0.id), relay: l.status().relay })
    })
    .await
}

/// Sets (or, with empty words, removes) an account's welcome words.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_welcome_words(
    state: State<'_, AppState>,
    open_kfid: String,
    words: String,
) -> Result<Welcome, CommandError> {
    boundary(&state, async {
        let words = words.trim().to_string();
        if words.len() > crate::wechat::limits::TEXT_BYTES {
            return Err(Fault::too_long(S::WelcomeWordsTooLong, words.len()));
        }
        let p = active_wecom(&state).await?;
        let id = p.0.id.clone();
        state
            .update_config(|c| {
                let mine = c.welcome.entry(id.clone()).or_default();
                if words.is_empty() {
                    mine.remove(&open_kfid);
                } else {
                    mine.insert(open_kfid.clone(), words.clone());
                }
                if mine.is_empty() {
                    c.welcome.remove(&id);
                }
            })
            .map_err(Fault::internal)?;
        let l = conv::reader(&state, &p.0, &p)?;
        l.set_welcomes(conv::welcome_words(&state, &id));
        Ok(Welcome { words: conv::welcome_words(&state, &id), relay: l.status().relay })
    })
    .await
}
