//! Non-secret configuration: the profiles document (`model`) and how it is kept on disk
//! (`store`). Secrets are never here: see `crate::secrets`.

pub mod model;
pub mod store;

pub use model::{validate, validate_connection, validate_groups, ConfigDoc, Group, Profile, TokenMode, SANDBOX_ID};
