//! How the web view paints, chosen once at start-up before WebKitGTK loads.
//!
//! WebKitGTK composites the page with OpenGL. On a machine with no GPU — a virtual machine, a
//! remote desktop, a CI runner — Mesa emulates one on the CPU (llvmpipe), which costs about
//! 100 MiB in the web process (the LLVM JIT and GL buffers) and paints no faster than drawing the
//! page with the CPU directly. There KefuDesk asks WebKitGTK to paint without compositing
//! (`WEBKIT_DISABLE_COMPOSITING_MODE`, WebKitGTK's own switch) and not to set up its DMA-BUF
//! renderer (`WEBKIT_DISABLE_DMABUF_RENDERER`), which shares GPU buffers between its processes
//! and has none to share then: 3 MiB less in the app's process. With a GPU nothing changes, and
//! a value the user has set for either variable is always left as it is (`0` forces
//! compositing).

use std::sync::OnceLock;

/// WebKitGTK's switch: set and not `0`, the page is painted without compositing.
pub const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// WebKitGTK's switch for its DMA-BUF renderer (GPU buffers shared with the web process).
pub const DMABUF_SWITCH: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// How the page is painted, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Painting {
    /// A GPU render node is there: WebKitGTK's default, composited with OpenGL.
    Gpu,
    /// No GPU: painted by the CPU without compositing.
    CpuNoGpu,
    /// The user set the switch; it decides.
    UserSet { composited: bool },
    /// Not WebKitGTK (Windows, macOS): the system's web view decides for itself.
    WebViewDecides,
}

impl Painting {
    /// The switches KefuDesk sets (to `1`) for this choice, given whether the user has set the
    /// DMA-BUF one.
    fn switches(self, user_set_dmabuf: bool) -> Vec<&'static str> {
        match self {
            Painting::CpuNoGpu if user_set_dmabuf => vec![SWITCH],
            Painting::CpuNoGpu => vec![SWITCH, DMABUF_SWITCH],
            _ => vec![],
        }
    }

    /// The line Copy diagnostics shows.
    pub fn describe(self) -> String {
        match self {
            Painting::Gpu => "GPU (composited)".into(),
            Painting::CpuNoGpu => format!("CPU, no GPU found ({SWITCH}=1)"),
            Painting::UserSet { composited: true } => format!("GPU (composited), as {SWITCH}=0 asks"),
            Painting::UserSet { composited: false } => format!("CPU, as {SWITCH} asks"),
            Painting::WebViewDecides => "as the web view decides".into(),
        }
    }
}

/// WebKitGTK's choice for a user value of the switch (if any) and whether a GPU render node
/// exists.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn choose(user_value: Option<&str>, gpu: bool) -> Painting {
    match user_value {
        Some(v) => Painting::UserSet { composited: v == "0" },
        None if gpu => Painting::Gpu,
        None => Painting::CpuNoGpu,
    }
}

static CHOSEN: OnceLock<(Painting, Vec<&'static str>)> = OnceLock::new();

/// Chooses how to paint and sets the switches if needed. Call first thing in `run`, while the
/// process has one thread (it sets environment variables) and before any web view exists.
pub fn init() {
    #[cfg(target_os = "linux")]
    let chosen = choose(std::env::var(SWITCH).ok().as_deref(), has_gpu());
    #[cfg(not(target_os = "linux"))]
    let chosen = Painting::WebViewDecides;
    let switches = chosen.switches(std::env::var_os(DMABUF_SWITCH).is_some());
    for switch in &switches {
        std::env::set_var(switch, "1");
    }
    let _ = CHOSEN.set((chosen, switches));
}

/// The switches `init` set itself (a start again in place must not pass them on as the
/// user's).
pub fn set_here() -> &'static [&'static str] {
    CHOSEN.get().map_or(&[], |(_, switches)| switches.as_slice())
}

/// The choice `init` made (the web view's own before it ran).
pub fn chosen() -> Painting {
    CHOSEN.get().map_or(Painting::WebViewDecides, |(painting, _)| *painting)
}

/// A DRM render node (`/dev/dri/renderD*`) is how Mesa and the GPU drivers offer a GPU to a
/// program; without one, OpenGL is the CPU emulation.
#[cfg(target_os = "linux")]
fn has_gpu() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_gpu_the_page_is_painted_by_the_cpu_and_no_gpu_buffers_are_set_up() {
        assert_eq!(choose(None, false), Painting::CpuNoGpu);
        assert_eq!(choose(None, false).switches(false), [SWITCH, DMABUF_SWITCH]);
        // The user's own DMA-BUF choice stands.
        assert_eq!(choose(None, false).switches(true), [SWITCH]);
    }

    #[test]
    fn with_a_gpu_webkit_keeps_its_default() {
        assert_eq!(choose(None, true), Painting::Gpu);
        assert!(choose(None, true).switches(false).is_empty());
    }

    #[test]
    fn a_value_the_user_set_is_never_overridden() {
        // "0" forces compositing even without a GPU; any other value turns it off even with one.
        assert_eq!(choose(Some("0"), false), Painting::UserSet { composited: true });
        assert_eq!(choose(Some("1"), true), Painting::UserSet { composited: false });
        assert!(choose(Some("0"), false).switches(false).is_empty());
        assert!(choose(Some("1"), true).switches(false).is_empty());
    }

    #[test]
    fn diagnostics_say_which_and_why() {
        assert_eq!(Painting::Gpu.describe(), "GPU (composited)");
        assert_eq!(Painting::CpuNoGpu.describe(), "CPU, no GPU found (WEBKIT_DISABLE_COMPOSITING_MODE=1)");
        assert_eq!(
            Painting::UserSet { composited: true }.describe(),
            "GPU (composited), as WEBKIT_DISABLE_COMPOSITING_MODE=0 asks"
        );
    }
}
