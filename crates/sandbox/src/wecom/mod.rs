//! The WeCom 微信客服 half of the built-in sandbox: a stateful simulation of qyapi.weixin.qq.com's
//! kf API over real HTTP on 127.0.0.1, on its own port with its own state, faithful to the
//! official docs (developer.work.weixin.qq.com/document/path/94638 and linked pages): paths,
//! methods, errcodes with WeCom's errmsg suffix, limits and quirks.
//!
//! Module map (mirrors `kefu_wechat::wecom`): `world` + `conversation` (state), `seed` (demo
//! corp), `token`, `media`, `accounts`, `contact_way`, `servicers`, `service_state`,
//! `messages`, `customers`, `statistics` (endpoints), `control` (`/__sandbox/*`), `callbacks`
//! (POSTing `kf_msg_or_event` to a corp's callback server), `wire` (errmsg texts). Fault injection and request counts are shared with the MP sandbox.

mod accounts;
pub mod callbacks;
mod contact_way;
mod control;
pub mod conversation;
mod customers;
mod media;
mod messages;
pub mod seed;
mod service_state;
mod servicers;
mod statistics;
mod token;
pub mod wire;
pub mod world;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;

use super::faults::{self, FaultInjection, Faults, SharedFaults};
use super::wire::{json_response, WxErr, WxResult};
use kefu_wechat::Platform;
pub use world::World;

/// The demo corp's CorpID.
pub const DEMO_CORP_ID: &str = "ww5a9d6e0c1b2f3a47";
/// The demo secret of the app allowed to call 微信客服. Public by design: the sandbox prints it.
pub const DEMO_CORP_SECRET: &str = "kefudesk-wecom-sandbox-demo-secret-0000000";

#[derive(Debug, Clone)]
pub struct WecomConfig {
    pub corp_id: String,
    pub secret: String,
    pub seed: u64,
    /// Whether to create the demo directory, accounts and servicers.
    pub demo_data: bool,
    /// gettoken's `expires_in` (WeCom: 7200).
    pub token_ttl_secs: i64,
    /// A verified corp may have 5 000 kf accounts; an unverified one 10.
    pub verified: bool,
}

impl Default for WecomConfig {
    fn default() -> Self {
        WecomConfig {
            corp_id: DEMO_CORP_ID.into(),
            secret: DEMO_CORP_SECRET.into(),
            seed: 20261126,
            demo_data: true,
            token_ttl_secs: 7200,
            verified: true,
        }
    }
}

pub type Q = Query<HashMap<String, String>>;

/// Shared state behind every WeCom sandbox route.
#[derive(Clone)]
pub struct WecomSbx {
    world: Arc<Mutex<World>>,
    faults: SharedFaults,
    serial: Arc<AtomicU64>,
}

impl axum::extract::FromRef<WecomSbx> for SharedFaults {
    fn from_ref(s: &WecomSbx) -> Self {
        s.faults.clone()
    }
}

impl WecomSbx {
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().expect("wecom sandbox lock")
    }

    /// WeCom's answer: errors as HTTP 200 + errcode + errmsg with the hint suffix.
    pub fn reply(&self, r: WxResult) -> Response {
        match r {
            Ok(v) => json_response(&v),
            Err(e) => json_response(&wire::error_body(&e, self.serial.fetch_add(1, Ordering::Relaxed))),
        }
    }

    /// A business endpoint: the access_token (query only) and the trusted-IP switch, then `f`.
    pub fn business(&self, q: &HashMap<String, String>, f: impl FnOnce(&mut World) -> WxResult) -> Response {
        let mut w = self.world();
        let r = guard(&w, q).and_then(|_| f(&mut w));
        drop(w);
        self.reply(r)
    }

    /// The checks of [`WecomSbx::business`] alone, for endpoints that must read the request first.
    pub fn check(&self, q: &HashMap<String, String>) -> Result<(), WxErr> {
        guard(&self.world(), q)
    }
}

fn guard(w: &World, q: &HashMap<String, String>) -> Result<(), WxErr> {
    w.check_token(q.get("access_token").map(String::as_str))?;
    if w.flags.ip_untrusted {
        return Err(WxErr::new(60020));
    }
    Ok(())
}

/// A running WeCom sandbox.
#[derive(Clone)]
pub struct WecomSandboxHandle {
    pub addr: SocketAddr,
    sbx: WecomSbx,
}

