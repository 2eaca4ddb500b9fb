//! Customers as people: the staff's own note on each customer of the active account (WeChat's
//! customer-service API names a customer by openid only), kept in the configuration per profile
//! and surviving restarts.

use std::collections::BTreeMap;

use tauri::State;

use crate::commands::{active, boundary};
use crate::error::{CommandError, Fault};
use crate::sentences::S;
use crate::state::AppState;

/// A note is a name or a few words, not a file.
pub const MAX_NOTE_CHARS: usize = 40;
/// Notes kept per account.
pub const MAX_NOTES: usize = 20_000;

/// The active account's notes, by openid.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn customer_notes(state: State<'_, AppState>) -> Result<BTreeMap<String, String>, CommandError> {
    boundary(&state, async {
        let p = active(&state).await?;
        Ok(state.config().notes.get(&p.id).cloned().unwrap_or_default())
    })
    .await
}

/// Sets (or, when empty, removes) the note on one customer; answers all the account's notes.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn set_customer_note(
    state: State<'_, AppState>,
    openid: String,
    note: String,
) -> Result<BTreeMap<String, String>, CommandError> {
    boundary(&state, async {
        let (openid, note) = (openid.trim().to_string(), note.trim().to_string());
        if openid.is_empty() || openid.len() > 128 {
            return Err(Fault::invalid(S::ChooseCustomer));
        }
        if note.chars().count() > MAX_NOTE_CHARS || note.chars().any(char::is_control) {
            return Err(Fault::invalid(S::NoteTooLong));
        }
        let p = active(&state).await?;
        let full = state.config().notes.get(&p.id).is_some_and(|n| n.len() >= MAX_NOTES && !n.contains_key(&openid));
        if full && !note.is_empty() {
            return Err(Fault::invalid(S::TooManyNotes));
        }
        let mut notes = BTreeMap::new();
        state
            .update_config(|c| {
                let mine = c.notes.entry(p.id.clone()).or_default();
                if note.is_empty() {
                    mine.remove(&openid);
                } else {
                    mine.insert(openid.clone(), note.clone());
                }
                notes = mine.clone();
                if mine.is_empty() {
                    c.notes.remove(&p.id);
                }
            })
            .map_err(Fault::internal)?;
        Ok(notes)
    })
    .await
}
