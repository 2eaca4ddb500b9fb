//! Writing the user's files safely: into a temporary file beside the target, synced, then
//! renamed over it. A failure at any point (a full disk, a size limit, a folder that vanished)
//! removes the temporary file and never touches the file being replaced.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A free name beside `path` for a file set aside as it was (never deleted):
/// `<name>.<why>-<unix seconds>`, with `-1`, `-2`… when that is taken.
pub fn aside_path(path: &Path, why: &str) -> PathBuf {
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    (0..)
        .map(|n| match n {
            0 => path.with_file_name(format!("{name}.{why}-{stamp}")),
            n => path.with_file_name(format!("{name}.{why}-{stamp}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("a free name")
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes what `fill` writes to `path`, all or nothing; the bytes written.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> std::io::Result<u64> {
    let tmp = temp_beside(path);
    let result = (|| {
        let mut file = BufWriter::with_capacity(256 * 1024, File::create(&tmp)?);
        fill(&mut file)?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::metadata(path).map(|m| m.len())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path`, all or nothing.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<u64> {
    write_with(path, |f| f.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails part-way (the child's files cannot grow past 16 KiB: EFBIG, root or
    /// not) over a larger file leaves that file as it was and no temporary file beside it.
    #[test]
    fn a_write_that_fails_part_way_leaves_the_target_untouched() {
        if let Some(target) = crate::child::limited_child_target() {
            assert!(write(&target, &vec![b'n'; 64 * 1024]).is_err(), "past the limit");
            return;
        }
        let dir = crate::scratch::dir().join("files-limited");
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("客户的文件.pdf");
        let old = vec![b'o'; 40 * 1024];
        std::fs::write(&target, &old).unwrap();
        crate::child::run_limited(
            "files::tests::a_write_that_fails_part_way_leaves_the_target_untouched",
            crate::child::Limit::FileSize(16 * 1024),
            &target,
        );
        assert_eq!(std::fs::read(&target).ok(), Some(old), "the file being replaced is untouched");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        // Without a limit the same write replaces it whole.
        assert_eq!(write(&target, &vec![b'n'; 64 * 1024]).unwrap(), 64 * 1024);
    }
}
