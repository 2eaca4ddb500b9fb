//! Statistics for both platforms: the Official Account's computed from its chat records, WeCom's
//! read from its statistics calls in the windows they allow.

pub mod mp;
pub mod wecom;
