//! Typed client of the Official Account customer-service API (reference mp §2–§6).
//! Each file holds one group of endpoints; all of them go through [`Transport`].

mod accounts;
mod messages;
mod records;
mod sessions;

pub use accounts::{KfAccount, OnlineKf};
pub use messages::CustomMessage;
pub use records::{MsgPage, MsgRecord, MAX_RECORDS_PER_CALL, MAX_WINDOW_SECS};
pub use sessions::{CustomerSession, KfSession, WaitCase, WaitCases};

use super::error::{ApiError, Platform};
use super::http::ClientConfig;
use super::token::TokenSource;
use super::transport::Transport;

/// The Official Account client of one profile.
#[derive(Debug)]
pub struct MpClient {
    t: Transport,
}

impl MpClient {
    pub fn new(cfg: ClientConfig, source: TokenSource) -> Result<Self, ApiError> {
        Ok(MpClient { t: Transport::new(cfg, Platform::Mp, source)? })
    }

    pub fn transport(&self) -> &Transport {
        &self.t
    }
}

/// `{"errcode":0,"errmsg":"ok"}` — write endpoints answer nothing else.
#[derive(Debug, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
struct Ack {}
