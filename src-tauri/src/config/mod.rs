//! Non-secret configuration: the profiles document (`model`) and how it is kept on disk
//! (`store`). Secrets are never here: see `crate::secrets`.

pub mod model;
pub mod store;

pub use model::{
    insecure_address, is_sandbox, upgrade_v1, validate, validate_connection, validate_groups, Account, ConfigDoc,
    Group, Profile, ServerLink, TokenMode, SANDBOX_ID, WECOM_SANDBOX_ID,
};
