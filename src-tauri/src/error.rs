//! Errors of commands. Domain code and command helpers return a [`Fault`]: a code and its
//! parameters, in no language. At the command boundary ([`crate::commands::boundary`]) it is
//! put into the user's language once, by [`Fault::localize`], as the [`CommandError`] the UI
//! receives: `{code, errcode, message}`, the message always ending in what to do. The UI
//! branches on `code` and shows `message`.

use serde::Serialize;

use crate::i18n::Lang;
use crate::pictures::PictureError;
use crate::secrets::KeyringError;
use crate::sentences::{fill, text, Args, S};
use crate::wechat::errcodes::{ip_from_errmsg, lookup};
use crate::wechat::{ApiError, Platform};

/// What went wrong, without words in any language (those are chosen in [`Fault::localize`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// A WeChat call failed.
    Api(ApiError),
    /// The OS keyring could not be used.
    Keyring(KeyringError),
    /// A picture could not become an avatar.
    Avatar(PictureError),
    /// The input breaks a rule: the rule's sentence and its parameters.
    Invalid { s: S, args: Args },
    /// A command of `wanted`'s platform while a profile of the other is active.
    WrongPlatform { wanted: Platform },
    /// A file could not be read or written (`reading` tells which).
    File { reading: bool, detail: String },
    /// One step of a several-step flow failed at WeChat: the step's code and errcode, with
    /// what that means for the flow in a sentence around WeChat's explanation (`{error}`).
    Step { s: S, cause: ApiError },
    /// Another condition with its own code (`no_profile`, `no_secret`, `config_write`…).
    Other { code: &'static str, s: S, args: Args },
    /// A bug or an unexpected failure of KefuDesk itself.
    Internal(String),
}

impl From<ApiError> for Fault {
    fn from(e: ApiError) -> Self {
        Fault::Api(e)
    }
}

impl From<KeyringError> for Fault {
    fn from(e: KeyringError) -> Self {
        Fault::Keyring(e)
    }
}

impl From<PictureError> for Fault {
    fn from(e: PictureError) -> Self {
        Fault::Avatar(e)
    }
}

impl Fault {
    /// A broken input rule (the check functions return its sentence).
    pub fn invalid(s: S) -> Self {
        Fault::Invalid { s, args: Vec::new() }
    }

    /// A broken input rule whose sentence names values (`{name}` → value).
    pub fn invalid_with<const N: usize>(s: S, args: [(&'static str, String); N]) -> Self {
        Fault::Invalid { s, args: args.into() }
    }

    /// A text over WeChat's limit: its length, and the limit in bytes and Chinese characters.
    pub fn too_long(s: S, bytes: usize) -> Self {
        use crate::wechat::limits::{TEXT_BYTES, TEXT_CHINESE_CHARS};
        Fault::invalid_with(
            s,
            [("bytes", bytes.to_string()), ("max", TEXT_BYTES.to_string()), ("chars", TEXT_CHINESE_CHARS.to_string())],
        )
    }

    pub fn other(code: &'static str, s: S) -> Self {
        Fault::Other { code, s, args: Vec::new() }
    }

    pub fn other_with<const N: usize>(code: &'static str, s: S, args: [(&'static str, String); N]) -> Self {
        Fault::Other { code, s, args: args.into() }
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Fault::Internal(crate::wechat::redact::redact(&detail.to_string()))
    }

