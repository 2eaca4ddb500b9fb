//! The WeCom message archive: what `sync_msg` read, kept in SQLite beyond WeCom's 3 days, per
//! profile. `store` (schema, atomic page + cursor writes, search), `conversations` (what the
//! Conversations page reads; customers and states cached), `export` (CSV), `open` (the file of one corp; an unreadable one set aside), `sync` (the reader of
//! document/path/94670: open_kfid always, loop on has_more, cursor persisted with its page).

pub mod conversations;
pub mod export;
pub mod open;
pub mod store;
pub mod sync;

pub use conversations::{CachedCustomer, CachedState, ConversationRow, SendWindow};
pub use store::{Archive, ArchivedMessage, Query, ORIGIN_APP};
pub use sync::{sync_account, sync_pages, SyncError, SyncReport};
