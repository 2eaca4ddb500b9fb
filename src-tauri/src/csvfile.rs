//! Writing a CSV file the safe way for spreadsheets and for the user's files: UTF-8 with a BOM
//! (Excel opens Chinese correctly), cells a spreadsheet would run as a formula neutralised, and
//! the file written beside the target and renamed on success — a failure never touches the target.

use std::io::Write;
use std::path::Path;

/// A cell as text a spreadsheet shows instead of running: one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes `header` and `rows` (every cell neutralised) to `path`, all or nothing
/// ([`crate::files`]); the bytes written.
pub fn write<I, R>(path: &Path, header: &[&str], rows: I) -> std::io::Result<u64>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    write_fallible(path, header, rows.into_iter().map(Ok))
}

/// The same for rows read as they are written (from a database): the first failure to read a
/// row fails the whole export, and the file being replaced stays as it was.
pub fn write_fallible<I, R>(path: &Path, header: &[&str], rows: I) -> std::io::Result<u64>
where
    I: IntoIterator<Item = std::io::Result<R>>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    crate::files::write_with(path, |file| {
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row?.into_iter().map(|c| neutralise(c.as_ref()).into_owned()))?;
        }
        w.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("你好 =1", "你好 =1"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want);
        }
    }

    /// An export that fails part-way (a child whose files cannot grow past 8 KiB, root or not)
    /// over an older, larger export leaves that one as it was; into a missing folder, nothing.
    #[test]
    fn a_failed_write_leaves_the_target_untouched() {
        let rows = || (0..2000).map(|n| [format!("第 {n} 行"), "=1+1".to_string()]);
        if let Some(target) = crate::child::limited_child_target() {
            assert!(write(&target, &["a", "b"], rows()).is_err(), "past the limit");
            return;
        }
        let dir = crate::scratch::dir().join("csv-limited");
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.csv");
        write(&target, &["a"], [["=1+1"]]).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "\u{feff}a\n'=1+1\n");
        let old = (0..1000).map(|n| format!("old export line {n}\n")).collect::<String>();
        std::fs::write(&target, &old).unwrap();
        crate::child::run_limited(
            "csvfile::tests::a_failed_write_leaves_the_target_untouched",
            crate::child::Limit::FileSize(8 * 1024),
            &target,
        );
        assert_eq!(std::fs::read_to_string(&target).ok(), Some(old), "the older export is untouched");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        // Into a folder that does not exist: an error, and nothing written anywhere.
        let missing = dir.join("nope").join("out.csv");
        assert!(write(&missing, &["a"], [["b"]]).is_err());
        assert!(!missing.exists());
    }
}
