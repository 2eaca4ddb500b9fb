//! The window itself: every page at the minimum size, one instance, a remembered place, a start
//! while the running app closes, a window left maximised.

use super::*;

/// The window is at (about) its minimum size.
const AT_MIN_SIZE: &str = "return innerWidth <= 870 && innerHeight <= 570;";

/// Scrolls the records table sideways: the header and the rows stay in line.
const HEAD_FOLLOWS: &str = "const t = document.getElementById('records-table'); t.scrollLeft = 400;
                         const h = t.querySelector('.vtable-head').getBoundingClientRect().left, r = t.querySelector('.vrow').getBoundingClientRect().left;
                         const out = [t.scrollLeft > 0, Math.round(h) === Math.round(r)]; t.scrollLeft = 0; return out;";

/// A row's More button, once the table is drawn: its place.
const MORE_BUTTON: &str = "const m = !document.getElementById('agents-refresh')?.disabled && document.querySelector('#agents-table tbody tr .more'); return m && [m.getBoundingClientRect().right, innerWidth];";

/// The open menu's Delete, scrolled into view: is it inside the page?
const MENU_ITEM_IN_VIEW: &str = "const b = document.querySelector('#agents-table details[open] .delete'); if (!b) return null; b.scrollIntoView({block: 'nearest'});
             const r = b.getBoundingClientRect(); const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return {right: r.right, width: innerWidth, on_top: hit === b || b.contains(hit)};";

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn every_page_works_at_the_minimum_window_size() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", ROWS).await;
    s.set_window_size(860, 560).await;
    s.wait_for("the minimum size", AT_MIN_SIZE).await;
    for (lang, pages) in [
        ("zh-CN", &["agents", "sessions", "records", "stats", "settings"][..]),
        ("en", &["agents", "sessions", "records", "stats", "settings"][..]),
    ] {
        if lang == "en" {
            s.click("#nav [data-view=settings]").await;
            s.click("#lang-switch [data-lang=en]").await;
            s.wait_for("English", NAV_IN_ENGLISH).await;
        }
        for page in pages {
            s.click(&format!("#nav [data-view={page}]")).await;
            s.wait_for("the page", &format!("return document.querySelector('#view .page') && !document.querySelector('#view .loading') && (document.querySelector('#view table.grid') || '{page}' === 'records' || '{page}' === 'settings');")).await;
            if *page == "records" {
                // With a result: the table's header scrolls sideways with its rows.
                s.click("#records-form [data-range='last7']").await;
                s.click("#rf-fetch").await;
                s.wait_for("the records", "return document.querySelector('#records-body .vrow .c-time');").await;
                let moved = s.js(HEAD_FOLLOWS, json!([])).await;
                assert_eq!(moved, json!([true, true]), "the header scrolls with the rows");
            }
            let problems = s.js(MIN_SIZE_PROBLEMS, json!([])).await;
            assert_eq!(problems, json!([]), "{lang} {page} at 860×560");
            if lang == "zh-CN" {
                s.screenshot(&format!("{page}-min-zh")).await;
            } else if *page == "stats" {
                s.screenshot("stats-min-en").await;
            }
        }
    }
    // The agents' rows fit without scrolling sideways: their actions fold into a menu; opening
    // it shows Delete, inside the window and not covered by anything.
    s.click("#nav [data-view=agents]").await;
    // (Once the list is read again: the table stays on screen meanwhile and is then redrawn.)
    let edge = s.wait_for("the row actions", MORE_BUTTON).await;
    assert!(edge[0].as_f64() <= edge[1].as_f64(), "the menu is inside the window: {edge}");
    s.click("#agents-table tbody tr .more").await;
    let delete = s.wait_for("the open menu", MENU_ITEM_IN_VIEW).await;
    assert!(delete["right"].as_f64() <= delete["width"].as_f64() && delete["on_top"] == true, "{delete}");
    s.screenshot("agents-min-menu-en").await;
    s.close().await;
}

