//! Desktop conventions for the main window: one running KefuDesk per user (starting it again
//! brings the running window forward: two instances writing one config file or archive is how
//! data gets lost), and the window's size, position and maximised state remembered between
//! starts — saved as it changes, so a crash keeps it too, and never restored off-screen.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::sentences::S;
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags, WindowExt};

/// What is remembered of the window.
pub fn flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The single-instance plugin; register it before any other plugin. A second start is turned
/// into bringing this window forward, and the second process exits.
pub fn single_instance<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, _argv, _cwd| {
        tracing::info!("KefuDesk was started again: bringing the running window forward instead");
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.unminimize();
            let _ = w.show();
            let _ = w.set_focus();
        }
    });
    #[cfg(target_os = "linux")]
    let builder = builder.dbus_id(linux_instance_name());
    builder.build()
}

/// What the single-instance plugin (2.x, `platform_impl/linux.rs`) fails with when another
/// KefuDesk holds the instance name but does not take the hand-over: most often it is closing at
/// that very moment (the name is still its own, its answer never comes).
const NOT_ANSWERING: &str = "failed to forward arguments to the running instance";
/// Starts again while that lasts: every 300 ms, for 3 s in all.
const RETRY_EVERY: Duration = Duration::from_millis(300);
const ATTEMPTS: u32 = 10;
/// Counts the starts again across `exec`; read and cleared first thing by [`take_start_attempt`].
const ATTEMPT_VAR: &str = "KEFUDESK_START_ATTEMPT";
static START_ATTEMPT: AtomicU32 = AtomicU32::new(0);
/// How long a start waits for the running KefuDesk to take the hand-over. A working one answers
/// at once and one that is closing makes the hand-over fail (see [`start_failed`]); one that is
/// stopped (Ctrl+Z in a terminal, a debugger) or frozen keeps the connection and never answers,
/// and the plugin's call has no time limit: without this, the start would wait for ever, unseen.
const HAND_OVER_LIMIT: Duration = Duration::from_secs(5);
/// Set by [`watch_hand_over`] when it gives up: the process of the KefuDesk that does not answer.
const HELD_VAR: &str = "KEFUDESK_HELD_BY";
/// Set once this start has gone one way or the other: let through by the single-instance
/// plugin, or telling the user why it cannot open.
static DECIDED: AtomicBool = AtomicBool::new(false);

/// Reads (and removes, so that nothing the app starts inherits it) how many times this start
/// has been tried. Call first thing, while the process has one thread. A start that
/// [`watch_hand_over`] gave up on only says so, and exits.
pub fn take_start_attempt() {
    let attempt = std::env::var(ATTEMPT_VAR).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    std::env::remove_var(ATTEMPT_VAR);
    START_ATTEMPT.store(attempt, Ordering::Relaxed);
    if let Some(held_by) = std::env::var(HELD_VAR).ok().and_then(|v| v.parse().ok()) {
        std::env::remove_var(HELD_VAR);
        say_not_responding(Some(held_by));
    }
}

/// The single-instance plugin has let this start through: it is the running KefuDesk now.
pub fn started() {
    DECIDED.store(true, Ordering::Relaxed);
}

/// Gives the hand-over to the running KefuDesk [`HAND_OVER_LIMIT`]: if by then this start has
/// neither been let through ([`started`]) nor ended, and another process holds the instance, the
/// start tells the user that one does not respond. The plugin's call cannot be interrupted, so
/// this starts the process again in place (`exec`) with only that to say.
pub fn watch_hand_over() {
    #[cfg(target_os = "linux")]
    std::thread::spawn(|| {
        std::thread::sleep(HAND_OVER_LIMIT);
        if DECIDED.load(Ordering::Relaxed) {
            return;
        }
        let Some(holder) = instance_holder().filter(|&pid| pid != std::process::id()) else { return };
        tracing::error!(
            pid = holder,
            "another KefuDesk holds the instance and has not answered for 5 s: it does not answer"
        );
        start_again(|again| {
            again.env(HELD_VAR, holder.to_string());
        });
    });
}

