//! Official Account 客服 commands, one file per page: agents (kf accounts, invites) and their
//! groups, sessions and the waiting queue, chat records, statistics, and the staff's notes on
//! customers. Thin: they check input, call the domain (`crate::mp`) or `wechat::mp` and map
//! errors to [`CommandError`](crate::error::CommandError).

pub mod agents;
pub mod customers;
pub mod groups;
pub mod records;
pub mod sessions;
pub mod stats;
