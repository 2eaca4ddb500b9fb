//! The WeCom 微信客服 domain: kf accounts with their avatars (`accounts`), the local message
//! archive (`archive`), conversations — reading messages as they arrive, replying within WeCom's
//! rules (`conversations`) — and statistics read from WeCom's statistics calls (`stats`). The
//! WeChat calls themselves are `wechat::wecom`.

pub mod accounts;
pub mod archive;
pub mod conversations;
pub mod stats;
