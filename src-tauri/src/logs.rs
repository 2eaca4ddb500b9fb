//! The app's log: every line goes to stderr and to `kefudesk.log` in the OS log directory,
//! redacted like error messages (no AppSecret or access_token can reach the file). The file is
//! rotated at [`MAX_BYTES`] and [`KEPT`] older files are kept, so the log never grows past
//! about 4 MiB. The last warnings and errors are kept in memory for "Copy diagnostics".

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tracing::{Level, Metadata};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;

use crate::wechat::redact::redact;

/// The current log file's name; older ones are `kefudesk.1.log` (newest) … `kefudesk.3.log`.
pub const FILE_NAME: &str = "kefudesk.log";
/// The size at which the file is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// How many rotated files are kept besides the current one.
pub const KEPT: usize = 3;
/// How many recent warnings and errors diagnostics show.
const RECENT: usize = 20;
/// Lines logged before the log directory is known (start-up), written once it is.
const EARLY: usize = 200;

/// A size-bounded log file that rotates itself.
pub struct RotatingFile {
    dir: PathBuf,
    file: File,
    size: u64,
}

impl RotatingFile {
    /// Opens (appends to) `dir/kefudesk.log`, creating the directory.
    pub fn open(dir: &Path) -> io::Result<RotatingFile> {
        std::fs::create_dir_all(dir)?;
        let file = OpenOptions::new().create(true).append(true).open(dir.join(FILE_NAME))?;
        let size = file.metadata()?.len();
        Ok(RotatingFile { dir: dir.to_path_buf(), file, size })
    }

    /// The path of the `n`th file: 0 is the current one.
    pub fn path(dir: &Path, n: usize) -> PathBuf {
        if n == 0 {
            dir.join(FILE_NAME)
        } else {
            dir.join(format!("kefudesk.{n}.log"))
        }
    }

    /// Appends `text` (already redacted), rotating first when it would pass [`MAX_BYTES`].
    pub fn write(&mut self, text: &str) -> io::Result<()> {
        if self.size > 0 && self.size + text.len() as u64 > MAX_BYTES {
            self.rotate()?;
        }
        self.file.write_all(text.as_bytes())?;
        self.size += text.len() as u64;
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        let _ = std::fs::remove_file(Self::path(&self.dir, KEPT));
        for n in (0..KEPT).rev() {
            let from = Self::path(&self.dir, n);
            if from.exists() {
                std::fs::rename(&from, Self::path(&self.dir, n + 1))?;
            }
        }
        self.file = OpenOptions::new().create(true).append(true).open(Self::path(&self.dir, 0))?;
        self.size = 0;
        Ok(())
    }
}

#[derive(Default)]
struct Sink {
    file: Option<RotatingFile>,
    dir: Option<PathBuf>,
    early: Vec<String>,
    recent: VecDeque<String>,
}

fn sink() -> &'static Mutex<Sink> {
    static SINK: OnceLock<Mutex<Sink>> = OnceLock::new();
    SINK.get_or_init(Mutex::default)
}

/// Which lines are logged: info and above (hyper's from warn). `KEFUDESK_LOG` replaces that with
/// its own `target=level` list, e.g. `debug` or `info,kefudesk_lib::sandbox=debug` (debug lines
/// exist only in debug builds).
pub fn filter() -> Targets {
    filter_from(std::env::var("KEFUDESK_LOG").ok().as_deref())
}

/// The filter `spec` asks for, or the default when there is none or it does not parse.
fn filter_from(spec: Option<&str>) -> Targets {
    spec.and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(Level::INFO).with_target("hyper", Level::WARN))
}

/// Installs the app's subscriber for the whole process: plain lines through [`Writer`],
/// filtered by [`filter`]. Commands record no arguments as span fields (`skip_all`): what a
/// user typed, a customer's ID or a path never reaches the log through them.
pub fn init() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    tracing_subscriber::fmt().with_ansi(false).with_writer(Writer).finish().with(filter()).init();
}

/// Starts writing the log to `dir` (the OS log directory), with what was logged before.
pub fn open(dir: &Path) -> io::Result<()> {
    let mut file = RotatingFile::open(dir)?;
    let mut s = sink().lock().unwrap_or_else(|p| p.into_inner());
    for line in s.early.drain(..) {
        file.write(&line)?;
    }
    s.file = Some(file);
    s.dir = Some(dir.to_path_buf());
    Ok(())
}

/// The directory the log is written to, once [`open`] has been called.
pub fn dir() -> Option<PathBuf> {
    sink().lock().unwrap_or_else(|p| p.into_inner()).dir.clone()
}

/// The last warnings and errors, oldest first (redacted, one line each).
pub fn recent_problems() -> Vec<String> {
    sink().lock().unwrap_or_else(|p| p.into_inner()).recent.iter().cloned().collect()
}

