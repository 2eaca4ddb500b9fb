//! The non-secret configuration on disk: one versioned JSON document in the OS app-config
//! directory, written atomically (temp file + fsync + rename + directory fsync). A file that is
//! corrupt or from an unknown version is moved aside, never overwritten, and the app starts
//! with a fresh document and a warning.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::{ConfigDoc, CONFIG_VERSION};

pub const FILE_NAME: &str = "config.json";

/// What loading found.
#[derive(Debug)]
pub struct Loaded {
    pub doc: ConfigDoc,
    /// Set when the file on disk could not be used; it was kept at this path.
    pub set_aside: Option<(PathBuf, SetAsideReason)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SetAsideReason {
    /// Not JSON, or not the document's shape.
    Corrupt(String),
    /// Written by a newer (or unknown) KefuDesk.
    UnknownVersion(u64),
}

/// Reads `path`; a missing file is a fresh document.
pub fn load(path: &Path) -> std::io::Result<Loaded> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded { doc: ConfigDoc::default(), set_aside: None }),
        Err(e) => return Err(e),
    };
    let reason = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Err(e) => SetAsideReason::Corrupt(e.to_string()),
        Ok(v) => match v.get("version").and_then(|v| v.as_u64()) {
            Some(CONFIG_VERSION) => match serde_json::from_value::<ConfigDoc>(v) {
                Ok(doc) => return Ok(Loaded { doc, set_aside: None }),
                Err(e) => SetAsideReason::Corrupt(e.to_string()),
            },
            Some(other) => SetAsideReason::UnknownVersion(other),
            None => SetAsideReason::Corrupt("no version field".into()),
        },
    };
    let aside = set_aside_path(path);
    fs::rename(path, &aside)?;
    tracing::warn!(path = %aside.display(), ?reason, "configuration file set aside");
    Ok(Loaded { doc: ConfigDoc::default(), set_aside: Some((aside, reason)) })
}

fn set_aside_path(path: &Path) -> PathBuf {
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut n = 0;
    loop {
        let candidate = path.with_file_name(format!("{FILE_NAME}.unreadable-{stamp}{}", if n == 0 { String::new() } else { format!("-{n}") }));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Writes `doc` to `path` so that a crash at any moment leaves either the old or the new
/// document, never a mix.
pub fn save(path: &Path, doc: &ConfigDoc) -> std::io::Result<()> {
    let tmp = write_temp(path, doc)?;
    fs::rename(&tmp, path)?;
    sync_dir(path)
}

/// Step one of [`save`]: the new document, complete and on disk, beside the real one.
fn write_temp(path: &Path, doc: &ConfigDoc) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_file_name(format!(".{FILE_NAME}.tmp-{}", std::process::id()));
    let mut f = File::create(&tmp)?;
    f.write_all(&serde_json::to_vec_pretty(doc).expect("config serialises"))?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    Ok(tmp)
}

#[cfg(unix)]
fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::Profile;

    fn dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("kefudesk-cfg-{}-{}", std::process::id(), rand_suffix()));
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    }

    fn doc_with(name: &str) -> ConfigDoc {
        let mut d = ConfigDoc::default();
        d.profiles.push(Profile::example(name));
        d
    }

    #[test]
    fn round_trip_and_missing_file() {
        let p = dir().join(FILE_NAME);
        assert_eq!(load(&p).unwrap().doc, ConfigDoc::default());
        save(&p, &doc_with("华东门店")).unwrap();
        let l = load(&p).unwrap();
        assert_eq!(l.doc, doc_with("华东门店"));
        assert!(l.set_aside.is_none());
        assert!(fs::read_to_string(&p).unwrap().contains("\"version\": 1"));
    }

    #[test]
    fn a_crash_before_the_rename_leaves_the_previous_file_intact() {
        let p = dir().join(FILE_NAME);
        save(&p, &doc_with("old")).unwrap();
        // The process dies after writing the temp file, before renaming it.
        let tmp = write_temp(&p, &doc_with("new")).unwrap();
        assert!(tmp.exists());
        assert_eq!(load(&p).unwrap().doc, doc_with("old"));
        // A torn temp file (crash mid-write) changes nothing either.
        fs::write(&tmp, b"{\"version\":1,\"profi").unwrap();
        assert_eq!(load(&p).unwrap().doc, doc_with("old"));
        // The next save succeeds over the leftover.
        save(&p, &doc_with("new")).unwrap();
        assert_eq!(load(&p).unwrap().doc, doc_with("new"));
    }

    #[test]
    fn corrupt_and_future_files_are_set_aside_not_overwritten() {
        for (content, want) in [
            (&b"{ not json"[..], "corrupt"),
            (br#"{"version": 99, "profiles": []}"#, "version"),
            (br#"{"profiles": []}"#, "corrupt"),
            (br#"{"version": 1, "profiles": [{"id": 5}]}"#, "corrupt"),
        ] {
            let d = dir();
            let p = d.join(FILE_NAME);
            fs::write(&p, content).unwrap();
            let l = load(&p).unwrap();
            assert_eq!(l.doc, ConfigDoc::default());
            let (aside, reason) = l.set_aside.expect("set aside");
            match (want, reason) {
                ("version", SetAsideReason::UnknownVersion(99)) | ("corrupt", SetAsideReason::Corrupt(_)) => {}
                (w, r) => panic!("{w}: {r:?}"),
            }
            assert_eq!(fs::read(&aside).unwrap(), content, "kept byte for byte");
            assert!(!p.exists());
            save(&p, &ConfigDoc::default()).unwrap();
            assert_eq!(fs::read(&aside).unwrap(), content, "saving later does not touch it");
        }
    }
}
