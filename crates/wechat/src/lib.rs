//! WeChat API client: one transport shared by both platforms, typed endpoints per platform —
//! the KefuDesk desktop app and KefuDesk Server both use it.
//!
//! Module map (mirrored by `kefu_sandbox`): `callback` (the crypto of WeChat's callbacks), `clock` (Unix seconds, the tokens' movable clock),
//! `cst` (China Standard Time days), `http` (one exchange + decoding), `token` (token sources
//! and cache), `transport` (the request path with retries), `error` + `errcodes` (typed errors
//! and their explanations), `redact`, `de` (lenient decoders), `limits` (what WeChat accepts),
//! `mp` (Official Account customer service), `wecom` (WeCom 微信客服).

pub mod callback;
pub mod clock;
pub mod cst;
pub mod de;
pub mod errcodes;
pub mod error;
pub mod http;
pub mod limits;
pub mod mp;
pub mod redact;
pub mod token;
pub mod transport;
pub mod wecom;

pub use error::{ApiError, Platform};
pub use http::ClientConfig;
pub use token::{Secret, TokenSource};
