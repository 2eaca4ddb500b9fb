//! End-to-end harness: starts `tauri-driver` (which starts WebKitWebDriver, which starts the
//! real KefuDesk binary) and speaks the few W3C WebDriver calls the tests need.
//!
//! Missing prerequisites (a display, tauri-driver, WebKitWebDriver, the built app) are test
//! failures with the fix in the message, never a silent skip. `make test` provides them all.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod screen;
pub use screen::app_window_shown;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// JavaScript: whether the control `e` is on screen for a user. The content of a closed
/// `<details>` still has boxes in WebKit (`content-visibility: hidden`), but nobody sees it.
const SHOWN: &str =
    "e.getClientRects().length > 0 && !e.closest('[hidden], [inert], details:not([open]) > :not(summary)')";

/// What counts as a control for the accessibility checks.
const CONTROLS: &str =
    "button, input:not([type=hidden]), select, textarea, a[href], summary, [role=button], [role=radio], [role=tab]";

/// The workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The app binary the tests drive: `$KEFUDESK_APP` when set (the installed package's binary,
/// `make test-package`), else the debug build `make test` makes before running these tests.
pub fn app_binary() -> PathBuf {
    if let Some(app) = std::env::var_os("KEFUDESK_APP") {
        let p = PathBuf::from(app);
        assert!(
            p.is_file(),
            "KEFUDESK_APP={} is not a file: is the package installed? (make test-package installs it)",
            p.display()
        );
        return p;
    }
    let p = target_dir().join("debug").join(if cfg!(windows) { "kefudesk.exe" } else { "kefudesk" });
    assert!(p.exists(), "{} is missing: run `cargo build -p kefudesk` first (make test does)", p.display());
    p.canonicalize().unwrap()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running tauri-driver; killed on drop.
pub struct Driver {
    child: Child,
    pub url: String,
    /// The throwaway HOME the app runs with.
    pub home: PathBuf,
    /// Whether `home` stays after the test (`$KEFUDESK_E2E_HOME`: the package test looks at it
    /// after removing the package).
    keep_home: bool,
    /// Started on a session bus of its own: the whole process group goes on drop.
    own_bus: bool,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if self.own_bus {
            // The bus, its keyring, tauri-driver and the app: the group `start_on_own_bus` made.
            // SAFETY: kill(2) with a negative pid signals that process group; no memory involved.
            unsafe { libc::kill(-(self.child.id() as i32), libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            // Show what the app logged, to explain the failure.
            eprintln!("--- app log ---\n{}", std::fs::read_to_string(self.log()).unwrap_or_default());
        }
        if !self.keep_home {
            let _ = std::fs::remove_dir_all(&self.home);
        }
    }
}

impl Driver {
    /// The running KefuDesk processes that use this driver's HOME (the app's, not a test's).
    pub fn app_processes(&self) -> Vec<u32> {
        let want = format!("HOME={}", self.home.display());
        let mut found = Vec::new();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
            let exe = std::fs::read_link(e.path().join("exe")).unwrap_or_default();
            if exe.file_name().is_some_and(|n| n == "kefudesk")
                && std::fs::read(e.path().join("environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == want.as_bytes()))
            {
                found.push(pid);
            }
        }
        found
    }

    /// The environment WebKit's web process was started with (the first of the app's), as
    /// `NAME=value` lines: what the app passed on to WebKitGTK.
    pub fn web_process_environment(&self) -> Vec<String> {
        let apps = self.app_processes();
        let web = apps.iter().flat_map(|&app| children_of(app)).find(|(_, name)| name == "WebKitWebProces");
        let Some((pid, _)) = web else { panic!("no WebKit web process under the app ({apps:?})") };
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        env.split(|b| *b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect()
    }

    /// Starts the app binary directly, as a user starting it again would, with this driver's
    /// HOME; what it writes to stderr goes to `stderr_file` under that HOME.
    pub fn spawn_app(&self, stderr_file: &str) -> Child {
        with_home(&mut Command::new(app_binary()), &self.home)
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(self.home.join(stderr_file)).unwrap()))
            .spawn()
            .expect("the app starts")
    }

    /// Waits (up to 20 s) until no KefuDesk process uses this HOME.
    pub async fn wait_app_gone(&self) {
        wait_until(
            20,
            || self.app_processes().is_empty(),
            || format!("the app did not exit: {:?}", self.app_processes()),
        )
        .await;
    }

    /// The window-state plugin's file in this HOME.
    pub fn window_state_file(&self) -> PathBuf {
        self.home.join(".config/app.kefudesk.desktop/.window-state.json")
    }

    /// Waits (up to 15 s) until the saved state of the main window satisfies `want` (`what` says
    /// what was awaited); returns the whole file.
    pub async fn wait_window_state(&self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v: Value = std::fs::read(self.window_state_file())
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or(Value::Null);
            if want(&v["main"]) {
                return v;
            }
            assert!(Instant::now() < deadline, "{what}: {v}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Everything the app (and the drivers) wrote to stderr.
    pub fn log(&self) -> PathBuf {
        self.home.join("app-stderr.log")
    }

    /// Files under the app's HOME (config, data, cache, logs) that contain `needle`.
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        fn walk(dir: &std::path::Path, needle: &[u8], hits: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() && !p.is_symlink() {
                    walk(&p, needle, hits);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    if bytes.windows(needle.len()).any(|w| w == needle) {
                        hits.push(p);
                    }
                }
            }
        }
        let mut hits = Vec::new();
        walk(&self.home, needle.as_bytes(), &mut hits);
        hits
    }
}

impl Driver {
    /// Starts tauri-driver on free ports with the app's environment (`envs`), and waits for it.
    pub fn start(envs: &[(&str, &str)]) -> Driver {
        Driver::launch(envs, false)
    }

    /// The same on a D-Bus session of its own with its own unlocked keyring: a second KefuDesk
    /// beside the first (the single-instance lock and the Secret Service live on the bus), as on
    /// a second computer.
    pub fn start_on_own_bus(envs: &[(&str, &str)]) -> Driver {
        Driver::launch(envs, true)
    }

    fn launch(envs: &[(&str, &str)], own_bus: bool) -> Driver {
        if cfg!(target_os = "linux") {
            assert!(
                std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
                "no display: run the E2E tests under Xvfb (`xvfb-run -a dbus-run-session -- cargo test -p kefu-e2e -- --ignored`, as make test does)"
            );
            assert!(
                find_on_path("WebKitWebDriver").is_some(),
                "WebKitWebDriver is missing: apt-get install webkit2gtk-driver (make test does)"
            );
        }
        let driver = find_on_path("tauri-driver")
            .expect("tauri-driver is missing: cargo install tauri-driver --locked (make test does)");
        let (port, native) = (free_port(), free_port());
        let kept = std::env::var_os("KEFUDESK_E2E_HOME").map(PathBuf::from);
        let keep_home = kept.is_some();
        let home =
            kept.unwrap_or_else(|| std::env::temp_dir().join(format!("kefudesk-e2e-{}-{port}", std::process::id())));
        std::fs::create_dir_all(&home).unwrap();
        let mut cmd = if own_bus {
            use std::os::unix::process::CommandExt;
            let mut c = Command::new("dbus-run-session");
            c.args(["--", "sh", "-c"])
                .arg("echo -n kefudesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"")
                .arg(&driver)
                .process_group(0);
            c
        } else {
            Command::new(driver)
        };
        with_home(&mut cmd, &home)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(home.join("app-stderr.log")).unwrap()));
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("tauri-driver starts");
        let d = Driver { child, url: format!("http://127.0.0.1:{port}"), home, keep_home, own_bus };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not open port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        d
    }
}

/// The processes whose parent is `parent`, with their names (`comm`, cut at 15 bytes).
pub fn children_of(parent: u32) -> Vec<(u32, String)> {
    let mut children = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        // pid (comm) state ppid …: the comm may hold spaces, so read after the last ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else { continue };
        if rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(parent) {
            children.push((pid, head.split_once('(').map_or("", |(_, name)| name).to_string()));
        }
    }
    children
}

