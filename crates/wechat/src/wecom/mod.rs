//! Typed client of WeCom 微信客服 (developer.work.weixin.qq.com/document/path/94638 and the
//! pages it links). Each file holds one group of endpoints, mirroring `kefu_sandbox::wecom`;
//! all of them go through the shared [`Transport`].

mod accounts;
mod contact_way;
mod customers;
mod media;
mod messages;
mod service_state;
mod servicers;
mod statistics;
mod window;

pub use accounts::{KfAccount, ACCOUNT_LIST_PAGE};
pub use contact_way::{valid_scene, SCENE_MAX_BYTES};
pub use customers::{Customers, KfCustomer, CUSTOMERS_PER_CALL};
pub use media::{MediaKind, Uploaded};
pub use messages::{valid_msgid, KfMessage, SyncPage};
pub use service_state::{ServiceState, SessionState};
pub use servicers::{ItemResult, Servicer, ServicerList, SERVICERS_PER_CALL};
pub use statistics::{DayStatistic, MAX_DAYS_PER_CALL};
pub use window::{replies, Replies, REPLIES_PER_WINDOW, WINDOW_SECS};

use super::error::{ApiError, Platform};
use super::http::ClientConfig;
use super::token::TokenSource;
use super::transport::Transport;

/// The WeCom client of one corp profile.
#[derive(Debug)]
pub struct WecomClient {
    t: Transport,
}

impl WecomClient {
    pub fn new(cfg: ClientConfig, source: TokenSource) -> Result<Self, ApiError> {
        Ok(WecomClient { t: Transport::new(cfg, Platform::Wecom, source)? })
    }

    pub fn transport(&self) -> &Transport {
        &self.t
    }
}

/// `{"errcode":0,"errmsg":"ok"}`.
#[derive(Debug, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Ack {}
