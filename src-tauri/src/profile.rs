//! The profile in use: who it is and its WeChat client (one per platform, on the shared
//! transport), built from a saved profile and its secrets — or for a built-in sandbox. Domain
//! code that talks to WeChat takes this, not the app's state.

use std::time::Duration;

use crate::config::{Account, Profile, TokenMode, SANDBOX_ID, WECOM_SANDBOX_ID};
use crate::sandbox::mp::MpSandboxHandle;
use crate::sandbox::wecom::WecomSandboxHandle;
use crate::secrets::SecretKind;
use crate::wechat::mp::MpClient;
use crate::wechat::transport::Transport;
use crate::wechat::wecom::WecomClient;
use crate::wechat::{ApiError, ClientConfig, Platform, Secret, TokenSource};

/// The active profile's client: one per platform, both on the shared transport.
#[derive(Debug)]
pub enum Client {
    Mp(MpClient),
    Wecom(WecomClient),
}

impl Client {
    pub fn platform(&self) -> Platform {
        match self {
            Client::Mp(_) => Platform::Mp,
            Client::Wecom(_) => Platform::Wecom,
        }
    }

    pub fn transport(&self) -> &Transport {
        match self {
            Client::Mp(c) => c.transport(),
            Client::Wecom(c) => c.transport(),
        }
    }
}

/// The profile in use.
pub struct ActiveProfile {
    pub id: String,
    pub name: String,
    /// The Official Account's WeChat ID, the `@suffix` of its kf accounts (`""` on WeCom).
    pub oa_wechat_id: String,
    pub client: Client,
}

impl ActiveProfile {
    /// The built-in Official Account sandbox, talking to `sb` over loopback HTTP like any live
    /// account; `timeout` replaces the whole-request timeout (tests of a hung server).
    pub fn sandbox(sb: &MpSandboxHandle, timeout: Option<Duration>) -> Result<Self, ApiError> {
        let source = TokenSource::MpStable { appid: sb.appid(), secret: Secret::new(sb.secret()) };
        let mp = MpClient::new(sandbox_config(sb.base_url(), timeout), source)?;
        Ok(ActiveProfile {
            id: SANDBOX_ID.into(),
            name: "Sandbox".into(),
            oa_wechat_id: sb.oa_wechat_id(),
            client: Client::Mp(mp),
        })
    }

    /// The built-in WeCom sandbox.
    pub fn wecom_sandbox(sb: &WecomSandboxHandle, timeout: Option<Duration>) -> Result<Self, ApiError> {
        let source = TokenSource::WecomCorp { corpid: sb.corp_id(), secret: Secret::new(sb.secret()) };
        let c = WecomClient::new(sandbox_config(sb.base_url(), timeout), source)?;
        Ok(ActiveProfile {
            id: WECOM_SANDBOX_ID.into(),
            name: "Sandbox".into(),
            oa_wechat_id: String::new(),
            client: Client::Wecom(c),
        })
    }

    /// A saved profile with its secret (the AppSecret or corp secret, or the relay's optional
    /// credential) and its proxy's password, if any.
    pub fn live(
        p: &Profile,
        secret: Option<Secret>,
        proxy_password: Option<Secret>,
        timeout: Option<Duration>,
    ) -> Result<Self, ApiError> {
        Ok(ActiveProfile {
            id: p.id.clone(),
            name: p.name.clone(),
            oa_wechat_id: p.oa_wechat_id().to_string(),
            client: client_for(p, secret, proxy_password.as_ref(), timeout)?,
        })
    }

    pub fn platform(&self) -> Platform {
        self.client.platform()
    }
}

fn sandbox_config(base_url: String, timeout: Option<Duration>) -> ClientConfig {
    let mut cfg = ClientConfig::new(base_url);
    if let Some(t) = timeout {
        cfg.timeout = t;
    }
    cfg
}

/// The WeChat client a profile describes (`timeout` replaces the whole-request timeout).
pub fn client_for(
    p: &Profile,
    secret: Option<Secret>,
    proxy_password: Option<&Secret>,
    timeout: Option<Duration>,
) -> Result<Client, ApiError> {
    let mut cfg = match (p.api_base.as_deref().filter(|b| !b.trim().is_empty()), p.platform()) {
        (Some(base), _) => ClientConfig::new(base.trim()),
        (None, Platform::Mp) => ClientConfig::mp_default(),
        (None, Platform::Wecom) => ClientConfig::wecom_default(),
    };
    if let Some(t) = timeout {
        cfg.timeout = t;
    }
    cfg.proxy = p
        .proxy
        .clone()
        .filter(|x| !x.trim().is_empty())
        .map(|x| crate::secrets::with_proxy_password(&x, proxy_password));
    let no_secret = || ApiError::Config { detail: "no secret".into() };
    let source = match (&p.token, &p.account) {
        (TokenMode::AppSecret, Account::Mp { app_id, .. }) => {
            TokenSource::MpStable { appid: app_id.clone(), secret: secret.ok_or_else(no_secret)? }
        }
        (TokenMode::AppSecret, Account::Wecom { corp_id, .. }) => {
            TokenSource::WecomCorp { corpid: corp_id.clone(), secret: secret.ok_or_else(no_secret)? }
        }
        (TokenMode::Relay { url }, _) => TokenSource::Relay { url: url.clone(), bearer: secret },
    };
    Ok(match p.platform() {
        Platform::Mp => Client::Mp(MpClient::new(cfg, source)?),
        Platform::Wecom => Client::Wecom(WecomClient::new(cfg, source)?),
    })
}

/// The secret a profile's token source needs.
pub fn secret_kind(p: &Profile) -> SecretKind {
    match p.token {
        TokenMode::AppSecret => SecretKind::AppSecret,
        TokenMode::Relay { .. } => SecretKind::RelayCredential,
    }
}