/// Gives `cmd` the throwaway `home` as its HOME and XDG directories (the app, through
/// tauri-driver or started directly, keeps everything there).
fn with_home<'a>(cmd: &'a mut Command, home: &std::path::Path) -> &'a mut Command {
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
}

/// Asks `check` every 50 ms until it gives a value, and returns it (checks may await, like
/// reading the sandbox); after `secs` seconds fails with `failure()`, said at that moment.
pub async fn poll<T, F: std::future::Future<Output = Option<T>>>(
    secs: u64,
    mut check: impl FnMut() -> F,
    failure: impl Fn() -> String,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "{}", failure());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// [`poll`] for a plain condition (it may itself assert what must stay true meanwhile).
pub async fn wait_until(secs: u64, mut done: impl FnMut() -> bool, failure: impl Fn() -> String) {
    poll(secs, || std::future::ready(done().then_some(())), failure).await
}

/// A window manager (Openbox) on the test's X display, for what only a window manager does:
/// maximising. Xvfb has none, and the other tests run without one. Stopped when dropped.
pub struct WindowManager {
    child: Child,
}

impl WindowManager {
    /// Starts Openbox with the driver's throwaway HOME and waits until it manages windows.
    pub async fn start(driver: &Driver) -> WindowManager {
        let openbox = find_on_path("openbox").expect("openbox is missing: apt-get install openbox (make test does)");
        let ready = driver.home.join("window-manager-ready");
        let _ = std::fs::remove_file(&ready);
        let child = Command::new(openbox)
            .args(["--sm-disable", "--startup", &format!("touch {}", ready.display())])
            .env("HOME", &driver.home)
            .env("XDG_CONFIG_HOME", driver.home.join(".config"))
            .env("XDG_CACHE_HOME", driver.home.join(".cache"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox starts");
        let wm = WindowManager { child };
        wait_until(20, || ready.exists(), || "Openbox did not start managing the display".into()).await;
        wm
    }
}

impl Drop for WindowManager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session: one running app window.
pub struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    pub async fn new(driver: &Driver) -> Session {
        let http = reqwest::Client::new();
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app_binary()}}}});
        // tauri-driver may accept connections a moment before it serves them: retry the
        // connection (only), a few times.
        let url = format!("{}/session", driver.url);
        let mut tries = 0;
        let resp = loop {
            match http.post(&url).json(&caps).timeout(Duration::from_secs(60)).send().await {
                Ok(r) => break r,
                Err(e) if tries < 10 && (e.is_connect() || e.is_request()) => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => panic!("POST {url}: {e}"),
            }
        };
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "POST {url} → {status}: {body}");
        let v = body["value"].clone();
        let id = v["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        let s = Session { http, base: format!("{}/session/{id}", driver.url) };
        // Finding an element waits for it to appear (views render after their data arrives).
        s.cmd("POST", "/timeouts", Some(json!({"implicit": 10_000, "script": 30_000}))).await;
        s
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        send(&self.http, method, &format!("{}{path}", self.base), body).await
    }

    /// Runs `script` (a function body; `arguments` available) and returns its value.
    pub async fn js(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": args}))).await
    }

    /// Invokes a Tauri command from the page, as the UI does.
    pub async fn invoke(&self, cmd: &str, args: Value) -> Value {
        let script = "const done = arguments[arguments.length - 1];
            window.__TAURI__.core.invoke(arguments[0], arguments[1]).then(v => done({ok: v}), e => done({err: e}));";
        self.cmd("POST", "/execute/async", Some(json!({"script": script, "args": [cmd, args]}))).await
    }

    /// Polls `script` until it returns something truthy (not false/null/0/""/[]).
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.js(script, json!([])).await;
            let truthy = match &v {
                Value::Null | Value::Bool(false) => false,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(_) => true,
                Value::Bool(true) => true,
            };
            if truthy {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Clicks the action `action` (a CSS selector) of the table row `row`, opening the row's
    /// "More" menu first when its actions are folded into one (a narrow window, or a table that
    /// would not fit the page otherwise).
    pub async fn click_row_action(&self, row: &str, action: &str) {
        let folded = self.js("return !!document.querySelector(arguments[0] + ' ' + arguments[1])?.closest('details.more-menu:not([open])');", json!([row, action])).await;
        if folded == true {
            self.click(&format!("{row} .more-menu summary")).await;
        }
        self.click(&format!("{row} {action}")).await;
    }

    /// Clicks `css`.
    pub async fn click(&self, css: &str) {
        self.on_element(css, &[("click", json!({}))]).await;
    }

    /// Replaces the text of the input `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let mut steps = vec![("clear", json!({}))];
        if !text.is_empty() {
            steps.push(("value", json!({"text": text})));
        }
        self.on_element(css, &steps).await;
    }

    /// Sends keys to the element `css` as a user types them (WebDriver key codes: "\u{E00C}" is
    /// Escape, "\u{E035}" F5, "\u{E009}f" Ctrl+F).
    pub async fn press(&self, css: &str, keys: &str) {
        self.on_element(css, &[("value", json!({"text": keys}))]).await;
    }

    /// Types `keys` into whatever has the keyboard focus, one key at a time, as a person does
    /// (WebDriver key actions; unlike [`Session::press`], nothing is focused first, so keys
    /// typed after the focus was lost go where a person's would: nowhere useful).
    pub async fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        self.cmd("POST", "/actions", Some(json!({"actions": [{"type": "key", "id": "typing", "actions": actions}]})))
            .await;
        self.cmd("DELETE", "/actions", None).await;
    }

    /// Runs element commands on `css`, finding it again and starting over when the view
    /// re-rendered in between (a stale element), as views do when their data arrives.
    async fn on_element(&self, css: &str, steps: &[(&str, Value)]) {
        'attempt: for attempt in 0.. {
            let el = self.element(css).await;
            for (cmd, body) in steps {
                let url = format!("{}/element/{el}/{cmd}", self.base);
                let resp = self.http.post(&url).json(body).timeout(Duration::from_secs(60)).send().await.unwrap();
                let status = resp.status();
                let v: Value = resp.json().await.unwrap_or(Value::Null);
                if !status.is_success() {
                    let stale = v["value"]["error"] == "stale element reference";
                    assert!(stale && attempt < 20, "{cmd} on {css} → {status}: {v}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue 'attempt;
                }
            }
            return;
        }
    }

    /// Every control on screen whose accessible name, as the browser engine
    /// computes it for screen readers (WebDriver "Get Computed Label"), is empty: a short
    /// description of each. A page that redraws itself meanwhile (an automatic refresh) makes
    /// the sweep start over, a few times.
    pub async fn unnamed_controls(&self) -> Vec<String> {
        'sweep: for attempt in 0.. {
            let found = self.cmd("POST", "/elements", Some(json!({"using": "css selector", "value": CONTROLS}))).await;
            let mut unnamed = Vec::new();
            for el in found.as_array().cloned().unwrap_or_default() {
                let id = el[ELEMENT_KEY].as_str().unwrap().to_string();
                let script = |s: &str| json!({"script": s, "args": [el]});
                let shown = self
                    .try_cmd("POST", "/execute/sync", script(&format!("const e = arguments[0]; return {SHOWN};")))
                    .await;
                let label = match shown {
                    Ok(Value::Bool(true)) => {
                        self.try_cmd("GET", &format!("/element/{id}/computedlabel"), Value::Null).await
                    }
                    Ok(_) => continue,
                    Err(e) => Err(e),
                };
                let html = match label {
                    Ok(l) if l.as_str().is_some_and(|l| !l.trim().is_empty()) => continue,
                    Ok(_) => {
                        self.try_cmd("POST", "/execute/sync", script("return arguments[0].outerHTML.slice(0, 160);"))
                            .await
                    }
                    Err(e) => Err(e),
                };
                match html {
                    Ok(h) => unnamed.push(h.as_str().unwrap_or_default().to_string()),
                    Err(e) => {
                        assert!(e["error"] == "stale element reference" && attempt < 5, "accessibility sweep: {e}");
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        continue 'sweep;
                    }
                }
            }
            return unnamed;
        }
        unreachable!()
    }

    /// A WebDriver command whose failure is the caller's to judge: the error object on failure.
    async fn try_cmd(&self, method: &str, path: &str, body: Value) -> Result<Value, Value> {
        try_send(&self.http, method, &format!("{}{path}", self.base), Some(body))
            .await
            .map_err(|(_, v)| v["value"].clone())
    }

    /// What a screen-reader or keyboard user would miss on the page shown: controls without an
    /// accessible name and controls Tab does not reach, each said with the `page` it is on.
    pub async fn accessibility_problems(&self, page: &str) -> Vec<String> {
        let mut problems: Vec<String> =
            self.unnamed_controls().await.into_iter().map(|c| format!("{page}: no accessible name: {c}")).collect();
        problems
            .extend(self.unreachable_by_tab().await.into_iter().map(|c| format!("{page}: not reached by Tab: {c}")));
        problems
    }

    /// Presses Tab from the top of the page until focus comes round again (at most 400 times)
    /// and returns the controls on screen it never reached: a short description of each.
    pub async fn unreachable_by_tab(&self) -> Vec<String> {
        // A page that redraws itself mid-walk (Sessions' automatic refresh) drops the focus to
        // the top: what one walk missed must be missed again by the next ones to count.
        let mut missed = self.tab_walk().await;
        for _ in 0..2 {
            if missed.is_empty() {
                break;
            }
            let again = self.tab_walk().await;
            missed.retain(|(path, _)| again.iter().any(|(p, _)| p == path));
        }
        missed.into_iter().map(|(_, html)| html).collect()
    }

    /// One walk with Tab from the top of the page: the visible controls it did not reach, as
    /// (path in the document, start of their HTML).
    async fn tab_walk(&self) -> Vec<(String, String)> {
        let path = "const p = (e) => e && e !== document.body ? p(e.parentElement) + '>' + e.tagName + (e.id ? '#' + e.id : '') + '[' + [...(e.parentElement?.children ?? [])].indexOf(e) + ']' : '';";
        self.js("document.activeElement?.blur(); window.scrollTo(0, 0); return true;", json!([])).await;
        let mut reached = std::collections::HashSet::new();
        let mut first = None;
        let tab = json!({"actions": [{"type": "key", "id": "kb", "actions": [{"type": "keyDown", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E004}"}]}]});
        for _ in 0..400 {
            let active = self.cmd("GET", "/element/active", None).await;
            // Tab typed into the focused control; with nothing focused, or the control gone
            // in a redraw since, pressed on the page.
            let typed = match active[ELEMENT_KEY].as_str() {
                Some(id) => {
                    self.try_cmd("POST", &format!("/element/{id}/value"), json!({"text": "\u{E004}"})).await.is_ok()
                }
                None => false,
            };
            if !typed {
                self.cmd("POST", "/actions", Some(tab.clone())).await;
            }
            let now = self
                .js(&format!("{path} return p(document.activeElement);"), json!([]))
                .await
                .as_str()
                .unwrap_or_default()
                .to_string();
            if now.is_empty() {
                continue;
            }
            if first.as_ref() == Some(&now) {
                break;
            }
            first.get_or_insert(now.clone());
            reached.insert(now);
        }
        let all = self
            .js(&format!("{path} return [...document.querySelectorAll({})].filter((e) => !e.disabled && {SHOWN}).map((e) => [p(e), e.outerHTML.slice(0, 160)]);", json!(CONTROLS)), json!([]))
            .await;
        all.as_array()
            .unwrap()
            .iter()
            .filter(|pair| !reached.contains(pair[0].as_str().unwrap()))
            .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].as_str().unwrap().to_string()))
            .collect()
    }

    /// The `value` property of an input.
    pub async fn value(&self, css: &str) -> Value {
        self.js("return document.querySelector(arguments[0]).value", json!([css])).await
    }

    /// Finds `css` (the implicit wait covers an element still to appear). WebKitWebDriver can
    /// answer a find with a bare "unknown error" while the page is re-rendering; that alone is
    /// asked again, a few times.
    async fn element(&self, css: &str) -> String {
        let url = format!("{}/element", self.base);
        for attempt in 0.. {
            let resp = self
                .http
                .post(&url)
                .json(&json!({"using": "css selector", "value": css}))
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let v: Value = resp.json().await.unwrap_or(Value::Null);
            if status.is_success() {
                return v["value"][ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("no element {css}: {v}")).to_string();
            }
            assert!(v["value"]["error"] == "unknown error" && attempt < 10, "POST {url} ({css}) → {status}: {v}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        unreachable!()
    }

    /// The window's outer position and size: `[x, y, width, height]`.
    pub async fn window_rect(&self) -> [i64; 4] {
        let r = self.cmd("GET", "/window/rect", None).await;
        ["x", "y", "width", "height"].map(|k| r[k].as_f64().unwrap_or_else(|| panic!("window rect {r}")) as i64)
    }

    /// Waits (up to 15 s) until the window's rect satisfies `want` (`what` says what was
    /// awaited); returns it.
    pub async fn wait_window_rect(&self, what: &str, want: impl Fn([i64; 4]) -> bool) -> [i64; 4] {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let r = self.window_rect().await;
            if want(r) {
                return r;
            }
            assert!(Instant::now() < deadline, "{what}: {r:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Moves and resizes the window.
    pub async fn set_window_rect(&self, [x, y, width, height]: [i64; 4]) {
        self.cmd("POST", "/window/rect", Some(json!({"x": x, "y": y, "width": width, "height": height}))).await;
    }

    /// Maximises the window (as its title bar's button does: a request to the window manager).
    /// WebKitWebDriver may answer before the window manager has done it.
    pub async fn maximize(&self) {
        self.cmd("POST", "/window/maximize", None).await;
    }

    /// Un-maximises the window (the title bar's restore button): a window rect with no size or
    /// place restores the window and sets nothing else.
    pub async fn restore(&self) {
        self.cmd("POST", "/window/rect", Some(json!({}))).await;
    }

    /// Resizes the window (e.g. to the app's minimum size).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// Saves a PNG of the window, as the X server shows it, under `target/e2e/` once the page
    /// has rendered its next frame and stopped changing; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.js(
            "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
            json!([]),
        )
        .await;
        save_screenshot(name).await
    }

    pub async fn close(self) {
        send(&self.http, "DELETE", &self.base, None).await;
    }
}

/// Saves a PNG of the KefuDesk window on the X display (whichever it shows: the main window or
/// a message box), once it has stopped changing, under `target/e2e/`; returns its path.
pub async fn save_screenshot(name: &str) -> PathBuf {
    let shot = tokio::task::spawn_blocking(screen::capture_window).await.unwrap();
    let dir = target_dir().join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    shot.save(&path).unwrap();
    path
}

async fn send(http: &reqwest::Client, method: &str, url: &str, body: Option<Value>) -> Value {
    try_send(http, method, url, body).await.unwrap_or_else(|(status, v)| panic!("{method} {url} → {status}: {v}"))
}

/// One WebDriver request: its `value`, or the status and whole answer of a refusal.
async fn try_send(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    body: Option<Value>,
) -> Result<Value, (reqwest::StatusCode, Value)> {
    let req = match method {
        "GET" => http.get(url),
        "DELETE" => http.delete(url),
        _ => http.post(url).json(&body.unwrap_or(json!({}))),
    };
    let resp = req.timeout(Duration::from_secs(60)).send().await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        Ok(v["value"].clone())
    } else {
        Err((status, v))
    }
}

/// A direct HTTP call to the app's sandbox, as an independent WeChat client.
pub async fn sandbox_get(url: &str) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

pub async fn sandbox_post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

/// A 24-bit BMP with a horizontal gradient (no image crate needed here).
pub fn bmp(w: u32, h: u32) -> Vec<u8> {
    let row = (w * 3).div_ceil(4) * 4;
    let size = 54 + row * h;
    let mut b = Vec::with_capacity(size as usize);
    b.extend_from_slice(b"BM");
    for v in [size, 0, 54, 40] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&(w as i32).to_le_bytes());
    b.extend_from_slice(&(h as i32).to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    for v in [0u32, row * h, 2835, 2835, 0, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for y in 0..h {
        for x in 0..w {
            b.extend_from_slice(&[(255 * x / w) as u8, (255 * y / h) as u8, 160]);
        }
        b.resize(b.len() + (row - w * 3) as usize, 0);
    }
    b
}

/// What a page must be at the minimum window size: its header's controls inside the window and
/// above the status bar, no column narrower than a word, no ID or badge broken over lines. Returns the
/// problems found (empty when none).
pub const MIN_SIZE_PROBLEMS: &str = "const problems = [];
    const bar = document.getElementById('statusbar').getBoundingClientRect();
    if (bar.bottom > innerHeight + 1) problems.push('status bar below the window');
    const inside = (el, what) => { const r = el.getBoundingClientRect();
      if (r.width === 0) return;
      if (r.left < 0 || r.right > innerWidth + 1) problems.push(what + ' outside the window: ' + r.left + '..' + r.right);
      if (r.bottom > bar.top + 1) problems.push(what + ' under the status bar'); };
    document.getElementById('view').scrollTop = 0;
    for (const el of document.querySelectorAll('#view .page-head button, #view .page-head select, #nav [data-view]')) inside(el, el.id || el.textContent);
    for (const head of document.querySelectorAll('#view .vtable-head span')) {
      if (head.scrollWidth > head.clientWidth + 1) problems.push('header ' + JSON.stringify(head.textContent) + ' cut'); }
    for (const th of document.querySelectorAll('#view table.grid th')) { const w = th.getBoundingClientRect().width;
      if (w > 0 && w < 36) problems.push('column ' + JSON.stringify(th.textContent) + ' is ' + Math.round(w) + 'px wide'); }
    for (const el of document.querySelectorAll('#view code.id, #view td.openid, #view .agent-head .account, #view .badge')) {
      const range = document.createRange(); range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      if (lines > 1) problems.push('an ID or badge over ' + lines + ' lines: ' + el.textContent); }
    return problems;";

/// A token for the sandbox's demo account, fetched like any WeChat client would.
pub async fn sandbox_token(base: &str) -> String {
    let info = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let tok = sandbox_post(
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": info["appid"], "secret": info["secret"]}),
    )
    .await;
    tok["access_token"].as_str().expect("token").to_string()
}

/// The agents the sandbox itself reports, asked over HTTP like any WeChat client would.
pub async fn agents_from_sandbox(base: &str) -> Vec<Value> {
    let token = sandbox_token(base).await;
    let list = sandbox_get(&format!("{base}/cgi-bin/customservice/getkflist?access_token={token}")).await;
    list["kf_list"].as_array().expect("kf_list").clone()
}
