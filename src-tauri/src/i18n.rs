//! The user's language on the Rust side (the UI has its own string catalogues in `ui/i18n/`).
//! Errors reach the UI already written in this language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    #[default]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// From a BCP 47 tag or POSIX locale (`zh_CN.UTF-8`, `zh-Hans`, `en-US`): Chinese for any
    /// `zh*`, English for everything else.
    pub fn from_locale(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The operating system's language.
    pub fn from_os() -> Lang {
        sys_locale::get_locale().map_or(Lang::ZhCn, |l| Lang::from_locale(&l))
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn locales_map_to_languages() {
        for zh in ["zh_CN.UTF-8", "zh-CN", "zh-Hans-CN", "ZH"] {
            assert_eq!(Lang::from_locale(zh), Lang::ZhCn, "{zh}");
        }
        for en in ["en_US.UTF-8", "en", "de-DE", "C", ""] {
            assert_eq!(Lang::from_locale(en), Lang::En, "{en}");
        }
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
    }
}
