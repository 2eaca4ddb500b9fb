//! Conversations 会话 (WeCom): the list by session state, one conversation, moving a session,
//! sending as the kf account and answering an event code, and the WeCom reader's status. Thin:
//! the work is in `crate::wecom::conversations`.

use serde::Serialize;
use serde_json::json;
use tauri::State;

use super::super::{active_wecom, boundary, WecomActive};
use crate::error::{CommandError, Fault};
use crate::i18n::Lang;
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::wecom::SessionState;
use crate::wecom::conversations::{self as conv, Outgoing, Reader};

fn party<'a>(p: &'a WecomActive, l: &'a Reader, open_kfid: &'a str, external_userid: &'a str) -> conv::Party<'a> {
    conv::Party { client: p, archive: &l.archive, open_kfid, external_userid }
}

/// The WeCom reader's state for the window.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReaderView {
    pub revision: u64,
    pub relay: bool,
    pub blocked_until: Option<i64>,
    pub last_read: Option<i64>,
    pub requests: u64,
    pub error: Option<CommandError>,
    /// Something the user is told about the archive itself (an unreadable file set aside).
    pub notice: Option<CommandError>,
}

fn view(l: &Reader, lang: Lang) -> ReaderView {
    let s = l.status();
    ReaderView {
        revision: s.revision,
        relay: s.relay,
        blocked_until: s.blocked_until,
        last_read: s.last_read,
        requests: s.requests,
        error: s.error.map(|f| f.localize(lang)),
        notice: l.notice.as_ref().map(|f| f.localize(lang)),
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConversationList {
    pub rows: Vec<conv::Row>,
    pub reader: ReaderView,
    /// Why names or states may be out of date (the archive is shown anyway).
    pub stale: Option<CommandError>,
    pub now: i64,
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn list_conversations(
    state: State<'_, AppState>,
    open_kfid: Option<String>,
) -> Result<ConversationList, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        l.focus(open_kfid.as_deref());
        let now = conv::now_secs();
        let o = conv::overview(&p, &l.archive, open_kfid.filter(|k| !k.is_empty()), now).await?;
        let lang = state.lang();
        Ok(ConversationList { rows: o.rows, reader: view(&l, lang), stale: o.stale.map(|f| f.localize(lang)), now })
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reader_status(state: State<'_, AppState>) -> Result<ReaderView, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        Ok(view(&l, state.lang()))
    })
    .await
}

/// Reads these accounts soon (within WeCom's limit).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn read_now(state: State<'_, AppState>, open_kfids: Vec<String>) -> Result<ReaderView, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        l.ask(&open_kfids);
        Ok(view(&l, state.lang()))
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConversationView {
    #[serde(flatten)]
    pub detail: conv::Detail,
    /// Why sending is not possible now, in words (the composer shows it instead of failing).
    pub refusal: Option<CommandError>,
    pub stale: Option<CommandError>,
    pub now: i64,
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn open_conversation(
    state: State<'_, AppState>,
    open_kfid: String,
    external_userid: String,
) -> Result<ConversationView, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let now = conv::now_secs();
        let (detail, stale) = conv::detail(&party(&p, &l, &open_kfid, &external_userid), now).await?;
        let window = conv::window(&l.archive, &open_kfid, &external_userid).await?;
        let lang = state.lang();
        let refusal = conv::rules::send_refusal(detail.state.state, window, now).map(|f| f.localize(lang));
        Ok(ConversationView { detail, refusal, stale: stale.map(|f| f.localize(lang)), now })
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Moved {
    pub state: SessionState,
    /// For send_event_message: the queue, accept or ending words WeCom now allows.
    pub msg_code: Option<String>,
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn move_conversation(
    state: State<'_, AppState>,
    open_kfid: String,
    external_userid: String,
    to: SessionState,
    servicer: Option<String>,
) -> Result<Moved, CommandError> {
    boundary(&state, async {
        if matches!(to, SessionState::Untreated | SessionState::Other(_)) {
            return Err(Fault::internal(format!("no such move: {}", u8::from(to))));
        }
        if to == SessionState::Servicer && servicer.as_deref().is_none_or(str::is_empty) {
            return Err(Fault::invalid(S::ChooseServicer));
        }
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let msg_code =
            conv::move_to(&party(&p, &l, &open_kfid, &external_userid), to, servicer.as_deref(), conv::now_secs())
                .await?;
        Ok(Moved { state: to, msg_code })
    })
    .await
}

/// A picture a customer sent, as a `data:` URL the page can show.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn media_preview(state: State<'_, AppState>, media_id: String) -> Result<String, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let (mime, bytes) = l.media.get(&p, &media_id).await?;
        if !mime.starts_with("image/") {
            return Err(Fault::internal(format!("not a picture: {mime}")));
        }
        use base64::Engine;
        Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(&bytes)))
    })
    .await
}