/// Desktop conventions: the window comes back where it was left (and never off-screen), a
/// second start brings the running window forward instead of opening another, and Settings →
/// Help opens the log folder and copies a diagnostics summary without a secret in it.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn one_instance_a_remembered_window_and_help_for_support() {
    // A stand-in for the desktop's "open this folder": it notes what it was asked to open.
    let fake_bin = std::env::temp_dir().join(format!("kefudesk-e2e-bin-{}", std::process::id()));
    std::fs::create_dir_all(&fake_bin).unwrap();
    let opener = fake_bin.join("xdg-open");
    std::fs::write(&opener, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$HOME/opened.txt\"\n").unwrap();
    std::fs::set_permissions(&opener, <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o755))
        .unwrap();
    let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap_or_default());
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8"), ("PATH", &path)]);
    let state_file = driver.window_state_file();

    // Moved and resized: the place is saved as it changes (not only at exit).
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;
    let placed = [40, 30, 1000, 660];
    s.set_window_rect(placed).await;
    let saved = driver
        .wait_window_state("the window's place was not saved", |m| {
            m["width"] == 1000 && m["height"] == 660 && m["x"] == 40
        })
        .await;

    // Started again while running: the second process hands over and exits; one app stays.
    assert_eq!(driver.app_processes().len(), 1, "one app is running");
    let mut second = driver.spawn_app("second-stderr.log");
    let status = poll(
        20,
        || std::future::ready(second.try_wait().unwrap()),
        || "a second start kept running beside the first".into(),
    )
    .await;
    assert!(status.success(), "the second start exits cleanly: {status}");
    let log = driver.home.join(".local/share/app.kefudesk.desktop/logs/kefudesk.log");
    wait_until(
        10,
        || std::fs::read_to_string(&log).unwrap_or_default().contains("started again"),
        || "the running app was not told of the second start".into(),
    )
    .await;
    assert_eq!(driver.app_processes().len(), 1, "still one app");
    assert_eq!(
        s.js("return document.querySelectorAll('#agents-table tbody tr').length > 0;", json!([])).await,
        true,
        "the first window still works"
    );

    // Settings → Help: the log folder opens (the desktop is asked to open it, and the log is
    // there); the diagnostics say what support needs and hold no secret or token.
    s.click("#nav [data-view=settings]").await;
    s.click("#open-log-folder").await;
    let status =
        s.wait_for("the folder opened", "return document.querySelector('#support-status.ok')?.textContent;").await;
    let logs_dir = driver.home.join(".local/share/app.kefudesk.desktop/logs");
    assert!(status.as_str().unwrap().contains(&logs_dir.display().to_string()), "{status}");
    let opened = driver.home.join("opened.txt");
    wait_until(
        10,
        || std::fs::read_to_string(&opened).unwrap_or_default().trim() == logs_dir.display().to_string(),
        || format!("the desktop was not asked to open {}: {:?}", logs_dir.display(), std::fs::read_to_string(&opened)),
    )
    .await;
    assert!(logs_dir.join("kefudesk.log").is_file());
    s.click("#copy-diagnostics").await;
    let text = s.wait_for("the diagnostics", "return document.getElementById('diagnostics-text')?.textContent;").await;
    let text = text.as_str().unwrap();
    let info = s.invoke("app_info", json!({})).await;
    let base = info["ok"]["profile"]["base_url"].as_str().unwrap();
    let sandbox = sandbox_get(&format!("{base}/__sandbox/info")).await;
    // How the page is painted follows this machine: without a GPU render node, by the CPU, and
    // WebKit's processes are told to set up no GPU buffer sharing either.
    let gpu = std::fs::read_dir("/dev/dri")
        .is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")));
    let painting = if gpu { "Painting: GPU (composited)" } else { "Painting: CPU, no GPU found" };
    for want in [
        format!("KefuDesk {}", env!("CARGO_PKG_VERSION")),
        "WebKitGTK".into(),
        "Official Account".into(),
        "sandbox".into(),
        "kefudesk.log".into(),
        painting.into(),
    ] {
        assert!(text.contains(&want), "diagnostics lack {want}: {text}");
    }
    let web = driver.web_process_environment();
    for switch in ["WEBKIT_DISABLE_COMPOSITING_MODE=1", "WEBKIT_DISABLE_DMABUF_RENDERER=1"] {
        assert_eq!(web.iter().any(|v| v == switch), !gpu, "{switch} in the web process (GPU: {gpu})");
    }
    let token = sandbox_token(base).await;
    assert!(
        !text.contains(sandbox["secret"].as_str().unwrap()) && !text.contains(&token),
        "a secret in the diagnostics: {text}"
    );
    s.js("document.getElementById('diagnostics-text').scrollIntoView({block: 'end'}); return true;", json!([])).await;
    s.screenshot("settings-help-zh").await;
    s.close().await;
    driver.wait_app_gone().await;

    // Opened again: where it was left.
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;
    assert_eq!(s.window_rect().await, placed, "the window came back where it was left");
    s.close().await;
    driver.wait_app_gone().await;

    // Saved where only a corner would show (a monitor unplugged or rearranged since): it opens
    // where it can be seen instead.
    let mut off = saved.clone();
    off["main"]["x"] = json!(1260);
    off["main"]["y"] = json!(840);
    std::fs::write(&state_file, off.to_string()).unwrap();
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;
    let [x, y, w, h] = s.window_rect().await;
    assert_eq!([w, h], [1000, 660], "the size is kept");
    assert!(x >= 0 && y >= 0 && x + w <= 1280 && y + h <= 860, "the window opened on the 1280×860 screen: {x},{y}");
    s.close().await;
    let _ = std::fs::remove_dir_all(&fake_bin);
}

