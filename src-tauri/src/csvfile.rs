//! Writing a CSV file the safe way for spreadsheets and for the user's files: UTF-8 with a BOM
//! (Excel opens Chinese correctly), cells a spreadsheet would run as a formula neutralised, and
//! the file written beside the target and renamed on success — a failure never touches the target.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A cell as text a spreadsheet shows instead of running: one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("export.csv");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `header` and `rows` (every cell neutralised) to `path`; the bytes written.
pub fn write<I, R>(path: &Path, header: &[&str], rows: I) -> std::io::Result<u64>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    let tmp = temp_beside(path);
    let result = (|| {
        let mut file = BufWriter::with_capacity(256 * 1024, File::create(&tmp)?);
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row.into_iter().map(|c| neutralise(c.as_ref()).into_owned()))?;
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::metadata(path).map(|m| m.len())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for (cell, want) in [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("你好 =1", "你好 =1"), ("", "")] {
            assert_eq!(neutralise(cell), want);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_target_untouched() {
        let dir = crate::scratch::dir();
        let target = dir.join("out.csv");
        write(&target, &["a"], [["=1+1"]]).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert_eq!(text, "\u{feff}a\n'=1+1\n");
        // Into a folder that does not exist: an error, and nothing written anywhere.
        let missing = dir.join("nope").join("out.csv");
        assert!(write(&missing, &["a"], [["b"]]).is_err());
        assert!(!missing.exists());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
    }
}