    /// The sentence for the user, in `lang`: the only place a fault gets words.
    pub fn localize(&self, lang: Lang) -> CommandError {
        match self {
            Fault::Api(e) => api_error(e, lang),
            Fault::Keyring(e) => keyring_error(e, lang),
            Fault::Avatar(e) => CommandError::new("image", e.message(lang)),
            Fault::Invalid { s, args } => CommandError::new("invalid_input", fill(lang, *s, args)),
            Fault::WrongPlatform { wanted } => CommandError::new(
                "wrong_platform",
                match wanted {
                    Platform::Mp => crate::sentences::text(lang, S::PageIsForMp),
                    Platform::Wecom => crate::sentences::text(lang, S::PageIsForWecom),
                },
            ),
            Fault::File { reading, detail } => CommandError::new(
                "file",
                fill(lang, if *reading { S::FileNotRead } else { S::FileNotWritten }, &[("detail", detail.clone())]),
            ),
            Fault::Step { s, cause } => {
                let why = api_error(cause, lang);
                CommandError { message: fill(lang, *s, &[("error", why.message.clone())]), ..why }
            }
            Fault::Other { code, s, args } => CommandError::new(code, fill(lang, *s, args)),
            Fault::Internal(d) => CommandError::new("internal", fill(lang, S::InternalError, &[("detail", d.clone())])),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    /// Stable machine-readable kind, e.g. `wechat`, `credentials`, `network`, `invalid_input`.
    pub code: &'static str,
    /// WeChat's errcode when WeChat answered, else `null`.
    pub errcode: Option<i64>,
    /// A human sentence with a remedy, in the user's language. Never contains a secret.
    pub message: String,
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CommandError { code, errcode: None, message: message.into() }
    }

    /// A WeChat call's failure, explained (the same as `Fault::Api(err).localize(lang)`).
    pub fn from_api(err: &ApiError, lang: Lang) -> Self {
        api_error(err, lang)
    }
}

/// The keyring could not be used: what to do, and the in-memory alternative.
fn keyring_error(err: &KeyringError, lang: Lang) -> CommandError {
    use KeyringError as K;
    let d = crate::wechat::redact::redact(&err.to_string());
    let (code, s) = match err {
        K::Unavailable(_) => ("keyring_unavailable", S::KeyringUnavailable),
        K::Locked(_) => ("keyring_locked", S::KeyringLocked),
        K::Failed(_) => ("keyring", S::KeyringFailed),
    };
    CommandError { code, errcode: None, message: fill(lang, s, &[("detail", d)]) }
}

/// A WeChat call's failure, explained.
fn api_error(err: &ApiError, lang: Lang) -> CommandError {
    let (code, message) = match err {
        ApiError::WeChat { platform, errcode, errmsg } => {
            let code = match errcode {
                -1 => "busy",
                45009 | 45011 | 45033 => "rate_limited",
                40164 | 60020 | 61004 => "ip_not_whitelisted",
                40001 | 40013 | 40125 | 40091 | 40243 | 41002 | 41004 => "credentials",
                40014 | 42001 | 41001 => "token",
                48001 | 48002 | 65400 => "not_permitted",
                _ => "wechat",
            };
            let message = match lookup(*platform, *errcode) {
                Some(e) => {
                    let ip = ip_from_errmsg(errmsg).unwrap_or(text(lang, S::UnknownIp));
                    let (what, fix) = if lang == Lang::ZhCn { (e.zh, e.zh_fix) } else { (e.en, e.en_fix) };
                    let args = [("what", what.to_string()), ("fix", fix.to_string()), ("errcode", errcode.to_string())];
                    fill(lang, S::WechatExplained, &args).replace("{ip}", ip)
                }
                None => {
                    fill(lang, S::WechatUnknownCode, &[("errcode", errcode.to_string()), ("errmsg", errmsg.clone())])
                }
            };
            (code, message)
        }
        ApiError::Timeout => ("timeout", text(lang, S::Timeout).to_string()),
        ApiError::Network { detail } => ("network", fill(lang, S::NetworkFailed, &[("detail", detail.clone())])),
        ApiError::HttpStatus { status } => {
            ("http_status", fill(lang, S::HttpStatus, &[("status", status.to_string())]))
        }
        ApiError::BadResponse { detail } => ("bad_response", fill(lang, S::BadResponse, &[("detail", detail.clone())])),
        ApiError::Relay { detail } => ("relay", fill(lang, S::RelayAnswerBad, &[("detail", detail.clone())])),
        ApiError::Config { detail } => {
            ("config", fill(lang, S::ConnectionSettingsWrong, &[("detail", detail.clone())]))
        }
        ApiError::Insecure => {
            ("insecure", fill(lang, S::PlainHttpFixInSettings, &[("why", text(lang, S::PlainHttp).to_string())]))
        }
    };
    CommandError { code, errcode: err.errcode(), message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::Platform;
    use serde_json::json;

    fn wx(errcode: i64, errmsg: &str) -> ApiError {
        ApiError::WeChat { platform: Platform::Mp, errcode, errmsg: errmsg.into() }
    }

    #[test]
    fn json_shape_is_pinned() {
        let e = CommandError::from_api(&wx(65415, "the worker is not online rid: 1"), Lang::En);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code":"wechat","errcode":65415,"message":"This agent is not online. Choose an agent who is online in the customer-service tool. (error 65415)"})
        );
        let e = CommandError::from_api(&ApiError::Timeout, Lang::ZhCn);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code":"timeout","errcode":null,"message":"微信服务器响应超时。请检查网络后重试。"})
        );
    }