/// The app could not be built. If another KefuDesk holds the instance but does not answer,
/// this process starts itself again shortly (by `exec`, as a new start: the failed one has
/// already set up GTK); after 3 s of that it tells the user and exits. Anything else is a bug.
pub fn start_failed(error: tauri::Error) -> ! {
    let text = error.to_string();
    if !text.contains(NOT_ANSWERING) {
        panic!("error while starting KefuDesk: {text}");
    }
    let attempt = START_ATTEMPT.load(Ordering::Relaxed) + 1;
    if attempt < ATTEMPTS {
        tracing::info!(attempt, "the running KefuDesk did not answer (closing?): starting again shortly");
        std::thread::sleep(RETRY_EVERY);
        start_again(|again| {
            again.env(ATTEMPT_VAR, attempt.to_string());
        });
    }
    tracing::error!(%text, "another KefuDesk holds the instance and does not answer");
    say_not_responding(instance_holder())
}

/// Replaces this process with a new start of KefuDesk, with the same arguments and what `with`
/// adds. Returns only if that could not be done.
fn start_again(with: impl FnOnce(&mut std::process::Command)) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let exe = std::env::current_exe().unwrap_or_else(|_| "kefudesk".into());
        let mut again = std::process::Command::new(exe);
        again.args(std::env::args_os().skip(1));
        // The new start chooses how to paint afresh, not as if the user had set it.
        for switch in crate::graphics::set_here() {
            again.env_remove(switch);
        }
        with(&mut again);
        let error = again.exec();
        tracing::warn!(%error, "could not start again");
    }
    #[cfg(not(unix))]
    let _ = with;
}

/// Tells the user, in a message box in their language, that a KefuDesk (process `held_by`,
/// when known) is running but does not respond and what to do; exits when they close it.
fn say_not_responding(held_by: Option<u32>) -> ! {
    DECIDED.store(true, Ordering::Relaxed);
    let lang = crate::i18n::Lang::from_os();
    let process = held_by
        .map(|pid| {
            crate::sentences::fill(lang, S::ProcessNumber, &[("pid", pid.to_string())])
                .replace("{pid}", &pid.to_string())
        })
        .unwrap_or_default();
    let message = crate::sentences::fill(lang, S::NotResponding, &[("process", process)]);
    #[cfg(target_os = "linux")]
    if gtk::init().is_ok() {
        use gtk::prelude::{DialogExt, GtkWindowExt};
        let dialog = gtk::MessageDialog::new(
            None::<&gtk::Window>,
            gtk::DialogFlags::MODAL,
            gtk::MessageType::Warning,
            gtk::ButtonsType::Ok,
            &message,
        );
        dialog.set_title("KefuDesk");
        dialog.run();
        dialog.close();
        std::process::exit(1)
    }
    eprintln!("{message}");
    std::process::exit(1)
}

/// The process that holds this user's KefuDesk instance on the session bus, if any.
#[cfg(target_os = "linux")]
fn instance_holder() -> Option<u32> {
    let bus = zbus::blocking::Connection::session().ok()?;
    let dbus = zbus::blocking::fdo::DBusProxy::new(&bus).ok()?;
    let name = zbus::names::BusName::try_from(instance_bus_name()).ok()?;
    let owner = dbus.get_name_owner(name).ok()?;
    dbus.get_connection_unix_process_id(owner.into()).ok()
}

#[cfg(not(target_os = "linux"))]
fn instance_holder() -> Option<u32> {
    None
}

/// The bus name the plugin holds: the instance name with its suffix.
#[cfg(target_os = "linux")]
fn instance_bus_name() -> String {
    format!("{}.SingleInstance", linux_instance_name())
}

/// On Linux the instance is a name on the user's D-Bus session. It is made from the
/// configuration directory, since that is what two instances must not share: one user's
/// desktop has one, so a second start always finds the first; a test run with its own HOME
/// has its own.
#[cfg(target_os = "linux")]
fn linux_instance_name() -> String {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config")))
        .unwrap_or_default();
    // FNV-1a: stable across runs and builds (std's hasher is not).
    let hash = config
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    format!("app.kefudesk.desktop.c{hash:016x}")
}

/// The main window is created hidden (`tauri.conf.json`) and shown as its page starts loading.
/// Shown before that, GTK paints it while WebKit's web process is still being connected, and
/// WebKitGTK (painting without compositing) then waits up to half a second on the main thread
/// for that process's first frame, holding up the page load with it: one launch in two took
/// 0.5 s longer (`make bench-app`: median 0.97 s before, 0.49 s after).
pub fn show_when_loading<R: Runtime>(webview: &tauri::Webview<R>, payload: &tauri::webview::PageLoadPayload<'_>) {
    if payload.event() == tauri::webview::PageLoadEvent::Started && webview.label() == "main" {
        show_if_hidden(&webview.window());
    }
}

/// If the page never starts loading, the window is shown anyway after this long: a start
/// never leaves the user with no window.
const SHOW_AT_THE_LATEST: Duration = Duration::from_secs(5);

