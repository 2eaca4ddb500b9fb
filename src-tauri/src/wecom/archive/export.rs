//! CSV export of archived messages (a customer's conversation or a search result), through the
//! app's safe CSV writer (BOM, formula cells neutralised, atomic).

use std::collections::HashMap;
use std::path::Path;

use super::store::{Archive, ArchivedMessage, Query};
use crate::i18n::Lang;
use crate::sentences::S;
use crate::wechat::cst::format_cst;

pub fn header(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::ZhCn => {
            ["时间（北京时间）", "客服账号", "客服账号 ID", "客户", "客户 ID", "发送方", "类型", "内容", "消息 ID"]
        }
        Lang::En => [
            "Time (CST)",
            "Support account",
            "Support account ID",
            "Customer",
            "Customer ID",
            "Sender",
            "Type",
            "Text",
            "Message ID",
        ],
    }
}

/// Names for the IDs in an export: kf accounts and customers (blank where unknown).
#[derive(Debug, Default)]
pub struct Names {
    pub accounts: HashMap<String, String>,
    pub customers: HashMap<String, String>,
}

/// Writes the matches of `q` straight from the archive to `path`, one row at a time (an export
/// of a million messages holds one); the rows and bytes written.
pub fn export_matches(
    archive: &Archive,
    q: &Query,
    path: &Path,
    names: &Names,
    lang: Lang,
) -> std::io::Result<(usize, u64)> {
    let mut rows = 0;
    let bytes = archive
        .with_matches(q, |matches| {
            let counted = matches.map(|m| {
                rows += 1;
                m.map_err(std::io::Error::other)
            });
            write_rows(path, counted, names, lang)
        })
        .map_err(std::io::Error::other)??;
    Ok((rows, bytes))
}

fn write_rows(
    path: &Path,
    messages: impl Iterator<Item = std::io::Result<ArchivedMessage>>,
    names: &Names,
    lang: Lang,
) -> std::io::Result<u64> {
    let sender = |m: &ArchivedMessage| match m.origin {
        3 => crate::sentences::text(lang, S::SenderCustomer).to_string(),
        5 => m.servicer_userid.clone().unwrap_or_default(),
        super::ORIGIN_APP => crate::sentences::text(lang, S::SenderKefuDesk).to_string(),
        _ => crate::sentences::text(lang, S::SenderSystem).to_string(),
    };
    let name = |map: &HashMap<String, String>, id: &str| map.get(id).cloned().unwrap_or_default();
    let rows = messages.map(|m| {
        let m = &m?;
        let kind = m.event_type.clone().unwrap_or_else(|| m.msgtype.clone());
        let customer = m.external_userid.clone().unwrap_or_default();
        Ok([
            format_cst(m.send_time),
            name(&names.accounts, &m.open_kfid),
            m.open_kfid.clone(),
            name(&names.customers, &customer),
            customer,
            sender(m),
            kind,
            m.text.clone(),
            m.msgid.clone(),
        ])
    });
    crate::csvfile::write_fallible(path, &header(lang), rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::wecom::KfMessage;
    use serde_json::json;

    #[test]
    fn a_conversation_exports_with_bom_cst_times_and_neutralised_cells() {
        let a = Archive::in_memory().unwrap();
        let m = |id: &str, origin: u8, text: &str| -> KfMessage {
            serde_json::from_value(json!({"msgid": id, "open_kfid": "wkA", "external_userid": "wmA", "servicer_userid": if origin == 5 { "LiNa" } else { "" },
                "send_time": 1_764_115_200 + origin as i64, "origin": origin, "msgtype": "text", "text": {"content": text}})).unwrap()
        };
        a.apply_page("wkA", &[m("1", 3, "=HYPERLINK(\"http://evil\",\"点我\")"), m("2", 5, "您好")], "c", 0).unwrap();
        let q = Query { external_userid: Some("wmA".into()), limit: 10, ..Default::default() };
        let path = crate::scratch::dir().join("export.csv");
        let names = Names {
            accounts: [("wkA".to_string(), "售前咨询".to_string())].into(),
            customers: [("wmA".to_string(), "张三".to_string())].into(),
        };
        assert_eq!(export_matches(&a, &q, &path, &names, Lang::ZhCn).unwrap().0, 2);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("\u{feff}时间（北京时间）,客服账号,客服账号 ID,客户,客户 ID,发送方,类型,内容,消息 ID\n"),
            "{text}"
        );
        assert!(text.contains("2025-11-26 08:00:05,售前咨询,wkA,张三,wmA,LiNa,text,您好,2"), "{text}");
        assert!(text.contains(",客户,text,\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\",1"), "{text}");
    }
}
