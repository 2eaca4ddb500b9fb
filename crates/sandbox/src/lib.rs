//! The built-in WeChat sandbox: a stateful simulation of the Official Account customer-service
//! API over real HTTP on 127.0.0.1, faithful to reference mp §8 — paths, methods, errcodes,
//! quirks. It is the app's training and demo mode and the test bed of every client test.
//!
//! Module map (mirrors `kefu_wechat`): `world` (state), `seed` (demo data), `mp/*`
//! (endpoints by group), `faults` (fault injection + request counts), `control` (the
//! `/__sandbox/*` endpoints for trainers and tests), `wire` (errmsg texts, replies).

pub mod avatar;
pub mod control;
pub mod faults;
pub mod guard;
pub mod history;
pub mod mp;
pub mod rng;
pub mod seed;
pub mod wecom;
pub mod wire;
pub mod world;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::DefaultBodyLimit;
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;

pub use faults::{Fault, FaultInjection, FaultKind};
use wire::{error_body, json_response, WxErr, WxResult};
pub use world::World;

/// The demo Official Account's AppID.
pub const DEMO_APPID: &str = "wx5a9d6e0c1b2f3a47";
/// The demo AppSecret. Not a secret: the sandbox prints it so that any client can connect.
pub const DEMO_SECRET: &str = "kefudesk0sandbox0demo0secret0000";
/// The demo Official Account's WeChat ID (the `@suffix` of every kf account).
pub const DEMO_OA_WECHAT_ID: &str = "kefudesk_demo";

/// How a sandbox is set up.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub appid: String,
    pub secret: String,
    pub oa_wechat_id: String,
    /// Seed of the demo data; the same seed gives the same data.
    pub seed: u64,
    /// Whether to create the demo agents, customers, sessions and records.
    pub demo_data: bool,
    /// Lifetime of issued tokens (WeChat: 7200).
    pub token_ttl_secs: i64,
    /// How long an invite stays valid (not documented by WeChat).
    pub invite_ttl_secs: i64,
    /// How many kf accounts (of any Official Account) one WeChat user may bind.
    pub max_bindings_per_wx: u32,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            appid: DEMO_APPID.into(),
            secret: DEMO_SECRET.into(),
            oa_wechat_id: DEMO_OA_WECHAT_ID.into(),
            seed: 20261123,
            demo_data: true,
            token_ttl_secs: 7200,
            invite_ttl_secs: 7 * 24 * 3600,
            max_bindings_per_wx: 5,
        }
    }
}

/// Shared state behind every sandbox route.
#[derive(Clone)]
pub struct Sbx {
    world: Arc<Mutex<World>>,
    faults: faults::SharedFaults,
    serial: Arc<AtomicU64>,
}

impl Sbx {
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().expect("sandbox world lock")
    }

    /// Turns a result into WeChat's answer (errors as HTTP 200 + errcode + errmsg with rid).
    pub fn reply(&self, r: WxResult) -> Response {
        match r {
            Ok(v) => json_response(&v),
            Err(e) => json_response(&error_body(&e, self.serial.fetch_add(1, Ordering::Relaxed) * 7919 + 17)),
        }
    }

    /// A business endpoint: checks the access_token and the account switches, then runs `f`
    /// on the world. `kf` endpoints also answer 65400 when customer service is not enabled.
    pub fn business(&self, q: &HashMap<String, String>, kf: bool, f: impl FnOnce(&mut World) -> WxResult) -> Response {
        let mut w = self.world();
        let r = guard(&w, q, kf).and_then(|_| f(&mut w));
        drop(w);
        self.reply(r)
    }

    /// The checks of [`Sbx::business`] alone, for endpoints that must read the request first.
    pub fn check(&self, q: &HashMap<String, String>, kf: bool) -> Result<(), WxErr> {
        guard(&self.world(), q, kf)
    }
}

fn guard(w: &World, q: &HashMap<String, String>, kf: bool) -> Result<(), WxErr> {
    w.check_token(q.get("access_token").map(String::as_str))?;
    if w.flags.unverified {
        return Err(WxErr::new(48001));
    }
    if kf && w.flags.kf_disabled {
        return Err(WxErr::new(65400));
    }
    Ok(())
}

/// A running sandbox.
#[derive(Clone)]
pub struct SandboxHandle {
    pub addr: SocketAddr,
    sbx: Sbx,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, to use as the API base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn appid(&self) -> String {
        self.sbx.world().cfg.appid.clone()
    }

    /// The sandbox's own AppSecret (a demo value, not a user's secret).
    pub fn secret(&self) -> String {
        self.sbx.world().cfg.secret.clone()
    }

    pub fn oa_wechat_id(&self) -> String {
        self.sbx.world().cfg.oa_wechat_id.clone()
    }

    /// Direct access to the simulated account, for tests and the app's training features.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.sbx.world()
    }
}

impl FaultInjection for SandboxHandle {
    fn shared_faults(&self) -> &faults::SharedFaults {
        &self.sbx.faults
    }
}

/// Starts a sandbox on `127.0.0.1:port` (0 = any free port) on the current tokio runtime.
pub async fn start(cfg: SandboxConfig, port: u16) -> std::io::Result<SandboxHandle> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let mut world = World::new(cfg);
    world.base_url = format!("http://{addr}");
    if world.cfg.demo_data {
        seed::populate(&mut world);
    }
    let sbx = Sbx {
        world: Arc::new(Mutex::new(world)),
        faults: Arc::new(Mutex::new(faults::Faults::for_platform(kefu_wechat::Platform::Mp))),
        serial: Arc::new(AtomicU64::new(1)),
    };
    serve(listener, router(sbx.clone()));
    tracing::info!(%addr, "WeChat sandbox listening");
    Ok(SandboxHandle { addr, sbx })
}

impl axum::extract::FromRef<Sbx> for faults::SharedFaults {
    fn from_ref(s: &Sbx) -> Self {
        s.faults.clone()
    }
}

/// Serves `app` on `listener` in the background (every sandbox, whatever its platform).
pub(crate) fn serve(listener: TcpListener, app: Router) {
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
}

fn router(sbx: Sbx) -> Router {
    let faults = sbx.faults.clone();
    mp::routes()
        .merge(control::routes())
        .merge(faults::routes())
        .fallback(mp::invalid_url)
        .method_not_allowed_fallback(mp::require_post)
        .layer(DefaultBodyLimit::max(16 * 1024 * 1024))
        .layer(axum::middleware::from_fn(guard::local_only))
        .layer(axum::middleware::from_fn_with_state(faults, faults::layer))
        .with_state(sbx)
}
