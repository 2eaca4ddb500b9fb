//! The built-in WeChat sandboxes: stateful simulations of the Official Account 客服 API (`mp`)
//! and of WeCom 微信客服 (`wecom`) over real HTTP on 127.0.0.1, each on its own port with its
//! own state, faithful to WeChat's docs — paths, methods, errcodes, quirks. They are the app's
//! training and demo mode and the test bed of every client test; any WeChat client can use them.
//!
//! Module map (mirrors `kefu_wechat`): `mp/` and `wecom/` each hold their sandbox — `world`
//! (state), `seed` (demo data), the endpoints by group, `control` (the `/__sandbox/*`
//! endpoints for trainers and tests), `wire` (errmsg texts). Shared above them: `faults`
//! (fault injection + request counts), `guard` (local-only, content types), `rng`, `avatar`
//! (drawn demo pictures) and `wire` (the error value and JSON replies).

pub mod avatar;
pub mod faults;
pub mod guard;
pub mod mp;
pub mod rng;
pub mod wecom;
pub mod wire;

use axum::Router;
use tokio::net::TcpListener;

pub use faults::{Fault, FaultInjection, FaultKind};

/// Serves `app` on `listener` in the background (every sandbox, whatever its platform).
pub(crate) fn serve(listener: TcpListener, app: Router) {
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
}
