//! Servicers 接待人员 of a kf account: who serves (people and departments, with names where the
//! directory is known), their receiving status, and adding or removing several at once — in
//! batches of ≤100 — with each person's or department's own result.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::super::{active_wecom, boundary, WecomActive};
use crate::config::WECOM_SANDBOX_ID;
use crate::error::{CommandError, Fault};
use crate::i18n::Lang;
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::wecom::ItemResult;
use crate::wechat::{ApiError, Platform};

/// Names of people and departments. WeCom's kf API returns userids and department ids only;
/// the built-in sandbox knows its demo directory (for its own profile and any profile pointed
/// at it), a live corp's is not read.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Directory {
    pub known: bool,
    pub departments: Vec<Department>,
    pub staff: Vec<Person>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Department {
    pub id: u64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Person {
    pub userid: String,
    pub name: String,
    pub department: u64,
}

fn directory(state: &AppState, p: &WecomActive) -> Directory {
    let base = p.transport().config().base_url.trim_end_matches('/').to_string();
    match state.wecom_sandbox().filter(|sb| p.0.id == WECOM_SANDBOX_ID || sb.base_url() == base) {
        Some(sb) => {
            let w = sb.world();
            Directory {
                known: true,
                departments: w.departments.iter().map(|d| Department { id: d.id, name: d.name.clone() }).collect(),
                staff: w
                    .staff
                    .iter()
                    .map(|s| Person { userid: s.userid.clone(), name: s.name.clone(), department: s.department })
                    .collect(),
            }
        }
        None => Directory::default(),
    }
}

/// One servicer as the page shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServicerRow {
    pub userid: Option<String>,
    pub department_id: Option<u64>,
    /// From the directory, when known.
    pub name: Option<String>,
    /// `receiving`, `stopped`, `paused`, or `unknown` (WeCom tells only an app that manages the
    /// account); departments have none.
    pub status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Servicers {
    pub rows: Vec<ServicerRow>,
    pub directory: Directory,
}

/// Status in list encoding: 0 接待中; 1 停止接待 with stop_type 0, or 暂时挂起 with stop_type 1.
fn status_word(status: Option<u8>, stop_type: Option<u8>) -> &'static str {
    match (status, stop_type) {
        (Some(0), _) => "receiving",
        (Some(1), Some(1)) => "paused",
        (Some(1), _) => "stopped",
        _ => "unknown",
    }
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_servicers(state: State<'_, AppState>, open_kfid: String) -> Result<Servicers, CommandError> {
    boundary(&state, async {
        let c = active_wecom(&state).await?;
        let list = c.servicer_list(&open_kfid).await?;
        let directory = directory(&state, &c);
        let rows = list
            .into_iter()
            .map(|s| ServicerRow {
                name: match (&s.userid, s.department_id) {
                    (Some(u), _) => directory.staff.iter().find(|p| &p.userid == u).map(|p| p.name.clone()),
                    (None, Some(d)) => directory.departments.iter().find(|x| x.id == d).map(|x| x.name.clone()),
                    _ => None,
                },
                status: s.userid.is_some().then(|| status_word(s.status, s.stop_type)),
                userid: s.userid,
                department_id: s.department_id,
            })
            .collect();
        Ok(Servicers { rows, directory })
    })
    .await
}

/// What happened to one person or department.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ItemOutcome {
    pub userid: Option<String>,
    pub department_id: Option<u64>,
    /// `done` (added or removed), `unchanged` (already there / not there), `failed`.
    pub outcome: &'static str,
    pub errcode: i64,
    /// Why it failed, in the user's language.
    pub message: Option<String>,
}

fn outcome(r: ItemResult, lang: Lang) -> ItemOutcome {
    let (outcome, message) = match r.errcode {
        0 if r.errmsg == "ignored" => ("unchanged", None),
        0 => ("done", None),
        errcode => {
            // The same words as a whole call failing with this errcode.
            let e = ApiError::WeChat { platform: Platform::Wecom, errcode, errmsg: r.errmsg.clone() };
            ("failed", Some(Fault::Api(e).localize(lang).message))
        }
    };
    ItemOutcome { userid: r.userid, department_id: r.department_id, outcome, errcode: r.errcode, message }
}

/// What the user asked to add or remove: userids (trimmed, de-duplicated) and department ids.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Selection {
    #[serde(default)]
    pub userids: Vec<String>,
    #[serde(default)]
    pub departments: Vec<u64>,
}

impl Selection {
    fn cleaned(self) -> Result<(Vec<String>, Vec<u64>), Fault> {
        let mut users: Vec<String> = Vec::new();
        for u in self.userids.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
            if u.len() > 64 || !u.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.@".contains(&b)) {
                return Err(Fault::invalid_with(S::UseridInvalid, [("u", u.to_string())]));
            }
            if !users.iter().any(|x| x == u) {
                users.push(u.to_string());
            }
        }
        let mut depts = self.departments;
        depts.dedup();
        if users.is_empty() && depts.is_empty() {
            return Err(Fault::invalid(S::ChooseServicersToChange));
        }
        Ok((users, depts))
    }
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn add_servicers(
    state: State<'_, AppState>,
    open_kfid: String,
    selection: Selection,
) -> Result<Vec<ItemOutcome>, CommandError> {
    change(&state, &open_kfid, selection, true).await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn remove_servicers(
    state: State<'_, AppState>,
    open_kfid: String,
    selection: Selection,
) -> Result<Vec<ItemOutcome>, CommandError> {
    change(&state, &open_kfid, selection, false).await
}

/// Adds (or removes) the selection, each person's and department's result in the answer.
async fn change(
    state: &AppState,
    open_kfid: &str,
    selection: Selection,
    add: bool,
) -> Result<Vec<ItemOutcome>, CommandError> {
    boundary(state, async {
        let (users, depts) = selection.cleaned()?;
        let c = active_wecom(state).await?;
        let results = if add {
            c.add_servicers(open_kfid, &users, &depts).await?
        } else {
            c.remove_servicers(open_kfid, &users, &depts).await?
        };
        // Each person's result is part of the answer, in the user's language.
        let lang = state.lang();
        Ok(results.into_iter().map(|r| outcome(r, lang)).collect())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_status_encoding_is_read_as_words() {
        assert_eq!(status_word(Some(0), None), "receiving");
        assert_eq!(status_word(Some(1), Some(0)), "stopped");
        assert_eq!(status_word(Some(1), None), "stopped");
        assert_eq!(status_word(Some(1), Some(1)), "paused");
        assert_eq!(status_word(None, None), "unknown");
    }

    #[test]
    fn selections_are_cleaned_and_checked() {
        let s = Selection {
            userids: vec![" LiNa ".into(), "LiNa".into(), "".into(), "ZhangWei".into()],
            departments: vec![2],
        };
        assert_eq!(s.cleaned().unwrap(), (vec!["LiNa".to_string(), "ZhangWei".to_string()], vec![2]));
        assert!(Selection { userids: vec!["李娜".into()], departments: vec![] }.cleaned().is_err());
        assert!(Selection { userids: vec![], departments: vec![] }.cleaned().is_err());
    }
}