/// A start while the running KefuDesk is closing — it still holds the instance and takes the
/// hand-over, but goes away without answering — waits for it to go and then opens, instead of
/// crashing; if whatever holds the instance keeps refusing, or never answers, the start says so
/// in a message box.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_start_while_the_running_app_closes_waits_for_it() {
    let driver = Driver::start(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "en_US.UTF-8")]);
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;
    // The instance is a name on the session bus, held by the running app.
    let bus = zbus::blocking::Connection::session().unwrap();
    let dbus = zbus::blocking::fdo::DBusProxy::new(&bus).unwrap();
    let name = dbus
        .list_names()
        .unwrap()
        .into_iter()
        .map(|n| n.to_string())
        .find(|n| n.starts_with("app.kefudesk.desktop.c"))
        .expect("the app holds its instance name");
    let owner_pid = |dbus: &zbus::blocking::fdo::DBusProxy| {
        let owner = dbus.get_name_owner(name.as_str().try_into().unwrap()).ok()?;
        dbus.get_connection_unix_process_id(owner.into()).ok()
    };
    assert_eq!(owner_pid(&dbus), driver.app_processes().first().copied(), "the app holds {name}");
    // The app is gone; a stand-in takes its name.
    let take_name = |what: &'static str| {
        let name = name.clone();
        async move {
            let stand_in = zbus::blocking::Connection::session().unwrap();
            wait_until(
                10,
                || stand_in.request_name(name.as_str()).is_ok(),
                || format!("{what}: {name} was not released"),
            )
            .await;
            stand_in
        }
    };
    for pid in driver.app_processes() {
        // SAFETY: a plain kill(2) of a process this test's driver started.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
    driver.wait_app_gone().await;

    // Like an app in the middle of closing, the stand-in takes the hand-over and disconnects
    // without answering. The start tries again, and opens once the name is free: the same
    // process (it starts itself again in place) now holds the instance and shows its window.
    // Waits on `conn` for a start's hand-over (which it never answers); true once it came.
    let await_hand_over = |conn: zbus::blocking::Connection| {
        std::thread::spawn(move || {
            zbus::blocking::MessageIterator::from(&conn).any(|m| {
                m.is_ok_and(|m| m.header().member().is_some_and(|member| member.as_str() == "ExecuteCallback"))
            })
        })
    };
    let closing = take_name("closing").await;
    // Given the only handle: `closing` is dropped once asked, disconnected without an answer.
    let handed_over = await_hand_over(closing);
    // A start that ends while awaited fails the test, with what it said.
    let still_running = |start: &mut std::process::Child, said: String| {
        assert!(start.try_wait().unwrap().is_none(), "the start ended: {said}");
        true
    };
    let mut started = driver.spawn_app("start-stderr.log");
    let stderr = || std::fs::read_to_string(driver.home.join("start-stderr.log")).unwrap_or_default();
    wait_until(
        20,
        || still_running(&mut started, stderr()) && handed_over.is_finished(),
        || format!("no hand-over was tried: {}", stderr()),
    )
    .await;
    assert!(handed_over.join().unwrap());
    let pid = started.id();
    wait_until(
        20,
        || {
            still_running(&mut started, stderr())
                && owner_pid(&dbus) == Some(pid)
                && kefu_e2e::app_window_shown()
                && stderr().contains("KefuDesk started")
        },
        || format!("the start did not open: {}", stderr()),
    )
    .await;
    assert!(stderr().contains("did not answer"), "{}", stderr());
    // Started again in place, it chose how to paint afresh (not as if the user had set it).
    assert!(!stderr().contains("asks"), "{}", stderr());
    kefu_e2e::save_screenshot("start-after-closing").await;
    started.kill().unwrap();
    started.wait().unwrap();

    // Held by something that refuses the hand-over (it answers "no such object"): after three
    // seconds of trying, the start says so in words and waits for the user — it does not open
    // a second KefuDesk beside it.
    let refusing = take_name("refusing").await;
    let _ = refusing.object_server();
    let mut blocked = driver.spawn_app("blocked-stderr.log");
    let said = || std::fs::read_to_string(driver.home.join("blocked-stderr.log")).unwrap_or_default();
    wait_until(
        30,
        || still_running(&mut blocked, said()) && said().contains("does not answer") && kefu_e2e::app_window_shown(),
        || format!("no message: {}", said()),
    )
    .await;
    kefu_e2e::save_screenshot("start-refused-message").await;
    assert_eq!(owner_pid(&dbus), Some(std::process::id()), "the name is still the stand-in's");
    blocked.kill().unwrap();
    blocked.wait().unwrap();
    drop(refusing);

    // Held by something that takes the hand-over and never answers, like a KefuDesk stopped
    // with Ctrl+Z: the start does not wait for ever, unseen. After 5 s it says so, naming the
    // process that holds the instance, and waits for the user; it opens no second KefuDesk.
    let frozen = take_name("frozen").await;
    // Given a clone: `frozen` keeps the connection open, and nothing answers.
    let asked = await_hand_over(frozen.clone());
    let mut waiting = driver.spawn_app("frozen-stderr.log");
    let said = || std::fs::read_to_string(driver.home.join("frozen-stderr.log")).unwrap_or_default();
    wait_until(
        20,
        || still_running(&mut waiting, said()) && asked.is_finished(),
        || format!("no hand-over was tried: {}", said()),
    )
    .await;
    assert!(asked.join().unwrap());
    wait_until(
        30,
        || {
            still_running(&mut waiting, said())
                && said().contains("has not answered for 5 s")
                && kefu_e2e::app_window_shown()
        },
        || format!("no message: {}", said()),
    )
    .await;
    assert!(said().contains(&format!("pid={}", std::process::id())), "the holder is named: {}", said());
    kefu_e2e::save_screenshot("start-frozen-message").await;
    assert_eq!(owner_pid(&dbus), Some(std::process::id()), "the name is still the stand-in's");
    waiting.kill().unwrap();
    waiting.wait().unwrap();
    drop(frozen);
}