/// Saves what a customer sent (a picture, voice, video or file) to `path`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_media(state: State<'_, AppState>, media_id: String, path: String) -> Result<u64, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let (_, bytes) = l.media.get(&p, &media_id).await?;
        let n = bytes.len() as u64;
        conv::blocking_io(move || crate::files::write(std::path::Path::new(&path), &bytes))
            .await
            .map_err(|e| Fault::File { reading: false, detail: e.to_string() })?;
        Ok(n)
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn send_kf_message(
    state: State<'_, AppState>,
    open_kfid: String,
    external_userid: String,
    msgid: String,
    message: Outgoing,
) -> Result<conv::Sent, CommandError> {
    boundary(&state, async {
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        let (msgtype, payload) = match message {
            Outgoing::Image { path } => {
                ("image", json!({ "media_id": conv::media::upload_picture(&p, &l.archive, &msgid, path).await? }))
            }
            Outgoing::Link { title, url, desc, picture } => {
                // The card is checked before its picture is uploaded.
                let (t, mut payload) = Outgoing::Link { title, url, desc, picture: String::new() }.payload()?;
                if picture.trim().is_empty() {
                    return Err(Fault::invalid(S::LinkNeedsPicture));
                }
                payload["thumb_media_id"] = json!(conv::media::upload_picture(&p, &l.archive, &msgid, picture).await?);
                (t, payload)
            }
            other => other.payload()?,
        };
        conv::send(&party(&p, &l, &open_kfid, &external_userid), &msgid, msgtype, payload, conv::now_secs()).await
    })
    .await
}

/// The words a msg_code or welcome_code allows (text; single use).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn send_event_message(
    state: State<'_, AppState>,
    open_kfid: String,
    external_userid: String,
    code: String,
    msgid: String,
    text: String,
) -> Result<conv::Sent, CommandError> {
    boundary(&state, async {
        let (_, payload) = Outgoing::Text { text }.payload()?;
        let text = payload["content"].as_str().unwrap_or_default().to_string();
        let p = active_wecom(&state).await?;
        let l = conv::reader(&state, &p.0, &p)?;
        conv::send_on_event(&party(&p, &l, &open_kfid, &external_userid), &code, &msgid, &text, conv::now_secs()).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_messages_become_wecom_payloads_or_a_broken_rule() {
        let (t, p) = Outgoing::Text { text: "您好".into() }.payload().unwrap();
        assert_eq!((t, p), ("text", json!({"content": "您好"})));
        assert!(Outgoing::Text { text: "  ".into() }.payload().is_err());
        assert!(Outgoing::Text { text: "字".repeat(683) }.payload().is_err(), "2049 bytes");
        let (t, p) = Outgoing::Menu {
            head: "请评价".into(),
            items: vec!["满意".into(), " ".into(), "不满意".into()],
            tail: String::new(),
        }
        .payload()
        .unwrap();
        assert_eq!(t, "msgmenu");
        assert_eq!(p["list"][1], json!({"type": "click", "click": {"id": "2", "content": "不满意"}}));
        assert!(Outgoing::Menu {
            head: String::new(),
            items: (0..11).map(|i| i.to_string()).collect(),
            tail: String::new()
        }
        .payload()
        .is_err());
        let link = |title: &str, url: &str| {
            Outgoing::Link {
                title: title.into(), url: url.into(), desc: " 点击查看 ".into(), picture: String::new()
            }
            .payload()
        };
        assert_eq!(
            link(" 物流信息 ", "https://kd.example/t/1").unwrap(),
            ("link", json!({"title": "物流信息", "url": "https://kd.example/t/1", "desc": "点击查看"}))
        );
        assert!(link("", "https://kd.example").is_err());
        assert!(link("物流", "kd.example/t/1").is_err(), "WeCom needs http(s)");
        assert!(link(&"长".repeat(43), "https://kd.example").is_err(), "129 bytes");
    }
}
