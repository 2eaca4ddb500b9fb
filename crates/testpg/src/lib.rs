//! A private PostgreSQL for KefuDesk Server's tests, benchmarks and `make server`: `initdb` in a
//! temporary directory, the server on a free loopback port, stopped and removed when dropped —
//! never a mock, never one assumed to be running. Debian's `postgresql` package provides the
//! programs (`make deps-test` installs it); without them this fails and says so, it never skips.
//!
//! PostgreSQL refuses to run as root: as root (CI), the cluster belongs to the `postgres` user
//! the package creates, and its programs run through `runuser`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The role every database here belongs to (trust authentication on loopback only).
pub const ROLE: &str = "kefu";

/// A running private PostgreSQL.
pub struct TempPostgres {
    /// Its loopback port.
    pub port: u16,
    dir: PathBuf,
    child: Child,
    as_postgres: bool,
}

impl TempPostgres {
    /// Starts a fresh cluster (a few seconds). Panics, saying what is missing, when it cannot.
    pub fn start() -> TempPostgres {
        let bin = bin_dir();
        let dir = std::env::temp_dir().join(format!("kefu-pg-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let as_postgres = is_root();
        if as_postgres {
            hand_to_postgres(&dir);
        }
        let data = dir.join("data");
        let status = run_as(as_postgres, &bin.join("initdb"))
            .args([
                "-D",
                &data.to_string_lossy(),
                "-U",
                ROLE,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("initdb could not start ({e}): install PostgreSQL (make deps-test)"));
        assert!(status.status.success(), "initdb failed: {}", String::from_utf8_lossy(&status.stderr));
        let port = free_port();
        let child = run_as(as_postgres, &bin.join("postgres"))
            .args(["-D", &data.to_string_lossy(), "-p", &port.to_string(), "-k", &dir.to_string_lossy()])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"])
            .args(["-c", "synchronous_commit=off", "-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("postgres.log")).map(Stdio::from).unwrap_or_else(|_| Stdio::null()))
            .spawn()
            .expect("postgres starts");
        let pg = TempPostgres { port, dir, child, as_postgres };
        pg.wait_ready(&bin);
        pg
    }

    fn wait_ready(&self, bin: &Path) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = Command::new(bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ROLE, "-d", "postgres"])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            let log = std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default();
            assert!(Instant::now() < deadline, "PostgreSQL did not start within 60 s: {log}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Creates the database `name` and returns its URL (`postgres://kefu@127.0.0.1:PORT/name`).
    pub fn create_database(&self, name: &str) -> String {
        let out = Command::new(bin_dir().join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ROLE, name])
            .output()
            .expect("createdb runs");
        assert!(out.status.success(), "createdb {name}: {}", String::from_utf8_lossy(&out.stderr));
        self.url(name)
    }

    /// The URL of the database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        // An immediate stop is fine for a throwaway cluster: nothing in it is kept. (Killing the
        // child alone would leave the server running when `runuser` started it.)
        let _ = run_as(self.as_postgres, &bin_dir().join("pg_ctl"))
            .args(["-D", &self.dir.join("data").to_string_lossy(), "stop", "-m", "immediate", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The directory of PostgreSQL's programs: the newest `/usr/lib/postgresql/N/bin` (Debian), else
/// wherever `initdb` is on the PATH.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("initdb").exists())
        .collect();
    versions.sort();
    if let Some((_, p)) = versions.pop() {
        return p;
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).find(|p| p.join("initdb").exists()))
        .unwrap_or_else(|| panic!("PostgreSQL's initdb was not found: install PostgreSQL (make deps-test)"))
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// Gives `dir` to the `postgres` user (the cluster must not belong to root).
fn hand_to_postgres(dir: &Path) {
    let out = Command::new("chown").args(["postgres:postgres"]).arg(dir).output().expect("chown runs");
    assert!(
        out.status.success(),
        "as root, the cluster runs as the `postgres` user, which is missing: install PostgreSQL (make deps-test): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_as(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos() as u64);
    (nanos << 8) | N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_cluster_starts_takes_a_database_and_goes_away() {
        let pg = TempPostgres::start();
        let url = pg.create_database("kefu_test");
        assert_eq!(url, format!("postgres://kefu@127.0.0.1:{}/kefu_test", pg.port));
        let out = Command::new(bin_dir().join("psql"))
            .args([&url, "-tAc", "select current_user || ' ' || current_database() || ' ' || pg_encoding_to_char(encoding) from pg_database where datname = current_database()"])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "kefu kefu_test UTF8",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = pg.dir.clone();
        let port = pg.port;
        drop(pg);
        assert!(!dir.exists(), "the directory is removed");
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the server is gone");
    }
}
