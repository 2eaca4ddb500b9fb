//! Test-only: a scratch directory for this test process, removed when the process exits, so the
//! unit tests leave nothing behind in the system's temporary directory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();

extern "C" fn remove_root() {
    if let Some(root) = ROOT.get() {
        let _ = std::fs::remove_dir_all(root.path());
    }
}

/// A new, empty directory (each call another one) inside this process's scratch directory.
pub fn dir() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let root = ROOT.get_or_init(|| {
        // A static is never dropped: remove the directory when the test harness exits.
        // SAFETY: registers a plain function with no captured state.
        unsafe { libc::atexit(remove_root) };
        tempfile::Builder::new().prefix("kefudesk-test-").tempdir().expect("a scratch directory")
    });
    let d = root.path().join(N.fetch_add(1, Ordering::Relaxed).to_string());
    std::fs::create_dir_all(&d).expect("a scratch directory");
    d
}