/// Shows `window` after [`SHOW_AT_THE_LATEST`] if [`show_when_loading`] has not.
pub fn show_at_the_latest<R: Runtime>(window: &WebviewWindow<R>) {
    let window = window.as_ref().window();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOW_AT_THE_LATEST).await;
        if show_if_hidden(&window) {
            tracing::warn!("the page had not started loading after 5 s: showing the window anyway");
        }
    });
}

/// Shows the window once (a page loaded again, a reload, leaves a minimised window as it is);
/// whether it was hidden.
fn show_if_hidden<R: Runtime>(window: &tauri::Window<R>) -> bool {
    let hidden = !window.is_visible().unwrap_or(true);
    if hidden {
        let _ = window.show();
    }
    hidden
}

/// The window-state plugin: restores the main window as it was left (size, position,
/// maximised) once [`restore_and_watch`] asks it to, and saves it at exit.
pub fn state_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::default().with_state_flags(flags()).skip_initial_state("main").build()
}

/// The window's place while it is neither maximised nor minimised: what "restore" gives back,
/// and what a maximised window must remember for the next start.
struct NormalPlace(Mutex<Option<(PhysicalPosition<i32>, PhysicalSize<u32>)>>);

/// Restores the main window's saved state, opens it where it can be seen if the saved place
/// would show less than a corner of it (a monitor unplugged since), and saves the state
/// whenever the window is moved or resized (half a second after the last change).
pub fn restore_and_watch<R: Runtime>(window: &WebviewWindow<R>) {
    let saved = saved_place(window.app_handle());
    if let Err(e) = window.restore_state(flags()) {
        tracing::warn!(error = %e, "the saved window position could not be restored");
    }
    let mut normal = saved;
    if let (Some((pos, size)), Ok(monitors)) = (saved, window.available_monitors()) {
        let primary = window.primary_monitor().ok().flatten().or_else(|| monitors.first().cloned());
        if let Some(screen) =
            primary.filter(|_| !monitors.iter().any(|m| visible_on(pos, size, *m.position(), *m.size())))
        {
            // The window is not shown yet, so it cannot centre itself: its size is the saved one.
            let at = centred(size, *screen.position(), *screen.size());
            tracing::info!(
                x = pos.x,
                y = pos.y,
                to_x = at.x,
                to_y = at.y,
                "the saved window place is off-screen: centring the window"
            );
            let _ = window.set_position(at);
            normal = Some((at, size));
        }
    }
    window.app_handle().manage(NormalPlace(Mutex::new(normal)));
    let generation = Arc::new(AtomicU64::new(0));
    let app = window.app_handle().clone();
    let watched = window.clone();
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
            let (generation, app, window) = (generation.clone(), app.clone(), watched.clone());
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if generation.load(Ordering::SeqCst) == mine {
                    note_normal_place(&window);
                    save(&app);
                }
            });
        }
    });
}

/// Records where the window is, if it is shown neither maximised nor minimised (read once the
/// window has settled: a window manager moves and resizes in several steps while maximising).
fn note_normal_place<R: Runtime>(window: &WebviewWindow<R>) {
    let settled = window.is_visible().unwrap_or(false)
        && !window.is_maximized().unwrap_or(true)
        && !window.is_minimized().unwrap_or(true);
    if let (true, Ok(pos), Ok(size)) = (settled, window.outer_position(), window.inner_size()) {
        if let Some(place) = window.app_handle().try_state::<NormalPlace>() {
            *place.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((pos, size));
        }
    }
}

/// Saves the window state, with the place to restore to when it is saved maximised.
///
/// The plugin keeps that place from the window's events: it loses the position when a window
/// manager moves the window in more than one step to maximise it, and takes the window's
/// default size as its size when the window opens maximised. So the place KefuDesk saw the
/// window settle in last replaces the plugin's in the saved file.
fn save<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Err(e) = app.save_window_state(flags()) {
        tracing::warn!(error = %e, "the window position could not be saved");
    }
    after_save(app);
}

