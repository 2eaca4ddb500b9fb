//! Making a file operation fail as it would for a user, as root too: the test runs again in a
//! child process (this test binary, that test alone) that is limited — its files cannot grow
//! past a size (a write past it fails with EFBIG, SIGXFSZ ignored), or it runs as `nobody`
//! when started as root (so a file's permissions apply to it). Permissions alone cannot do
//! this: CI runs as root, and root reads and writes anyway.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

const CHILD: &str = "KEFUDESK_LIMITED_CHILD_TARGET";

/// What limits the child.
#[derive(Clone, Copy)]
pub enum Limit {
    /// Files cannot grow past this many bytes.
    FileSize(u64),
    /// Not root: as `nobody` (uid and gid 65534) when the tests run as root.
    NotRoot,
}

/// The uid the child runs as under [`Limit::NotRoot`] when the tests run as root.
pub const NOBODY: u32 = 65534;

/// In the limited child: the path its test works on.
pub fn limited_child_target() -> Option<PathBuf> {
    std::env::var_os(CHILD).map(PathBuf::from)
}

/// Runs the test named `test` (its full path) again under `limit`, with `target` handed to it;
/// panics if the child's own checks fail.
pub fn run_limited(test: &str, limit: Limit, target: &Path) {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(std::env::current_exe().expect("this test binary"));
    cmd.args([test, "--exact", "--test-threads=1"]).env(CHILD, target);
    let home = tempfile::Builder::new().prefix("kefudesk-child-").tempdir().expect("a home for the child");
    if matches!(limit, Limit::NotRoot) {
        // Its own home and temporary files where `nobody` may write.
        give_to_child(home.path());
        cmd.env("TMPDIR", "/tmp").env("HOME", home.path()).env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("XDG_CONFIG_HOME", home.path().join("config")).env("XDG_CACHE_HOME", home.path().join("cache"));
    }
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            match limit {
                Limit::FileSize(n) => {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let r = libc::rlimit { rlim_cur: n as libc::rlim_t, rlim_max: n as libc::rlim_t };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Limit::NotRoot if libc::geteuid() == 0 => {
                    if libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(NOBODY) != 0
                        || libc::setuid(NOBODY) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Limit::NotRoot => {}
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("the limited child runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("1 passed"),
        "the limited child's checks failed: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Gives `path` to the user a [`Limit::NotRoot`] child runs as (when the tests run as root).
pub fn give_to_child(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: plain libc calls on a NUL-terminated path.
    unsafe {
        if libc::geteuid() == 0 {
            let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
            assert_eq!(libc::chown(c.as_ptr(), NOBODY, NOBODY), 0, "chown {}", path.display());
        }
    }
}
