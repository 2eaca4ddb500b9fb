//! The WeCom message archive: what `sync_msg` read, kept in SQLite beyond WeCom's 3 days, per
//! profile. `store` (schema, atomic page + cursor writes, search), `export` (CSV), `sync` (the reader of
//! document/path/94670 §7.5: open_kfid always, loop on has_more, cursor persisted with its page).

pub mod export;
pub mod store;
pub mod sync;

pub use store::{Archive, ArchivedMessage, Query};
pub use sync::{sync_account, SyncError, SyncReport};
