//! CSV export: UTF-8 with a byte-order mark (so Excel opens Chinese correctly), streamed to
//! disk row by row; a failed export leaves no half-written file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
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

/// Writes the records at `indices` to `path`; returns the bytes written.
pub fn write_csv(path: &Path, set: &RecordSet, indices: &[u32], lang: Lang) -> std::io::Result<u64> {
    let result = (|| {
        let mut file = BufWriter::with_capacity(256 * 1024, File::create(path)?);
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record(CsvColumns::header(lang))?;
        for &i in indices {
            let row = set.row(i, lang);
            w.write_record([row.time_text.as_str(), &row.agent, &row.customer, &row.operation, &row.opercode.to_string(), &row.text])?;
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok::<_, std::io::Error>(std::fs::metadata(path)?.len())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}
