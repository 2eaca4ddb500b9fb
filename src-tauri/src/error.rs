//! Errors of commands. Domain code and command helpers return a [`Fault`]: a code and its
//! parameters, in no language. At the command boundary ([`crate::commands::boundary`]) it is
//! put into the user's language once, by [`Fault::localize`], as the [`CommandError`] the UI
//! receives: `{code, errcode, message}`, the message always ending in what to do. The UI
//! branches on `code` and shows `message`.

use std::borrow::Cow;

use serde::Serialize;

use crate::i18n::Lang;
use crate::pictures::PictureError;
use crate::secrets::KeyringError;
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
    /// The input breaks a rule: the rule's words from the catalogue, in both languages.
    Invalid { zh: Cow<'static, str>, en: Cow<'static, str> },
    /// A command of `wanted`'s platform while a profile of the other is active.
    WrongPlatform { wanted: Platform },
    /// A file could not be read or written (`reading` tells which).
    File { reading: bool, detail: String },
    /// One step of a several-step flow failed at WeChat: the step's code and errcode, with
    /// what that means for the flow in words around WeChat's explanation (`{error}`).
    Step { zh: &'static str, en: &'static str, cause: ApiError },
    /// Another condition with its own code (`no_profile`, `no_secret`, `config_write`…).
    Other { code: &'static str, zh: String, en: String },
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
    /// A broken input rule, in the catalogue's words.
    pub fn invalid(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Fault::Invalid { zh: zh.into(), en: en.into() }
    }

    /// A rule given as `(zh, en)`, as the check functions return it.
    pub fn rule((zh, en): (&'static str, &'static str)) -> Self {
        Fault::invalid(zh, en)
    }

    pub fn other(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Fault::Other { code, zh: zh.into(), en: en.into() }
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Fault::Internal(crate::wechat::redact::redact(&detail.to_string()))
    }

    /// The sentence for the user, in `lang`: the only place a fault gets words.
    pub fn localize(&self, lang: Lang) -> CommandError {
        let zh = lang == Lang::ZhCn;
        match self {
            Fault::Api(e) => api_error(e, lang),
            Fault::Keyring(e) => keyring_error(e, lang),
            Fault::Avatar(e) => CommandError::new("image", e.message(lang)),
            Fault::Invalid { zh: z, en } => CommandError::new("invalid_input", if zh { z.as_ref() } else { en.as_ref() }),
            Fault::WrongPlatform { wanted } => CommandError::new(
                "wrong_platform",
                match wanted {
                    Platform::Mp => lang.pick("当前账号是企业微信，此页面只适用于公众号。请在状态栏切换到公众号。", "The active profile is a WeCom corp; this page is for Official Accounts. Switch to an Official Account in the status bar."),
                    Platform::Wecom => lang.pick("当前账号是公众号，此页面只适用于企业微信。请在状态栏切换到企业微信。", "The active profile is an Official Account; this page is for WeCom. Switch to a WeCom corp in the status bar."),
                },
            ),
            Fault::File { reading: true, detail } => CommandError::new(
                "file",
                if zh { format!("无法读取文件（{detail}）。请确认文件存在且有读取权限。") } else { format!("Cannot read the file ({detail}). Check that it exists and that you may read it.") },
            ),
            Fault::File { reading: false, detail } => CommandError::new(
                "file",
                if zh { format!("无法写入文件（{detail}）。请换一个位置，或检查该文件夹的写入权限。") } else { format!("Could not write the file ({detail}). Choose another place, or check that you may write to that folder.") },
            ),
            Fault::Step { zh: z, en, cause } => {
                let why = api_error(cause, lang);
                CommandError { message: lang.pick(z, en).replace("{error}", &why.message), ..why }
            }
            Fault::Other { code, zh: z, en } => CommandError::new(code, if zh { z.clone() } else { en.clone() }),
            Fault::Internal(d) => CommandError::new(
                "internal",
                if zh { format!("KefuDesk 内部错误：{d}。请重试；如仍出现，请反馈给我们。") } else { format!("KefuDesk internal error: {d}. Try again; if it persists, please report it.") },
            ),
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
    let (code, zh, en) = match err {
        K::Unavailable(_) => (
            "keyring_unavailable",
            format!("没有可用的系统钥匙串（{d}）。KefuDesk 只把密钥保存在系统钥匙串中，绝不写入文件。请安装并启动 GNOME Keyring 或 KWallet（如 sudo apt install gnome-keyring，然后重新登录），或选择「仅在本次运行中记住」。"),
            format!("No system keyring is available ({d}). KefuDesk keeps secrets only in the system keyring, never in a file. Install and start GNOME Keyring or KWallet (e.g. sudo apt install gnome-keyring, then log in again), or choose \"Remember for this run only\"."),
        ),
        K::Locked(_) => (
            "keyring_locked",
            format!("系统钥匙串已锁定或拒绝访问（{d}）。请解锁钥匙串（例如重新登录）后重试，或选择「仅在本次运行中记住」。"),
            format!("The system keyring is locked or refused access ({d}). Unlock it (for example by logging in again) and try again, or choose \"Remember for this run only\"."),
        ),
        K::Failed(_) => (
            "keyring",
            format!("系统钥匙串出错（{d}）。请重试；如仍出现，可选择「仅在本次运行中记住」。"),
            format!("The system keyring reported an error ({d}). Try again; if it persists, choose \"Remember for this run only\"."),
        ),
    };
    CommandError { code, errcode: None, message: if lang == Lang::ZhCn { zh } else { en } }
}

/// A WeChat call's failure, explained.
fn api_error(err: &ApiError, lang: Lang) -> CommandError {
    let zh = lang == Lang::ZhCn;
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
                    let ip = ip_from_errmsg(errmsg).unwrap_or(if zh { "（未知）" } else { "(unknown)" });
                    let (s, fix) = if zh { (e.zh, e.zh_fix) } else { (e.en, e.en_fix) };
                    let text = if zh {
                        format!("{s}{fix}（错误码 {errcode}）")
                    } else {
                        format!("{s} {fix} (error {errcode})")
                    };
                    text.replace("{ip}", ip)
                }
                None if zh => format!("微信返回错误 {errcode}：{errmsg}。请稍后重试；如仍出现，请在微信开放文档中查询该错误码。"),
                None => format!("WeChat returned error {errcode}: {errmsg}. Try again later; if it persists, look the code up in WeChat's documentation."),
            };
            (code, message)
        }
        ApiError::Timeout => (
            "timeout",
            if zh {
                "微信服务器响应超时。请检查网络后重试。".into()
            } else {
                "WeChat did not answer in time. Check the network and try again.".into()
            },
        ),
        ApiError::Network { detail } => (
            "network",
            if zh {
                format!("无法连接微信服务器（{detail}）。请检查网络、代理和 API 地址设置后重试。")
            } else {
                format!("Could not reach WeChat ({detail}). Check the network, proxy and API address in Settings, then try again.")
            },
        ),
        ApiError::HttpStatus { status } => {
            (
                "http_status",
                if zh {
                    format!("服务器返回 HTTP {status}，不是微信的正常响应。可能是代理或 API 网关出错，请稍后重试或检查设置。")
                } else {
                    format!("The server answered HTTP {status}, not a WeChat reply. A proxy or API gateway may be failing; try again later or check Settings.")
                },
            )
        }
        ApiError::BadResponse { detail } => (
            "bad_response",
            if zh {
                format!("收到无法识别的响应（{detail}）。可能是代理或 API 网关出错，请稍后重试。")
            } else {
                format!("Received a response KefuDesk cannot read ({detail}). A proxy or API gateway may be failing; try again later.")
            },
        ),
        ApiError::Relay { detail } => (
            "relay",
            if zh {
                format!("令牌中继返回的内容不正确：{detail}。它应返回 {{\"access_token\",\"expires_in\"}}，请联系其管理员。")
            } else {
                format!("The token relay's answer is not usable: {detail}. It must return {{\"access_token\",\"expires_in\"}}; contact its administrator.")
            },
        ),
        ApiError::Config { detail } => (
            "config",
            if zh {
                format!("连接设置有误：{detail}。请在设置中修改。")
            } else {
                format!("The connection settings are wrong: {detail}. Fix them in Settings.")
            },
        ),
        ApiError::Insecure => (
            "insecure",
            if zh {
                format!("{}请在设置中编辑该账号，把地址改为 https://。", crate::config::PLAIN_HTTP_ZH)
            } else {
                format!(
                    "{} Edit the profile in Settings and change the address to https://.",
                    crate::config::PLAIN_HTTP_EN
                )
            },
        ),
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
        let rule = Fault::rule(("名称须为 1–16 个字符。", "The name must be 1 to 16 characters."));
        assert_eq!(
            (rule.localize(Lang::ZhCn).code, rule.localize(Lang::ZhCn).message.as_str()),
            ("invalid_input", "名称须为 1–16 个字符。")
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
