//! The WeCom 微信客服 domain: the local message archive (`archive`), conversations — reading
//! messages as they arrive, replying within WeCom's rules (`conversations`) — and statistics
//! read from WeCom's statistics calls (`stats`). The WeChat calls themselves are `wechat::wecom`.

pub mod archive;
pub mod conversations;
pub mod stats;
