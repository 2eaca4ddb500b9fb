//! Agent groups of the active profile. WeChat has no groups, so they are kept locally in the
//! configuration document, per profile, and survive restarts.

use tauri::State;

use crate::commands::{active, boundary};
use crate::config::{validate_groups, Group};
use crate::error::{CommandError, Fault};
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_groups(state: State<'_, AppState>) -> Result<Vec<Group>, CommandError> {
    boundary(&state, async {
        let p = active(&state).await?;
        Ok(state.config().groups.get(&p.id).cloned().unwrap_or_default())
    })
    .await
}

/// Replaces the active profile's groups (the UI edits the whole list).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_groups(state: State<'_, AppState>, groups: Vec<Group>) -> Result<Vec<Group>, CommandError> {
    boundary(&state, async {
        let p = active(&state).await?;
        let groups: Vec<Group> = groups
            .into_iter()
            .map(|g| {
                let mut members = g.members;
                members.sort();
                members.dedup();
                Group { name: g.name.trim().to_string(), members }
            })
            .collect();
        validate_groups(&groups).map_err(|e| Fault::invalid(e.s))?;
        state
            .update_config(|c| {
                if groups.is_empty() {
                    c.groups.remove(&p.id);
                } else {
                    c.groups.insert(p.id.clone(), groups.clone());
                }
            })
            .map_err(Fault::internal)?;
        Ok(groups)
    })
    .await
}