/// Corrects the file the window-state plugin has just written (see [`save`]); also called at
/// exit, after the plugin's own save.
pub fn after_save<R: Runtime>(app: &tauri::AppHandle<R>) {
    let Some((pos, size)) = app.try_state::<NormalPlace>().and_then(|p| *p.0.lock().unwrap_or_else(|e| e.into_inner()))
    else {
        return;
    };
    let Some((path, mut saved)) = read_saved(app) else { return };
    let main = &mut saved["main"];
    if main["maximized"] != true {
        return;
    }
    for (k, v) in [
        ("x", pos.x as i64),
        ("prev_x", pos.x as i64),
        ("y", pos.y as i64),
        ("prev_y", pos.y as i64),
        ("width", size.width as i64),
        ("height", size.height as i64),
    ] {
        main[k] = v.into();
    }
    if let Err(e) = std::fs::write(&path, saved.to_string()) {
        tracing::warn!(error = %e, "the window position could not be saved");
    }
}

/// The main window's saved place to restore to (when it was saved maximised, the place it had
/// before), from the window-state plugin's file.
fn saved_place<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<(PhysicalPosition<i32>, PhysicalSize<u32>)> {
    let (_, saved) = read_saved(app)?;
    let main = &saved["main"];
    let int = |k: &str| main[k].as_i64();
    let (x, y) = if main["maximized"] == true { ("prev_x", "prev_y") } else { ("x", "y") };
    Some((
        PhysicalPosition::new(int(x)? as i32, int(y)? as i32),
        PhysicalSize::new(int("width")? as u32, int("height")? as u32),
    ))
}

/// The window-state plugin's file: its path and what it holds, if it can be read.
fn read_saved<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<(std::path::PathBuf, serde_json::Value)> {
    let path = app.path().app_config_dir().ok()?.join(app.filename());
    let saved = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    Some((path, saved))
}

/// Where a window of `size` sits centred on a screen at `at` × `screen` (its top-left corner
/// kept on the screen when the window is the larger).
pub fn centred(size: PhysicalSize<u32>, at: PhysicalPosition<i32>, screen: PhysicalSize<u32>) -> PhysicalPosition<i32> {
    let x = at.x + ((screen.width as i32 - size.width as i32) / 2).max(0);
    let y = at.y + ((screen.height as i32 - size.height as i32) / 2).max(0);
    PhysicalPosition::new(x, y)
}

/// Whether at least 100×50 physical pixels of a window at `pos` × `size` fall on a screen at
/// `at` × `screen` (enough to grab its title bar).
pub fn visible_on(
    pos: PhysicalPosition<i32>,
    size: PhysicalSize<u32>,
    at: PhysicalPosition<i32>,
    screen: PhysicalSize<u32>,
) -> bool {
    let left = pos.x.max(at.x);
    let right = (pos.x + size.width as i32).min(at.x + screen.width as i32);
    let top = pos.y.max(at.y);
    let bottom = (pos.y + size.height as i32).min(at.y + screen.height as i32);
    right - left >= 100 && bottom - top >= 50
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_as_on_screen_only_when_enough_of_it_shows() {
        let screen = (PhysicalPosition::new(0, 0), PhysicalSize::new(1920, 1080));
        let size = PhysicalSize::new(1180, 780);
        let on = |x, y| visible_on(PhysicalPosition::new(x, y), size, screen.0, screen.1);
        assert!(on(100, 100));
        assert!(on(-1000, 0), "partly off the left edge, 180 px still show");
        assert!(!on(-1100, 0), "80 px show: not enough to grab");
        assert!(!on(5000, 4000), "a monitor that was unplugged");
        assert!(!on(0, 1050), "only 30 px of the top show");
        // A second monitor to the right counts.
        assert!(visible_on(
            PhysicalPosition::new(2500, 200),
            size,
            PhysicalPosition::new(1920, 0),
            PhysicalSize::new(2560, 1440)
        ));
    }

    #[test]
    fn an_off_screen_window_is_centred_on_the_screen_it_is_moved_to() {
        let on = |size: (u32, u32), at: (i32, i32)| {
            centred(PhysicalSize::new(size.0, size.1), PhysicalPosition::new(at.0, at.1), PhysicalSize::new(1280, 860))
        };
        assert_eq!(on((1000, 660), (0, 0)), PhysicalPosition::new(140, 100));
        assert_eq!(on((1000, 660), (1920, 0)), PhysicalPosition::new(2060, 100), "a screen to the right");
        assert_eq!(
            on((1600, 900), (0, 0)),
            PhysicalPosition::new(0, 0),
            "larger than the screen: its corner stays on it"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_instance_name_is_a_valid_dbus_name_that_follows_the_config_directory() {
        let name = linux_instance_name();
        assert!(
            name.split('.').all(|e| !e.is_empty()
                && !e.starts_with(|c: char| c.is_ascii_digit())
                && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')),
            "{name}"
        );
        assert!(name.len() < 255);
    }
}
