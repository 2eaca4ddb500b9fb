//! The non-secret configuration on disk: one versioned JSON document in the OS app-config
//! directory, written atomically (temp file + fsync + rename + directory fsync). A file that is
//! corrupt or from an unknown version is moved aside, never overwritten, and the app starts
//! with a fresh document and a warning. A version 1 file is upgraded (and kept beside as
//! `config.json.v1`), never set aside.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::model::{upgrade_v1, ConfigDoc, CONFIG_VERSION};

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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded { doc: ConfigDoc::default(), set_aside: None })
        }
        Err(e) => return Err(e),
    };
    let reason = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Err(e) => SetAsideReason::Corrupt(e.to_string()),
        Ok(v) => match v.get("version").and_then(|v| v.as_u64()) {
            Some(CONFIG_VERSION) => match serde_json::from_value::<ConfigDoc>(v) {
                Ok(doc) => return Ok(Loaded { doc, set_aside: None }),
                Err(e) => SetAsideReason::Corrupt(e.to_string()),
            },
            Some(1) => match serde_json::from_value::<ConfigDoc>(upgrade_v1(v)) {
                Ok(doc) => {
                    // The next save writes version 2; an older KefuDesk can still use the copy.
                    let backup = path.with_file_name(format!("{FILE_NAME}.v1"));
                    if !backup.exists() {
                        fs::copy(path, &backup)?;
                    }
                    tracing::info!(profiles = doc.profiles.len(), "configuration upgraded from version 1");
                    return Ok(Loaded { doc, set_aside: None });
                }
                Err(e) => SetAsideReason::Corrupt(e.to_string()),
            },
            Some(other) => SetAsideReason::UnknownVersion(other),
            None => SetAsideReason::Corrupt("no version field".into()),
        },
    };
    let aside = crate::files::aside_path(path, "unreadable");
    fs::rename(path, &aside)?;
    tracing::warn!(path = %aside.display(), ?reason, "configuration file set aside");
    Ok(Loaded { doc: ConfigDoc::default(), set_aside: Some((aside, reason)) })
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
        crate::scratch::dir()
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
        assert!(fs::read_to_string(&p).unwrap().contains("\"version\": 2"));
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
        fs::write(&tmp, b"{\"version\":2,\"profi").unwrap();
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
            (br#"{"version": 2, "profiles": [{"id": 5}]}"#, "corrupt"),
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

    /// A file written by KefuDesk 0.1 (version 1, checked in as a fixture) opens with every
    /// profile, group and setting intact, and the next save writes version 2.
    #[test]
    fn a_version_1_file_is_upgraded_with_everything_kept() {
        use crate::config::model::{Account, TokenMode};
        let p = dir().join(FILE_NAME);
        let v1 = include_str!("../../tests/fixtures/config-v1.json");
        fs::write(&p, v1).unwrap();
        let l = load(&p).unwrap();
        assert!(l.set_aside.is_none(), "upgraded, not set aside");
        let d = l.doc;
        assert_eq!(d.version, 2);
        assert_eq!(d.active.as_deref(), Some("p18f0a1b2c3d0"));
        assert_eq!(d.profiles.len(), 2);
        let a = &d.profiles[0];
        assert_eq!(a.name, "华东门店");
        assert_eq!(a.account, Account::Mp { app_id: "wx1234567890abcdef".into(), oa_wechat_id: "huadong_cs".into() });
        assert_eq!(a.token, TokenMode::AppSecret);
        assert_eq!(a.proxy.as_deref(), Some("socks5://127.0.0.1:1080"));
        let b = &d.profiles[1];
        assert_eq!(b.token, TokenMode::Relay { url: "https://token.corp.example/wx".into() });
        assert_eq!(b.api_base.as_deref(), Some("https://wxgw.corp.example"));
        assert_eq!(d.groups["p18f0a1b2c3d0"].len(), 2);
        assert_eq!(
            d.groups["p18f0a1b2c3d0"][0].members,
            vec!["xiaomei@huadong_cs".to_string(), "ajie@huadong_cs".to_string()]
        );
        assert_eq!(d.groups["sandbox"][0].name, "夜班");
        // The original stays beside, byte for byte; the file itself becomes version 2 on save.
        assert_eq!(fs::read_to_string(p.with_file_name("config.json.v1")).unwrap(), v1);
        save(&p, &d).unwrap();
        let again = load(&p).unwrap();
        assert_eq!(again.doc, d);
        assert!(fs::read_to_string(&p).unwrap().contains("\"platform\": \"mp\""));
    }
}
