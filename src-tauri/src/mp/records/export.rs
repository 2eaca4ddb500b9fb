//! CSV export of chat records through the app's safe CSV writer (`csvfile`): UTF-8 with a BOM
//! (so Excel opens Chinese correctly), streamed row by row, formula cells neutralised, and a
//! failed export never touches the file that was there.

use std::path::Path;

use super::set::RecordSet;
use crate::i18n::Lang;

pub struct CsvColumns;

impl CsvColumns {
    pub fn header(lang: Lang) -> [&'static str; 6] {
        match lang {
            Lang::ZhCn => ["时间（北京时间）", "客服账号", "客户 openid", "操作", "操作码", "内容"],
            Lang::En => ["Time (CST)", "Agent", "Customer openid", "Operation", "Opercode", "Text"],
        }
    }
}

/// Writes the records at `indices` to `path` (BOM, formula cells neutralised, the target only
/// replaced once the new file is complete); returns the bytes written.
pub fn write_csv(path: &Path, set: &RecordSet, indices: &[u32], lang: Lang) -> std::io::Result<u64> {
    let rows = indices.iter().map(|&i| {
        let row = set.row(i, lang);
        [row.time_text, row.agent, row.customer, row.operation, row.opercode.to_string(), row.text]
    });
    crate::csvfile::write(path, &CsvColumns::header(lang), rows)
}
