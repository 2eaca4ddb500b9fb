//! WeCom 微信客服 commands, one file per page: kf accounts, contact links, servicers,
//! conversations, the message archive, welcome words. Thin:
//! they check input, call `wechat::wecom` and map errors to [`CommandError`].

pub mod accounts;
pub mod archive;
pub mod conversations;
pub mod links;
pub mod servicers;
pub mod stats;
pub mod welcome;
