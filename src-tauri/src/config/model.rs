//! The configuration document and its profiles (everything but secrets, which live only in the
//! OS keyring), with the validation a profile must pass before it is saved.

use crate::sentences::S;
use serde::{Deserialize, Serialize};

use crate::wechat::Platform;

/// Version 2: a profile is an Official Account or a WeCom corp (`platform` tag). Version 1
/// files (Official Accounts only) are upgraded on load by [`upgrade_v1`].
pub const CONFIG_VERSION: u64 = 2;
/// The id of the built-in Official Account sandbox profile, which always exists and cannot be
/// deleted. (Version 1 files use it for their groups, so it keeps its name.)
pub const SANDBOX_ID: &str = "sandbox";
/// The id of the built-in WeCom sandbox profile.
pub const WECOM_SANDBOX_ID: &str = "sandbox-wecom";

/// Whether `id` names one of the built-in sandbox profiles.
pub fn is_sandbox(id: &str) -> bool {
    id == SANDBOX_ID || id == WECOM_SANDBOX_ID
}

/// A version 1 document made version 2: every profile was an Official Account. Profiles,
/// groups and the active choice are kept as they are.
pub fn upgrade_v1(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(profiles) = v.get_mut("profiles").and_then(|p| p.as_array_mut()) {
        for p in profiles.iter_mut().filter_map(|p| p.as_object_mut()) {
            p.insert("platform".into(), "mp".into());
        }
    }
    v["version"] = CONFIG_VERSION.into();
    v
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConfigDoc {
    pub version: u64,
    /// The active profile's id; `None` means the built-in sandbox.
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    /// Agent groups by profile id (`sandbox` included): WeChat has none, so they live here.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub groups: std::collections::BTreeMap<String, Vec<Group>>,
    /// WeCom welcome words by profile id, then kf account: sent by themselves when a customer
    /// enters a conversation (the 20-second welcome_code).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub welcome: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Staff's own notes on customers (who they are: WeChat's kf API gives only an openid), by
    /// profile id, then openid.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub notes: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

impl Default for ConfigDoc {
    fn default() -> Self {
        ConfigDoc {
            version: CONFIG_VERSION,
            active: None,
            profiles: Vec::new(),
            groups: Default::default(),
            welcome: Default::default(),
            notes: Default::default(),
        }
    }
}

/// A local group (tag) of agents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Group {
    pub name: String,
    /// Full kf accounts.
    #[serde(default)]
    pub members: Vec<String>,
}

/// Checks a profile's groups: names 1–20 characters, unique; members listed once.
pub fn validate_groups(groups: &[Group]) -> Result<(), Invalid> {
    for (i, g) in groups.iter().enumerate() {
        let n = g.name.trim().chars().count();
        if n == 0 || n > 20 {
            return Err(invalid("group", S::GroupNameLength));
        }
        if groups[..i].iter().any(|o| o.name.trim() == g.name.trim()) {
            return Err(invalid("group", S::GroupNameTaken));
        }
    }
    Ok(())
}

/// How a profile obtains its access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TokenMode {
    /// AppSecret (in the keyring) with `stable_token`.
    #[default]
    AppSecret,
    /// A company token relay; its optional bearer credential is in the keyring.
    Relay { url: String },
}

/// Who a profile connects to, with that platform's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "platform", rename_all = "lowercase")]
pub enum Account {
    /// An Official Account: its AppID and WeChat ID (the `@suffix` of its kf accounts).
    Mp {
        app_id: String,
        #[serde(default)]
        oa_wechat_id: String,
    },
    /// A WeCom corp: its CorpID; the secret is that of the self-built app allowed to call 微信客服.
    Wecom {
        corp_id: String,
        /// The company's callback relay (see `conversations::relay`): live reading with
        /// callback Tokens instead of ~10 reads a minute.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        callback_relay: Option<String>,
    },
}

