//! What the running app holds: the user's language and the active profile (its WeChat client,
//! and the built-in sandbox when that is the profile).

use std::sync::{Arc, RwLock};

use crate::i18n::Lang;
use crate::sandbox::SandboxHandle;
use crate::wechat::mp::MpClient;
use crate::wechat::{ClientConfig, Secret, TokenSource};

/// The profile in use.
pub struct ActiveProfile {
    pub name: String,
    /// The Official Account's WeChat ID, the `@suffix` of its kf accounts.
    pub oa_wechat_id: String,
    pub mp: MpClient,
    /// Set when this profile is the built-in sandbox.
    pub sandbox: Option<SandboxHandle>,
}

impl ActiveProfile {
    /// The built-in sandbox profile, talking to `sb` over loopback HTTP like any live account.
    pub fn sandbox(sb: SandboxHandle) -> Result<Self, crate::wechat::ApiError> {
        let source = TokenSource::MpStable { appid: sb.appid(), secret: Secret::new(sb.secret()) };
        let mp = MpClient::new(ClientConfig::new(sb.base_url()), source)?;
        Ok(ActiveProfile { name: "Sandbox".into(), oa_wechat_id: sb.oa_wechat_id(), mp, sandbox: Some(sb) })
    }
}

#[derive(Default)]
pub struct AppState {
    lang: RwLock<Lang>,
    profile: RwLock<Option<Arc<ActiveProfile>>>,
    /// Why there is no profile, when starting one failed.
    startup_error: RwLock<Option<String>>,
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        AppState { lang: RwLock::new(lang), ..Default::default() }
    }

    pub fn lang(&self) -> Lang {
        *self.lang.read().expect("lang lock")
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.write().expect("lang lock") = lang;
    }

    pub fn profile(&self) -> Option<Arc<ActiveProfile>> {
        self.profile.read().expect("profile lock").clone()
    }

    pub fn set_profile(&self, p: ActiveProfile) {
        *self.profile.write().expect("profile lock") = Some(Arc::new(p));
    }

    pub fn startup_error(&self) -> Option<String> {
        self.startup_error.read().expect("startup lock").clone()
    }

    pub fn set_startup_error(&self, e: String) {
        *self.startup_error.write().expect("startup lock") = Some(e);
    }
}
