//! What a supervisor sends as the kf account — text, a menu, a link card, a picture — and WeCom's
//! rules for each, checked before anything is sent (kf/send_msg, document/path/94677).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Fault;
use crate::sentences::S;
use crate::wechat::limits::{
    LINK_DESC_BYTES, LINK_TITLE_BYTES, LINK_URL_BYTES, MENU_ITEMS, MENU_ITEM_BYTES, MENU_LINE_BYTES, TEXT_BYTES,
};

/// A message the supervisor composed.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outgoing {
    Text {
        text: String,
    },
    /// A menu: a line above, clickable replies, a line below.
    Menu {
        #[serde(default)]
        head: String,
        items: Vec<String>,
        #[serde(default)]
        tail: String,
    },
    /// A picture file (converted when WeCom would not take it as it is), uploaded then sent.
    Image {
        path: String,
    },
    /// A link card: title, address, description and a picture (WeCom requires one).
    Link {
        title: String,
        url: String,
        #[serde(default)]
        desc: String,
        picture: String,
    },
}

impl Outgoing {
    /// The msgtype and payload of send_msg, or the rule broken.
    pub fn payload(self) -> Result<(&'static str, Value), Fault> {
        match self {
            Outgoing::Text { text } => {
                if text.trim().is_empty() {
                    return Err(Fault::invalid(S::TypeMessageFirst));
                }
                if text.len() > TEXT_BYTES {
                    return Err(Fault::too_long(S::WecomTextTooLong, text.len()));
                }
                Ok(("text", json!({ "content": text })))
            }
            Outgoing::Menu { head, items, tail } => {
                let items: Vec<String> =
                    items.into_iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect();
                if items.is_empty() || items.len() > MENU_ITEMS {
                    return Err(Fault::invalid(S::MenuChoiceCount));
                }
                if items.iter().any(|i| i.len() > MENU_ITEM_BYTES)
                    || head.len() > MENU_LINE_BYTES
                    || tail.len() > MENU_LINE_BYTES
                {
                    return Err(Fault::invalid(S::MenuTextTooLong));
                }
                let list: Vec<Value> = items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| json!({"type": "click", "click": {"id": format!("{}", i + 1), "content": c}}))
                    .collect();
                Ok(("msgmenu", json!({ "head_content": head, "list": list, "tail_content": tail })))
            }
            Outgoing::Link { title, url, desc, .. } => {
                let title = title.trim();
                let url = url.trim();
                if title.is_empty() || title.len() > LINK_TITLE_BYTES {
                    return Err(Fault::invalid(S::LinkTitleLength));
                }
                if !(url.starts_with("http://") || url.starts_with("https://"))
                    || url.len() > LINK_URL_BYTES
                    || url::Url::parse(url).is_err()
                {
                    return Err(Fault::invalid(S::LinkUrlNotHttp));
                }
                if desc.len() > LINK_DESC_BYTES {
                    return Err(Fault::invalid(S::LinkDescTooLong));
                }
                Ok(("link", json!({ "title": title, "url": url, "desc": desc.trim() })))
            }
            Outgoing::Image { .. } => Err(Fault::internal("a picture is uploaded before it is sent")),
        }
    }
}