/// Left maximised, KefuDesk opens maximised, and "restore" gives back the size and place it had
/// before. Maximising is the window manager's work, so Openbox manages the display here.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_window_left_maximised_opens_maximised() {
    let driver = Driver::start(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "en_US.UTF-8")]);
    let _wm = WindowManager::start(&driver).await;

    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;
    s.set_window_rect([60, 50, 1000, 660]).await;
    let placed = s.window_rect().await;
    assert_eq!(placed[2..], [1000, 660], "the window took the size it was given");
    driver
        .wait_window_state("the placed window was not saved", |m| m["width"] == 1000 && m["maximized"] == false)
        .await;
    s.maximize().await;
    let full = s
        .wait_window_rect("the maximised window does not fill the 1280×860 screen", |r| r[2] >= 1270 && r[3] >= 760)
        .await;
    // Saved as it changed: maximised, and the size to restore to is still the one before.
    driver
        .wait_window_state("the maximised window was not saved", |m| {
            m["maximized"] == true && m["width"] == 1000 && m["height"] == 660
        })
        .await;
    s.close().await;
    driver.wait_app_gone().await;

    // Opened again, twice (a start must not forget what the one before it remembered):
    // maximised, and the page is laid out for the whole screen.
    for start in 1..=2 {
        let s = Session::new(&driver).await;
        s.wait_for("the agents table", AGENT_ROW).await;
        // Openbox puts a maximised window's frame at 0 or -1 from one start to the next.
        s.wait_window_rect(
            &format!("start {start}: the window did not open maximised like {full:?}"),
            |[x, y, w, h]| x.abs() <= 1 && y.abs() <= 1 && [w, h] == full[2..],
        )
        .await;
        s.wait_for("the page at the maximised width", &format!("return innerWidth === {};", full[2])).await;
        if start == 1 {
            s.screenshot("window-maximised").await;
        }
        s.close().await;
        driver.wait_app_gone().await;
    }
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", AGENT_ROW).await;

    // Restored: the size and place from before it was maximised.
    s.restore().await;
    s.wait_window_rect(&format!("restoring did not give back {placed:?}"), |r| r == placed).await;
    driver.wait_window_state("the restored window was not saved", |m| m["maximized"] == false).await;
    s.close().await;
}
