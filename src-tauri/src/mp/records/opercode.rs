//! `opercode` in words (reference mp §5.3).

use crate::i18n::Lang;
use crate::sentences::S;

pub fn opercode_words(code: i64, lang: Lang) -> String {
    let (zh, en) = match code {
        1000 => ("创建未接入会话", "Waiting session created"),
        1001 => ("接入会话", "Session accepted"),
        1002 => ("主动发起会话", "Agent started a session"),
        1003 => ("转接会话", "Session transferred"),
        1004 => ("关闭会话", "Session closed"),
        1005 => ("抢接会话", "Session taken over"),
        2001 => ("公众号收到消息", "Customer message (queue)"),
        2002 => ("客服发送消息", "Agent sent"),
        2003 => ("客服收到消息", "Agent received"),
        other => return format!("{} {other}", crate::sentences::text(lang, S::Operation)),
    };
    lang.pick(zh, en).to_string()
}
