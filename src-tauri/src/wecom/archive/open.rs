//! Opening a profile's archive file. The archive is of one WeCom corp, kept in the file: a
//! profile whose CorpID was edited never shows corp A's history as corp B's — the old file is
//! kept beside under another name and a new archive started. A file SQLite cannot read (not a
//! database, corrupt) is set aside the same way instead of blocking the WeCom pages for good.
//! Either is said once, through [`Opened::notice`].

use std::path::{Path, PathBuf};

use super::Archive;

/// Why the archive that was there is no longer the one in use.
#[derive(Debug, Clone, PartialEq)]
pub enum SetAside {
    /// SQLite could not read it (the detail in English, for the log).
    Unreadable { kept: PathBuf },
    /// It held another corp's messages.
    OtherCorp { kept: PathBuf },
}

pub struct Opened {
    pub archive: Archive,
    pub notice: Option<SetAside>,
}

/// The archive at `path` for `corp_id`: the file there when it is that corp's (or from before
/// the corp was kept), else a new one with the old file kept beside. Fails only when no archive
/// can be opened at all (a read-only or full disk).
pub fn open_for_corp(path: &Path, corp_id: &str) -> rusqlite::Result<Opened> {
    let (archive, mut notice) = match Archive::open(path) {
        Ok(a) => (a, None),
        Err(e) if unreadable(&e) && path.exists() => {
            let kept = set_aside(path, "unreadable").map_err(io_error)?;
            tracing::warn!(error = %e, "the archive file could not be read: set aside, a new archive started");
            (Archive::open(path)?, Some(SetAside::Unreadable { kept }))
        }
        Err(e) => return Err(e),
    };
    let archive = match archive.corp_id()? {
        Some(held) if held != corp_id => {
            drop(archive);
            let kept = set_aside(path, "other-corp").map_err(io_error)?;
            tracing::warn!("the archive holds another corp's messages (the CorpID was changed): kept beside, a new archive started");
            notice = Some(SetAside::OtherCorp { kept });
            Archive::open(path)?
        }
        _ => archive,
    };
    archive.set_corp_id(corp_id)?;
    Ok(Opened { archive, notice })
}

/// SQLite's words for a file that is not a database it can use.
fn unreadable(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

fn io_error(e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Renames the archive (and its WAL files) to `<name>.<why>-<unix seconds>[-n]`; the new name.
fn set_aside(path: &Path, why: &str) -> std::io::Result<PathBuf> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("archive.sqlite");
    let kept = crate::files::aside_path(path, why);
    std::fs::rename(path, &kept)?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let kept_name = kept.file_name().and_then(|n| n.to_str()).unwrap_or(name);
            std::fs::rename(&side, kept.with_file_name(format!("{kept_name}{suffix}")))?;
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::wecom::KfMessage;

    fn message(msgid: &str) -> KfMessage {
        serde_json::from_value(serde_json::json!({"msgid": msgid, "open_kfid": "wk1", "external_userid": "wm1", "send_time": 1_700_000_000, "origin": 3, "msgtype": "text", "text": {"content": "你好"}})).unwrap()
    }

    #[test]
    fn a_garbage_file_is_set_aside_and_a_new_archive_started() {
        let dir = crate::scratch::dir();
        let path = dir.join("p1.sqlite");
        let garbage = b"this is not a database, but it is the user's file ".repeat(200);
        std::fs::write(&path, &garbage).unwrap();
        let opened = open_for_corp(&path, "ww1").unwrap();
        let Some(SetAside::Unreadable { kept }) = &opened.notice else { panic!("said once: {:?}", opened.notice) };
        assert_eq!(std::fs::read(kept).unwrap(), garbage, "kept as it was");
        assert_eq!(opened.archive.count().unwrap(), 0);
        opened.archive.apply_page("wk1", &[message("m1")], "c1", 0).unwrap();
        drop(opened);
        let again = open_for_corp(&path, "ww1").unwrap();
        assert_eq!(
            (again.notice, again.archive.count().unwrap()),
            (None, 1),
            "the new archive is used from then on, nothing said again"
        );
    }

    #[test]
    fn another_corps_archive_is_kept_beside_and_never_shown() {
        let dir = crate::scratch::dir();
        let path = dir.join("p1.sqlite");
        let a = open_for_corp(&path, "wwCorpA").unwrap();
        assert_eq!(a.notice, None);
        a.archive.apply_page("wk1", &[message("m1")], "c1", 0).unwrap();
        drop(a);
        let b = open_for_corp(&path, "wwCorpB").unwrap();
        let Some(SetAside::OtherCorp { kept }) = &b.notice else { panic!("{:?}", b.notice) };
        assert_eq!(b.archive.count().unwrap(), 0, "corp A's history is not corp B's");
        assert_eq!(Archive::open(kept).unwrap().count().unwrap(), 1, "corp A's archive is kept");
        assert_eq!(b.archive.corp_id().unwrap().as_deref(), Some("wwCorpB"));
    }

    #[test]
    fn an_archive_from_before_the_corp_was_kept_is_taken_as_the_profiles() {
        let path = crate::scratch::dir().join("p1.sqlite");
        let old = Archive::open(&path).unwrap();
        old.apply_page("wk1", &[message("m1")], "c1", 0).unwrap();
        drop(old);
        let opened = open_for_corp(&path, "ww1").unwrap();
        assert_eq!((opened.notice, opened.archive.count().unwrap()), (None, 1));
    }
}
