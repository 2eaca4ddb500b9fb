//! The Official Account 客服 sandbox: a stateful simulation of the customer-service API over
//! real HTTP on 127.0.0.1, faithful to the official docs (developers.weixin.qq.com/doc/offiaccount
//! → 客服消息): paths, methods, errcodes, quirks.
//!
//! Module map (mirrors `kefu_wechat::mp`): `world` (state), `seed` (demo data), `history`
//! (bulk chat records), `token`, `accounts`, `sessions`, `records`, `messages` (endpoints, with
//! WeChat's exact paths and methods — the `/cgi-bin` prefix only where WeChat has it),
//! `control` (`/__sandbox/*`), `callbacks` (pushing customers' messages to the account's
//! server), `wire` (errmsg texts, request bodies).

mod accounts;
pub mod callbacks;
pub mod control;
pub mod history;
mod messages;
mod records;
pub mod seed;
mod sessions;
mod token;
pub mod wire;
pub mod world;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;

pub use accounts::{respond_to_invite, valid_wechat_id};
pub use messages::send_message;
pub use sessions::{close_session, create_session};
pub use world::World;

use crate::faults::{self, FaultInjection};
use crate::wire::{json_response, WxErr, WxResult};
use crate::{guard, serve};
use wire::error_body;

/// The demo Official Account's AppID.
pub const DEMO_APPID: &str = "wx5a9d6e0c1b2f3a47";
/// The demo AppSecret. Not a secret: the sandbox prints it so that any client can connect.
pub const DEMO_SECRET: &str = "kefudesk0sandbox0demo0secret0000";
/// The demo Official Account's WeChat ID (the `@suffix` of every kf account).
pub const DEMO_OA_WECHAT_ID: &str = "kefudesk_demo";

/// How a sandbox is set up.
#[derive(Debug, Clone)]
pub struct MpConfig {
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

impl Default for MpConfig {
    fn default() -> Self {
        MpConfig {
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
pub struct MpSbx {
    world: Arc<Mutex<World>>,
    faults: faults::SharedFaults,
    serial: Arc<AtomicU64>,
}

impl MpSbx {
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
        let r = check_request(&w, q, kf).and_then(|_| f(&mut w));
        drop(w);
        self.reply(r)
    }

    /// The checks of [`MpSbx::business`] alone, for endpoints that must read the request first.
    pub fn check(&self, q: &HashMap<String, String>, kf: bool) -> Result<(), WxErr> {
        check_request(&self.world(), q, kf)
    }
}

fn check_request(w: &World, q: &HashMap<String, String>, kf: bool) -> Result<(), WxErr> {
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
pub struct MpSandboxHandle {
    pub addr: SocketAddr,
    sbx: MpSbx,
}

impl MpSandboxHandle {
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

impl FaultInjection for MpSandboxHandle {
    fn shared_faults(&self) -> &faults::SharedFaults {
        &self.sbx.faults
    }
}

/// Starts a sandbox on `127.0.0.1:port` (0 = any free port) on the current tokio runtime.
pub async fn start(cfg: MpConfig, port: u16) -> std::io::Result<MpSandboxHandle> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let mut world = World::new(cfg);
    world.base_url = format!("http://{addr}");
    if world.cfg.demo_data {
        seed::populate(&mut world);
    }
    let sbx = MpSbx {
        world: Arc::new(Mutex::new(world)),
        faults: Arc::new(Mutex::new(faults::Faults::for_platform(kefu_wechat::Platform::Mp))),
        serial: Arc::new(AtomicU64::new(1)),
    };
    serve(listener, router(sbx.clone()));
    tracing::info!(%addr, "WeChat sandbox listening");
    Ok(MpSandboxHandle { addr, sbx })
}

impl axum::extract::FromRef<MpSbx> for faults::SharedFaults {
    fn from_ref(s: &MpSbx) -> Self {
        s.faults.clone()
    }
}

fn router(sbx: MpSbx) -> Router {
    let faults = sbx.faults.clone();
    routes()
        .merge(control::routes())
        .merge(faults::routes())
        .fallback(invalid_url)
        .method_not_allowed_fallback(require_post)
        .layer(DefaultBodyLimit::max(16 * 1024 * 1024))
        .layer(axum::middleware::from_fn(guard::local_only))
        .layer(axum::middleware::from_fn_with_state(faults, faults::layer))
        .with_state(sbx)
}

pub type Q = Query<HashMap<String, String>>;

pub fn routes() -> Router<MpSbx> {
    Router::new()
        .route("/cgi-bin/token", get(token::cgi_token))
        .route("/cgi-bin/stable_token", post(token::stable_token))
        .route("/cgi-bin/customservice/getkflist", get(accounts::kf_list).post(accounts::kf_list))
        .route("/cgi-bin/customservice/getonlinekflist", get(accounts::online_list).post(accounts::online_list))
        .route("/customservice/kfaccount/add", post(accounts::add))
        .route("/customservice/kfaccount/update", post(accounts::update))
        // All three shapes seen in the wild: POST JSON, GET with query, POST `[]` + query.
        .route("/customservice/kfaccount/del", get(accounts::del).post(accounts::del))
        .route("/customservice/kfaccount/uploadheadimg", post(accounts::upload_head_img))
        .route("/customservice/kfaccount/inviteworker", post(accounts::invite))
        .route("/sandbox-media/headimg/{kf_id}/{file}", get(accounts::head_img))
        .route("/customservice/kfsession/create", post(sessions::create))
        .route("/customservice/kfsession/close", post(sessions::close))
        .route("/customservice/kfsession/getsession", get(sessions::get_session).post(sessions::get_session))
        .route("/customservice/kfsession/getsessionlist", get(sessions::session_list).post(sessions::session_list))
        .route("/customservice/kfsession/getwaitcase", get(sessions::wait_case).post(sessions::wait_case))
        .route("/customservice/msgrecord/getmsglist", post(records::msg_list))
        .route("/cgi-bin/message/custom/send", post(messages::send))
        .route("/cgi-bin/message/custom/typing", post(messages::typing))
}

/// Any path WeChat does not have (a misplaced `/cgi-bin`, a typo): 40066.
pub async fn invalid_url(State(s): State<MpSbx>) -> Response {
    s.reply(Err(WxErr::new(40066)))
}

/// A GET on a POST-only endpoint: 43002.
pub async fn require_post(State(s): State<MpSbx>) -> Response {
    s.reply(Err(WxErr::new(43002)))
}
