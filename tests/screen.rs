//! Screenshots taken from the X server: the window as the user sees it.
//!
//! Not WebDriver's screenshot: WebKitWebDriver's waits for the page's next presentation update,
//! and when the page is painted without compositing (KefuDesk's choice on machines with no GPU,
//! like the CI machine) that update sometimes never comes — after a table has shrunk and the
//! window is then resized, every later screenshot hangs while the window keeps painting.

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, ImageFormat, MapState, Window};
use x11rb::rust_connection::RustConnection;

/// The KefuDesk window's pixels as RGB rows, once it shows something (not one colour: a window
/// just opened is black until it paints) and two captures 100 ms apart agree (it has finished
/// painting; at most 10 s of that). A window that stays blank for 20 s fails the test.
pub fn capture_window() -> image::RgbImage {
    let (conn, screen) = x11rb::connect(None).expect("the X display (DISPLAY) answers");
    let root = conn.setup().roots[screen].root;
    let (sw, sh) =
        (conn.setup().roots[screen].width_in_pixels as i32, conn.setup().roots[screen].height_in_pixels as i32);
    let started = Instant::now();
    let mut last: Option<image::RgbImage> = None;
    loop {
        let win = app_window(&conn, root).expect("the KefuDesk window is on the X display");
        let geo = conn.get_geometry(win).unwrap().reply().unwrap();
        let at = conn.translate_coordinates(win, root, 0, 0).unwrap().reply().unwrap();
        // The part of the window that is on the screen.
        let (x0, y0) = ((at.dst_x as i32).max(0), (at.dst_y as i32).max(0));
        let (x1, y1) = ((at.dst_x as i32 + geo.width as i32).min(sw), (at.dst_y as i32 + geo.height as i32).min(sh));
        assert!(x1 > x0 && y1 > y0, "the KefuDesk window is off the screen");
        let (w, h) = ((x1 - x0) as u16, (y1 - y0) as u16);
        let img = conn.get_image(ImageFormat::Z_PIXMAP, root, x0 as i16, y0 as i16, w, h, !0).unwrap().reply().unwrap();
        let bpp = img.data.len() / (w as usize * h as usize);
        assert!(bpp == 4, "a 24-bit X screen (4 bytes a pixel), got {bpp}");
        // Little-endian 24-bit TrueColor: blue, green, red, pad.
        let rgb = img.data.chunks_exact(4).flat_map(|p| [p[2], p[1], p[0]]).collect();
        let shot = image::RgbImage::from_raw(w as u32, h as u32, rgb).unwrap();
        let blank = shot.pixels().all(|p| p == shot.get_pixel(0, 0));
        assert!(!blank || started.elapsed() < Duration::from_secs(20), "the KefuDesk window stays blank");
        if !blank && (last.as_ref() == Some(&shot) || started.elapsed() > Duration::from_secs(10)) {
            return shot;
        }
        last = Some(shot);
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether a KefuDesk window (the main one or a message box) is shown on the X display.
pub fn app_window_shown() -> bool {
    let (conn, screen) = x11rb::connect(None).expect("the X display (DISPLAY) answers");
    let root = conn.setup().roots[screen].root;
    app_window(&conn, root).is_some()
}

/// The viewable window whose WM_CLASS names kefudesk (searched below the root, so also inside a
/// window manager's frame).
fn app_window(conn: &RustConnection, root: Window) -> Option<Window> {
    let mut todo = vec![(root, 0)];
    while let Some((w, depth)) = todo.pop() {
        // A window may go while this looks (an app closing): it is skipped, not the search.
        let Ok(Ok(class)) = conn.get_property(false, w, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 64).map(|c| c.reply())
        else {
            continue;
        };
        let Ok(Ok(attributes)) = conn.get_window_attributes(w).map(|c| c.reply()) else { continue };
        if attributes.map_state == MapState::VIEWABLE
            && String::from_utf8_lossy(&class.value).to_lowercase().contains("kefudesk")
        {
            return Some(w);
        }
        if depth < 3 {
            if let Ok(Ok(tree)) = conn.query_tree(w).map(|c| c.reply()) {
                todo.extend(tree.children.into_iter().map(|c| (c, depth + 1)));
            }
        }
    }
    None
}
