//! The Official Account 客服 domain: agents — the merged list and the add flow (`agents`), chat
//! records over any date range (`records`), the live picture of sessions and the waiting queue
//! (`sessions`), and statistics computed from the records (`stats`). The WeChat calls themselves
//! are `wechat::mp`.

pub mod agents;
pub mod records;
pub mod sessions;
pub mod stats;