impl WecomSandboxHandle {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn corp_id(&self) -> String {
        self.sbx.world().cfg.corp_id.clone()
    }

    /// The sandbox's own secret (a demo value, not a user's secret).
    pub fn secret(&self) -> String {
        self.sbx.world().cfg.secret.clone()
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        self.sbx.world()
    }
}

impl FaultInjection for WecomSandboxHandle {
    fn shared_faults(&self) -> &SharedFaults {
        &self.sbx.faults
    }
}

/// Starts a WeCom sandbox on `127.0.0.1:port` (0 = any free port) on the current tokio runtime.
pub async fn start(cfg: WecomConfig, port: u16) -> std::io::Result<WecomSandboxHandle> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let mut world = World::new(cfg);
    world.base_url = format!("http://{addr}");
    if world.cfg.demo_data {
        seed::populate(&mut world);
    }
    let (outbox, queue) = tokio::sync::mpsc::unbounded_channel();
    world.callback_outbox = Some(outbox);
    let sbx = WecomSbx {
        world: Arc::new(Mutex::new(world)),
        faults: Arc::new(Mutex::new(Faults::for_platform(Platform::Wecom))),
        serial: Arc::new(AtomicU64::new(1)),
    };
    callbacks::spawn_sender(sbx.clone(), queue);
    super::serve(listener, router(sbx.clone()));
    tracing::info!(%addr, "WeCom sandbox listening");
    Ok(WecomSandboxHandle { addr, sbx })
}

fn router(sbx: WecomSbx) -> Router {
    let faults = sbx.faults.clone();
    Router::new()
        .route("/cgi-bin/gettoken", get(token::gettoken))
        .route("/cgi-bin/media/upload", post(media::upload))
        .route("/cgi-bin/media/get", get(media::get))
        .route("/cgi-bin/kf/account/add", post(accounts::add))
        .route("/cgi-bin/kf/account/del", post(accounts::del))
        .route("/cgi-bin/kf/account/update", post(accounts::update))
        // POST with offset/limit today; the body-less GET of 2021–2022 that older SDKs still send.
        .route("/cgi-bin/kf/account/list", post(accounts::list).get(accounts::list_legacy))
        .route("/cgi-bin/kf/add_contact_way", post(contact_way::add_contact_way))
        .route("/cgi-bin/kf/servicer/add", post(servicers::add))
        .route("/cgi-bin/kf/servicer/del", post(servicers::del))
        .route("/cgi-bin/kf/servicer/list", get(servicers::list))
        .route("/cgi-bin/kf/get_corp_qualification", get(accounts::qualification))
        .route("/cgi-bin/kf/service_state/get", post(service_state::get))
        .route("/cgi-bin/kf/service_state/trans", post(service_state::trans))
        .route("/cgi-bin/kf/sync_msg", post(messages::sync_msg))
        .route("/cgi-bin/kf/send_msg", post(messages::send_msg))
        .route("/cgi-bin/kf/send_msg_on_event", post(messages::send_msg_on_event))
        .route("/cgi-bin/kf/customer/batchget", post(customers::batchget))
        .route("/cgi-bin/kf/customer/get_upgrade_service_config", get(customers::upgrade_config))
        .route("/cgi-bin/kf/customer/upgrade_service", post(customers::upgrade))
        .route("/cgi-bin/kf/customer/cancel_upgrade_service", post(customers::cancel_upgrade))
        .route("/cgi-bin/kf/get_corp_statistic", post(statistics::corp))
        .route("/cgi-bin/kf/get_servicer_statistic", post(statistics::servicer))
        .route("/wwhead/{open_kfid}/{version}", get(accounts::avatar))
        .route("/wxavatar/{external_userid}", get(accounts::customer_avatar))
        .merge(control::routes())
        .merge(faults::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(32 * 1024 * 1024))
        .layer(axum::middleware::from_fn(crate::guard::local_only))
        .layer(axum::middleware::from_fn_with_state(faults, faults::layer))
        .with_state(sbx)
}

/// A path qyapi does not serve.
async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// A GET on a POST endpoint arrives without a body: 40058 (document/path/90313, 40058).
async fn wrong_method(State(s): State<WecomSbx>) -> Response {
    s.reply(Err(WxErr::new(40058)))
}