/// Writes one formatted event: redacted, to stderr and the file; a warning or error is also
/// remembered for diagnostics.
fn record(text: &str, problem: bool) {
    let text = redact(text);
    let _ = io::stderr().write_all(text.as_bytes());
    let mut s = sink().lock().unwrap_or_else(|p| p.into_inner());
    if problem {
        if s.recent.len() == RECENT {
            s.recent.pop_front();
        }
        s.recent.push_back(text.trim_end().to_string());
    }
    if let Some(f) = s.file.as_mut() {
        let _ = f.write(&text);
    } else if s.early.len() < EARLY {
        s.early.push(text);
    }
}

/// The `tracing-subscriber` writer: `fmt::layer().with_writer(logs::Writer)`.
pub struct Writer;

/// One event's text, written out when the formatter is done with it.
pub struct Line {
    buf: Vec<u8>,
    problem: bool,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            record(&String::from_utf8_lossy(&self.buf), self.problem);
        }
    }
}

impl<'a> MakeWriter<'a> for Writer {
    type Writer = Line;
    fn make_writer(&'a self) -> Line {
        Line { buf: Vec::new(), problem: false }
    }
    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line {
        Line { buf: Vec::new(), problem: *meta.level() <= Level::WARN }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        crate::scratch::dir().join(name)
    }

    #[test]
    fn the_log_keeps_info_and_above_unless_kefudesk_log_says_otherwise() {
        let default = filter_from(None);
        assert!(default.would_enable("kefudesk_lib::sandbox", &Level::INFO));
        assert!(!default.would_enable("kefudesk_lib::sandbox", &Level::DEBUG));
        assert!(!default.would_enable("hyper::proto::h1", &Level::INFO), "hyper only from warn");
        assert!(default.would_enable("hyper::proto::h1", &Level::WARN));
        let debug = filter_from(Some("info,kefudesk_lib::sandbox=debug"));
        assert!(debug.would_enable("kefudesk_lib::sandbox::wecom", &Level::DEBUG));
        assert!(!debug.would_enable("kefudesk_lib::commands", &Level::DEBUG));
        let garbled = filter_from(Some("kefudesk=[nonsense"));
        assert!(
            garbled.would_enable("kefudesk_lib", &Level::INFO) && !garbled.would_enable("hyper", &Level::INFO),
            "a filter that does not parse is the default"
        );
    }

    #[test]
    fn the_file_rotates_at_its_size_and_keeps_three_old_ones() {
        let dir = temp_dir("rotate");
        let mut f = RotatingFile::open(&dir).unwrap();
        let line = format!("{}\n", "x".repeat(999));
        // 4.5 MiB of lines: the current file and three rotated ones, none over the bound.
        for n in 0..(4 * 1024 + 512) {
            f.write(&line.replace('x', &(n % 10).to_string())).unwrap();
        }
        let mut files: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        files.sort();
        assert_eq!(files, ["kefudesk.1.log", "kefudesk.2.log", "kefudesk.3.log", "kefudesk.log"]);
        for name in &files {
            let len = std::fs::metadata(dir.join(name)).unwrap().len();
            assert!(len <= MAX_BYTES, "{name} is {len} bytes");
        }
        // The newest lines are in the current file, the oldest kept ones in .3.
        let last = format!("{}\n", ((4 * 1024 + 511) % 10).to_string().repeat(999));
        assert!(std::fs::read_to_string(dir.join("kefudesk.log")).unwrap().ends_with(&last));
        // A reopened log appends rather than starting over.
        let before = std::fs::metadata(dir.join("kefudesk.log")).unwrap().len();
        RotatingFile::open(&dir).unwrap().write("again\n").unwrap();
        assert_eq!(std::fs::metadata(dir.join("kefudesk.log")).unwrap().len(), before + 6);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn logged_lines_are_redacted_in_the_file_and_problems_are_remembered() {
        let d = temp_dir("redact");
        // Before the directory is known the lines wait; then they are written first.
        record("INFO starting\n", false);
        open(&d).unwrap();
        record("WARN request failed: https://api.weixin.qq.com/cgi-bin/x?access_token=SECRET-TOKEN-1&a=b\n", true);
        record(r#"ERROR body {"appid":"wx1","secret":"SECRET-APP-2"}"#, true);
        let text = std::fs::read_to_string(d.join(FILE_NAME)).unwrap();
        assert!(text.starts_with("INFO starting\n"), "{text}");
        assert!(text.contains("access_token=***&a=b"), "{text}");
        assert!(!text.contains("SECRET-TOKEN-1") && !text.contains("SECRET-APP-2"), "{text}");
        let recent = recent_problems();
        assert!(recent.iter().any(|l| l.contains("request failed") && !l.contains("SECRET")), "{recent:?}");
        assert!(!recent.iter().any(|l| l.contains("starting")), "an info line is not a problem");
        assert_eq!(dir(), Some(d.clone()));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
