//! Starting the WeCom reader of the active profile, once per profile: which archive (in memory
//! for the built-in sandbox, a file per corp otherwise — an unreadable or another corp's file
//! set aside, and the user told once), which callback relay, and the welcome words to send.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::relay::Relay;
use super::{PollerConfig, Reader};
use crate::config::WECOM_SANDBOX_ID;
use crate::error::Fault;
use crate::profile::ActiveProfile;
use crate::sentences::S;
use crate::state::AppState;
use crate::wechat::wecom::WecomClient;
use crate::wecom::archive::open::{open_for_corp, SetAside};
use crate::wecom::archive::Archive;

/// The welcome words 欢迎语 per kf account that the configuration holds for `profile`.
pub fn welcome_words(state: &AppState, profile: &str) -> BTreeMap<String, String> {
    state.config().welcome.get(profile).cloned().unwrap_or_default()
}

/// The WeCom reader of the active WeCom profile, started on first use. The built-in sandbox's
/// archive lives in memory (the sandbox starts afresh with every run); a saved profile's is a
/// file in the data directory. A profile served by the built-in sandbox reads through its relay.
pub fn reader(state: &AppState, profile: &Arc<ActiveProfile>, client: &WecomClient) -> Result<Arc<Reader>, Fault> {
    state.reader_for(profile, || {
        let base = client.transport().config().base_url.trim_end_matches('/').to_string();
        let sandbox = state.wecom_sandbox().filter(|sb| profile.id == WECOM_SANDBOX_ID || sb.base_url() == base);
        // The company's relay when the profile names one; the built-in sandbox relays its own.
        let saved = state.config().profiles.into_iter().find(|x| x.id == profile.id);
        // KefuDesk Server's feed is a cheap question to the team's database: asked every second.
        let cfg = match saved.as_ref().and_then(|x| x.server.as_ref()) {
            Some(_) => PollerConfig { relay_every: std::time::Duration::from_secs(1), ..PollerConfig::default() },
            None => PollerConfig::default(),
        };
        let (corp_id, configured) = match saved.map(|x| x.account) {
            Some(crate::config::Account::Wecom { corp_id, callback_relay }) => (corp_id, callback_relay),
            _ => (String::new(), None),
        };
        let relay = configured
            .or_else(|| sandbox.map(|sb| format!("{}/__sandbox/relay/callbacks", sb.base_url())))
            .map(|url| {
                let relay = Relay::new(url, client.transport().config())?;
                Ok(match client.transport().tokens().relay() {
                    Some((token_url, bearer)) => relay.with_token_relay(token_url, bearer),
                    None => relay,
                })
            })
            .transpose()
            .map_err(Fault::Api)?;
        if profile.id == WECOM_SANDBOX_ID {
            let archive = Archive::in_memory().map_err(|e| super::poller::archive_fault(&e.to_string()))?;
            let reader = Reader::start(profile.clone(), Arc::new(archive), relay, PollerConfig::default());
            reader.set_welcomes(welcome_words(state, &profile.id));
            return Ok(Arc::new(reader));
        }
        let dir = state.data_dir().ok_or_else(|| Fault::internal("no data directory"))?.join("archive");
        let opened = open_for_corp(&dir.join(format!("{}.sqlite", profile.id)), &corp_id)
            .map_err(|e| super::poller::archive_fault(&e.to_string()))?;
        let reader = Reader::start(profile.clone(), Arc::new(opened.archive), relay, cfg)
            .with_media_dir(dir.join(format!("{}-media", profile.id)))
            .with_notice(opened.notice.map(|n| set_aside_notice(&n)));
        reader.set_welcomes(welcome_words(state, &profile.id));
        Ok(Arc::new(reader))
    })
}

/// What the user is told, once, when the archive that was there is no longer used.
fn set_aside_notice(n: &SetAside) -> Fault {
    match n {
        SetAside::Unreadable { kept } => {
            Fault::other_with("archive_set_aside", S::ArchiveSetAside, [("path", kept.display().to_string())])
        }
        SetAside::OtherCorp { kept } => {
            Fault::other_with("archive_other_corp", S::ArchiveOtherCorp, [("path", kept.display().to_string())])
        }
    }
}