    #[test]
    fn faults_have_no_language_until_the_boundary_and_keep_their_json_shape() {
        let f = Fault::WrongPlatform { wanted: Platform::Wecom };
        assert_eq!(
            serde_json::to_value(f.localize(Lang::En)).unwrap(),
            json!({"code":"wrong_platform","errcode":null,"message":"The active profile is an Official Account; this page is for WeCom. Switch to a WeCom corp in the status bar."})
        );
        assert!(f.localize(Lang::ZhCn).message.starts_with("当前账号是公众号"));
        let rule = Fault::invalid(S::KfAccountNameLength);
        assert_eq!(
            (rule.localize(Lang::ZhCn).code, rule.localize(Lang::ZhCn).message.as_str()),
            ("invalid_input", "客服账号名称须为 1–16 个字符。")
        );
        let file = Fault::File { reading: false, detail: "Permission denied (os error 13)".into() };
        assert_eq!(file.localize(Lang::En).code, "file");
        assert!(
            file.localize(Lang::En).message.contains("Permission denied")
                && file.localize(Lang::En).message.contains("another place")
        );
        let api = Fault::from(wx(95004, "open_kfid not exist, hint: [1], from ip: 1.2.3.4, more info at x?e=95004"));
        assert!(
            api.localize(Lang::En).message.starts_with("WeChat returned error 95004"),
            "95004 is a WeCom code: unknown on the MP side"
        );
        let wecom = Fault::from(ApiError::WeChat {
            platform: Platform::Wecom,
            errcode: 95004,
            errmsg: "open_kfid not exist".into(),
        });
        assert_eq!(serde_json::to_value(wecom.localize(Lang::En)).unwrap()["errcode"], 95004);
        assert!(
            Fault::internal("access_token=SECRET boom").localize(Lang::En).message.contains("access_token=***"),
            "internal details are redacted"
        );
    }

    #[test]
    fn whitelist_error_names_the_ip_in_both_languages() {
        let err = wx(40164, "invalid ip 47.94.148.108 ipv6 ::ffff:47.94.148.108, not in whitelist rid: 5fab");
        let en = CommandError::from_api(&err, Lang::En);
        assert_eq!(en.code, "ip_not_whitelisted");
        assert!(en.message.contains("47.94.148.108 is not in") && en.message.contains("IP白名单"), "{}", en.message);
        let zh = CommandError::from_api(&err, Lang::ZhCn);
        assert!(zh.message.starts_with("本机 IP 47.94.148.108 不在"), "{}", zh.message);
    }

    #[test]
    fn unknown_codes_show_code_and_errmsg() {
        let e = CommandError::from_api(&wx(99999, "something new rid: 1"), Lang::En);
        assert_eq!(e.code, "wechat");
        assert!(e.message.contains("99999") && e.message.contains("something new"), "{}", e.message);
    }

    #[test]
    fn quota_errors_are_rate_limited_and_say_when() {
        let e = CommandError::from_api(&wx(45011, "api minute-quota reach limit"), Lang::En);
        assert_eq!(e.code, "rate_limited");
        assert!(e.message.contains("next minute"));
        let e = CommandError::from_api(&wx(45009, "reach max api daily quota limit"), Lang::ZhCn);
        assert!(e.message.contains("明天"));
    }
}