impl Account {
    pub fn platform(&self) -> Platform {
        match self {
            Account::Mp { .. } => Platform::Mp,
            Account::Wecom { .. } => Platform::Wecom,
        }
    }
}

/// One Official Account or WeCom corp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Profile {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub account: Account,
    #[serde(default)]
    pub token: TokenMode,
    /// A company API gateway instead of api.weixin.qq.com.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// Set when the profile works through KefuDesk Server (see [`ServerLink`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerLink>,
}

/// A profile that works through KefuDesk Server: its API address and both relays are the
/// server's gateway for one corp, and the relay credential in the keyring is the staff
/// member's session token. The desktop holds no WeChat secret or token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServerLink {
    /// The server's address, e.g. `https://kefu.shop.cn`.
    pub address: String,
    /// The corp's number on the server.
    pub corp: i64,
    /// Who signed in: login name, display name and role (`admin`, `supervisor`, `agent`).
    pub login: String,
    pub staff_name: String,
    pub role: String,
}

impl Profile {
    pub fn platform(&self) -> Platform {
        self.account.platform()
    }

    /// The Official Account's WeChat ID (`""` for a WeCom corp).
    pub fn oa_wechat_id(&self) -> &str {
        match &self.account {
            Account::Mp { oa_wechat_id, .. } => oa_wechat_id,
            Account::Wecom { .. } => "",
        }
    }

    #[cfg(test)]
    pub fn example(name: &str) -> Profile {
        Profile {
            id: format!("p-{name}"),
            name: name.into(),
            account: Account::Mp { app_id: "wx1234567890abcdef".into(), oa_wechat_id: "shop_cs".into() },
            token: TokenMode::AppSecret,
            api_base: None,
            proxy: None,
            server: None,
        }
    }
}

/// A field that failed validation: which one, and the sentence saying why.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub field: &'static str,
    pub s: S,
}

fn invalid(field: &'static str, s: S) -> Invalid {
    Invalid { field, s }
}

fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// Where secrets or tokens travel (API gateway, token relay, callback relay): https, or plain
/// http only to this computer, where nobody on the network can read it.
fn is_secure_url(s: &str) -> bool {
    crate::wechat::http::is_secure_url(s)
}

/// The addresses of a profile that receive secrets or tokens, by field.
fn secret_addresses(p: &Profile) -> impl Iterator<Item = (&'static str, &str)> {
    let callback = match &p.account {
        Account::Wecom { callback_relay: Some(url), .. } => Some(("callback_relay", url.as_str())),
        _ => None,
    };
    let relay = match &p.token {
        TokenMode::Relay { url } => Some(("relay_url", url.as_str())),
        TokenMode::AppSecret => None,
    };
    callback.into_iter().chain(relay).chain(p.api_base.as_deref().map(|u| ("api_base", u)))
}

/// A saved profile whose address would send secrets in clear text across the network (saved
/// before the rule, or edited by hand): it is never used until it is fixed.
pub fn insecure_address(p: &Profile) -> Option<Invalid> {
    secret_addresses(p)
        .find(|(_, u)| !u.trim().is_empty() && !is_secure_url(u.trim()))
        .map(|(field, _)| invalid(field, S::PlainHttp))
}

/// The check of an address that receives secrets: a URL at all, then a secure one.
fn check_secure(field: &'static str, url: &str, not_url: S) -> Result<(), Invalid> {
    if !is_http_url(url) {
        return Err(invalid(field, not_url));
    }
    if !is_secure_url(url) {
        return Err(invalid(field, S::PlainHttp));
    }
    Ok(())
}

/// Checks a profile before saving; `others` are the other saved profiles (names are unique).
pub fn validate(p: &Profile, others: &[Profile]) -> Result<(), Invalid> {
    let name = p.name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(invalid("name", S::ProfileNameLength));
    }
    if others.iter().any(|o| o.id != p.id && o.name.trim() == name) {
        return Err(invalid("name", S::ProfileNameTaken));
    }
    if let Account::Mp { oa_wechat_id: wx, .. } = &p.account {
        let wx_ok = (6..=30).contains(&wx.len())
            && wx.starts_with(|c: char| c.is_ascii_alphabetic())
            && wx.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !wx_ok {
            return Err(invalid("oa_wechat_id", S::OaWechatIdInvalid));
        }
    }
    validate_connection(p)
}

