//! Customer-service messages (reference mp §6): send as an agent within the 48-hour window,
//! and the typing indicator.

use serde::Serialize;
use serde_json::{json, Value};

use super::{Ack, MpClient};
use crate::error::ApiError;
use crate::transport::{Call, Kind};

/// A message body for `message/custom/send`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "msgtype", rename_all = "lowercase")]
pub enum CustomMessage {
    Text { text: TextBody },
    Image { image: MediaBody },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextBody {
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MediaBody {
    pub media_id: String,
}

impl CustomMessage {
    pub fn text(content: impl Into<String>) -> Self {
        CustomMessage::Text { text: TextBody { content: content.into() } }
    }
    pub fn image(media_id: impl Into<String>) -> Self {
        CustomMessage::Image { image: MediaBody { media_id: media_id.into() } }
    }
}

/// The wire body: `{"touser", "msgtype", "<type>": {...}, "customservice": {"kf_account"}}`.
fn send_body(openid: &str, msg: &CustomMessage, as_kf: Option<&str>) -> Value {
    let mut body = serde_json::to_value(msg).expect("messages serialise");
    body["touser"] = json!(openid);
    if let Some(kf) = as_kf {
        body["customservice"] = json!({ "kf_account": kf });
    }
    body
}

impl MpClient {
    /// Sends `msg` to a customer, as agent `as_kf` when given (the customer then sees that
    /// agent's nickname and avatar).
    pub async fn send_message(&self, openid: &str, msg: &CustomMessage, as_kf: Option<&str>) -> Result<(), ApiError> {
        let body = send_body(openid, msg, as_kf);
        self.t.call::<Ack>(&Call::post("/cgi-bin/message/custom/send", Kind::Write, body)).await?;
        Ok(())
    }

    /// Shows (`true`) or hides the "typing…" indicator to a customer.
    pub async fn typing(&self, openid: &str, typing: bool) -> Result<(), ApiError> {
        let body = json!({ "touser": openid, "command": if typing { "Typing" } else { "CancelTyping" } });
        self.t.call::<Ack>(&Call::post("/cgi-bin/message/custom/typing", Kind::Write, body)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_body_matches_the_wire_fixture() {
        let b = send_body("OPENID", &CustomMessage::text("Hello World"), Some("test1@kftest"));
        assert_eq!(
            b,
            json!({"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"},"customservice":{"kf_account":"test1@kftest"}})
        );
        let b = send_body("OPENID", &CustomMessage::image("MEDIA_ID"), None);
        assert_eq!(b, json!({"touser":"OPENID","msgtype":"image","image":{"media_id":"MEDIA_ID"}}));
    }
}
