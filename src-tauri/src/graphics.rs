//! How the web view paints, chosen once at start-up before WebKitGTK loads.
//!
//! WebKitGTK composites the page with OpenGL. On a machine with no GPU — a virtual machine, a
//! remote desktop, a CI runner — Mesa emulates one on the CPU (llvmpipe), which costs about
//! 100 MiB in the web process (the LLVM JIT and GL buffers) and paints no faster than drawing the
//! page with the CPU directly. There KefuDesk asks WebKitGTK to paint without compositing
//! (`WEBKIT_DISABLE_COMPOSITING_MODE`, WebKitGTK's own switch). With a GPU nothing changes, and a
//! value the user has set for that variable is always left as it is (`0` forces compositing).

use std::sync::OnceLock;

/// WebKitGTK's switch: set and not `0`, the page is painted without compositing.
pub const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

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
    /// Whether KefuDesk must set the switch for this choice.
    fn sets_switch(self) -> bool {
        self == Painting::CpuNoGpu
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

static CHOSEN: OnceLock<Painting> = OnceLock::new();

/// Chooses how to paint and sets the switch if needed. Call first thing in `run`, while the
/// process has one thread (it sets an environment variable) and before any web view exists.
pub fn init() {
    #[cfg(target_os = "linux")]
    let chosen = choose(std::env::var(SWITCH).ok().as_deref(), has_gpu());
    #[cfg(not(target_os = "linux"))]
    let chosen = Painting::WebViewDecides;
    if chosen.sets_switch() {
        std::env::set_var(SWITCH, "1");
    }
    let _ = CHOSEN.set(chosen);
}

/// Whether `init` set the switch itself (a start again in place must not pass it on as the
/// user's).
pub fn switch_set_here() -> bool {
    chosen().sets_switch()
}

/// The choice `init` made (the web view's own before it ran).
pub fn chosen() -> Painting {
    CHOSEN.get().copied().unwrap_or(Painting::WebViewDecides)
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
    fn without_a_gpu_the_page_is_painted_by_the_cpu() {
        assert_eq!(choose(None, false), Painting::CpuNoGpu);
        assert!(choose(None, false).sets_switch());
    }

    #[test]
    fn with_a_gpu_webkit_keeps_its_default() {
        assert_eq!(choose(None, true), Painting::Gpu);
        assert!(!choose(None, true).sets_switch());
    }

    #[test]
    fn a_value_the_user_set_is_never_overridden() {
        // "0" forces compositing even without a GPU; any other value turns it off even with one.
        assert_eq!(choose(Some("0"), false), Painting::UserSet { composited: true });
        assert_eq!(choose(Some("1"), true), Painting::UserSet { composited: false });
        assert!(!choose(Some("0"), false).sets_switch());
        assert!(!choose(Some("1"), true).sets_switch());
    }

    #[test]
    fn diagnostics_say_which_and_why() {
        assert_eq!(Painting::Gpu.describe(), "GPU (composited)");
        assert_eq!(Painting::CpuNoGpu.describe(), "CPU, no GPU found (WEBKIT_DISABLE_COMPOSITING_MODE=1)");
        assert_eq!(Painting::UserSet { composited: true }.describe(), "GPU (composited), as WEBKIT_DISABLE_COMPOSITING_MODE=0 asks");
    }
}