/// The checks a connection test needs: everything but the name and the WeChat ID (which the
/// test can discover from the account's existing agents).
pub fn validate_connection(p: &Profile) -> Result<(), Invalid> {
    let id18 = |id: &str, prefixes: &[&str]| {
        id.len() == 18 && prefixes.iter().any(|p| id.starts_with(p)) && id.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    match &p.account {
        Account::Mp { app_id, .. } if !id18(app_id, &["wx"]) => {
            return Err(invalid("app_id", S::AppIdInvalid));
        }
        // Corps created before 2019 may still have a `wx…` CorpID.
        Account::Wecom { corp_id, .. } if !id18(corp_id, &["ww", "wx"]) => {
            return Err(invalid("corp_id", S::CorpIdInvalid));
        }
        Account::Wecom { callback_relay: Some(url), .. } => {
            check_secure("callback_relay", url, S::CallbackRelayNotUrl)?;
        }
        _ => {}
    }
    if let TokenMode::Relay { url } = &p.token {
        check_secure("relay_url", url, S::TokenRelayNotUrl)?;
    }
    if let Some(u) = p.api_base.as_deref() {
        check_secure("api_base", u, S::ApiBaseNotUrl)?;
    }
    if p.proxy.as_deref().is_some_and(|u| {
        !url::Url::parse(u)
            .is_ok_and(|x| matches!(x.scheme(), "http" | "https" | "socks5" | "socks5h") && x.host_str().is_some())
    }) {
        return Err(invalid("proxy", S::ProxyInvalid));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(p: &Profile) -> Option<&'static str> {
        validate(p, &[]).err().map(|e| e.field)
    }

    #[test]
    fn a_good_profile_passes_and_each_bad_field_is_named() {
        let good = Profile::example("门店");
        assert_eq!(field(&good), None);
        assert_eq!(field(&Profile { name: "  ".into(), ..good.clone() }), Some("name"));
        let mp = |app_id: &str, oa: &str| Account::Mp { app_id: app_id.into(), oa_wechat_id: oa.into() };
        assert_eq!(field(&Profile { account: mp("wx123", "shop_cs"), ..good.clone() }), Some("app_id"));
        assert_eq!(field(&Profile { account: mp("ww1234567890abcdef", "shop_cs"), ..good.clone() }), Some("app_id"));
        assert_eq!(
            field(&Profile { account: mp("wx1234567890abcdef", "1shop"), ..good.clone() }),
            Some("oa_wechat_id")
        );
        let corp =
            |id: &str| Profile { account: Account::Wecom { corp_id: id.into(), callback_relay: None }, ..good.clone() };
        let relayed = |url: &str| Profile {
            account: Account::Wecom { corp_id: "ww1234567890abcdef".into(), callback_relay: Some(url.into()) },
            ..good.clone()
        };
        assert_eq!(field(&relayed("relay.corp")), Some("callback_relay"));
        assert_eq!(field(&relayed("https://relay.corp/kf")), None);
        assert_eq!(field(&corp("ww1234567890abcdef")), None, "a WeCom corp needs no WeChat ID");
        assert_eq!(field(&corp("wx1234567890abcdef")), None, "older corps");
        assert_eq!(field(&corp("ww12345")), Some("corp_id"));
        assert_eq!(field(&corp("wk1234567890abcdef")), Some("corp_id"));
        assert_eq!(
            field(&Profile { token: TokenMode::Relay { url: "ftp://x".into() }, ..good.clone() }),
            Some("relay_url")
        );
        assert_eq!(
            field(&Profile { token: TokenMode::Relay { url: "https://token.corp/wx".into() }, ..good.clone() }),
            None
        );
        assert_eq!(field(&Profile { api_base: Some("gateway".into()), ..good.clone() }), Some("api_base"));
        // Secrets never travel in clear text over a network: http only to this computer.
        let plain = |f: &Profile| validate(f, &[]).err().map(|e| (e.field, e.s == S::PlainHttp));
        assert_eq!(
            plain(&Profile { api_base: Some("http://gateway.corp".into()), ..good.clone() }),
            Some(("api_base", true))
        );
        assert_eq!(
            plain(&Profile { token: TokenMode::Relay { url: "http://10.0.0.5/token".into() }, ..good.clone() }),
            Some(("relay_url", true))
        );
        for local in ["http://127.0.0.1:9000", "http://localhost:8080/wx", "http://[::1]:9000"] {
            assert_eq!(field(&Profile { api_base: Some(local.into()), ..good.clone() }), None, "{local}");
        }
        let relayed = Profile {
            account: Account::Wecom {
                corp_id: "ww1234567890abcdef".into(),
                callback_relay: Some("http://relay.corp/kf".into()),
            },
            ..good.clone()
        };
        assert_eq!(plain(&relayed), Some(("callback_relay", true)));
        assert_eq!(field(&Profile { proxy: Some("socks5://127.0.0.1:1080".into()), ..good.clone() }), None);
        assert_eq!(field(&Profile { proxy: Some("127.0.0.1:8080".into()), ..good.clone() }), Some("proxy"));
    }

    #[test]
    fn names_are_unique_but_a_profile_may_keep_its_own() {
        let a = Profile::example("门店");
        let b = Profile { id: "other".into(), ..Profile::example("门店") };
        assert_eq!(validate(&b, std::slice::from_ref(&a)).unwrap_err().field, "name");
        assert!(validate(&a, std::slice::from_ref(&a)).is_ok());
    }

    #[test]
    fn group_names_are_checked() {
        let g = |n: &str| Group { name: n.into(), members: vec![] };
        assert!(validate_groups(&[g("售后"), g("VIP")]).is_ok());
        assert!(validate_groups(&[g("售后"), g("售后")]).is_err());
        assert!(validate_groups(&[g(" ")]).is_err());
        // Files without groups (written before groups existed) still load.
        let old: ConfigDoc = serde_json::from_str(r#"{"version":2,"profiles":[]}"#).unwrap();
        assert!(old.groups.is_empty());
    }

    #[test]
    fn the_document_keeps_its_shape() {
        let mut d = ConfigDoc::default();
        d.profiles.push(Profile { token: TokenMode::Relay { url: "https://r".into() }, ..Profile::example("x") });
        d.profiles.push(Profile {
            id: "c".into(),
            account: Account::Wecom { corp_id: "ww1234567890abcdef".into(), callback_relay: None },
            ..Profile::example("corp")
        });
        d.profiles.push(Profile {
            id: "r".into(),
            account: Account::Wecom {
                corp_id: "ww1234567890abcdef".into(),
                callback_relay: Some("https://relay.corp/kf".into()),
            },
            ..Profile::example("relayed")
        });
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["profiles"][0]["token"], serde_json::json!({"kind": "relay", "url": "https://r"}));
        assert_eq!(v["profiles"][0]["platform"], "mp");
        assert_eq!(v["profiles"][0]["app_id"], "wx1234567890abcdef");
        assert_eq!(v["profiles"][1]["platform"], "wecom");
        assert_eq!(v["profiles"][1]["corp_id"], "ww1234567890abcdef");
        assert!(v["profiles"][1].get("app_id").is_none());
        assert!(v["profiles"][1].get("callback_relay").is_none(), "left out when there is none");
        assert_eq!(v["profiles"][2]["callback_relay"], "https://relay.corp/kf");
        let back: ConfigDoc = serde_json::from_value(v).unwrap();
        assert_eq!(back, d);
    }
}
