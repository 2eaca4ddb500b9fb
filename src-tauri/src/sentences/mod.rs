//! Every sentence the Rust side puts in front of a person, keyed by [`S`], in one catalogue per
//! language: `zh_cn.rs` and `en.rs` (WeChat's errcodes have their own, `wechat::errcodes`).
//! Code names a sentence and its parameters; the words are chosen once, where a fault meets the
//! user ([`crate::error::Fault::localize`]). A key missing from a catalogue does not compile (each
//! is one exhaustive `match`), and a test checks that both languages use the same `{name}`
//! placeholders.

mod en;
mod zh_cn;

use crate::i18n::Lang;

/// Declares the keys and the list of them all (for the catalogue test).
macro_rules! keys {
    ($($key:ident,)*) => {
        /// A sentence, by what it says.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum S {
            $($key,)*
        }

        impl S {
            /// Every key, in declaration order.
            pub const ALL: &'static [S] = &[$(S::$key,)*];
        }
    };
}

keys! {
    LogFolderNotOpened,
    MpNoSecret,
    WecomNoSecret,
    SandboxDidNotStart,
    ChooseCustomer,
    NoteTooLong,
    TooManyNotes,
    NoRecordsYet,
    ChooseValidDates,
    RecordsRangeTooLong,
    RecordsCancelled,
    AssignCountOutOfRange,
    ChooseDifferentAgent,
    EnterOpenid,
    TypeMessageFirst,
    MpTextTooLong,
    NoSuchProfile,
    SettingsNotSaved,
    ProxyPasswordAgain,
    SandboxNotDeletable,
    EnterMpSecret,
    EnterWecomSecret,
    StatsRangeTooLong,
    StatsCancelled,
    KfAccountNeedsAvatar,
    StartBeforeEnd,
    ChooseServicer,
    MenuChoiceCount,
    MenuTextTooLong,
    LinkTitleLength,
    LinkUrlNotHttp,
    LinkDescTooLong,
    LinkNeedsPicture,
    SceneInvalid,
    UseridInvalid,
    ChooseServicersToChange,
    EndBeforeStart,
    WecomStatsTooOld,
    WecomStatsNotYet,
    PageIsForMp,
    PageIsForWecom,
    Operation,
    ProfileChanged,
    SenderCustomer,
    SenderKefuDesk,
    SenderSystem,
    ArchiveNotWritten,
    ProcessNumber,
    FileNotRead,
    FileNotWritten,
    InternalError,
    KeyringUnavailable,
    KeyringLocked,
    KeyringFailed,
    WechatExplained,
    UnknownIp,
    WechatUnknownCode,
    Timeout,
    NetworkFailed,
    HttpStatus,
    BadResponse,
    RelayAnswerBad,
    ConnectionSettingsWrong,
    PlainHttp,
    PlainHttpFixInSettings,
    PlainHttpProfileUnused,
    ConfigUnreadable,
    ConfigSetAside,
    GoodbyeMayNotHaveReached,
    GoodbyeNotSent,
    ArchiveSetAside,
    ArchiveOtherCorp,
    SendRefusedQueued,
    SendRefusedServed,
    SendRefusedEnded,
    SendRefused48Hours,
    SendRefused5Replies,
    NotResponding,
    KfAccountNameLength,
    GroupNameLength,
    GroupNameTaken,
    ProfileNameLength,
    ProfileNameTaken,
    OaWechatIdInvalid,
    AppIdInvalid,
    CorpIdInvalid,
    CallbackRelayNotUrl,
    TokenRelayNotUrl,
    ApiBaseNotUrl,
    ProxyInvalid,
    AgentPrefixInvalid,
    AgentLimitReached,
    NicknameLength,
    WechatIdInvalid,
    PictureEmpty,
    PictureFileTooLarge,
    PictureHeic,
    PictureNotAnImage,
    PictureTooManyPixels,
    PictureCorrupt,
    WecomTextTooLong,
    WelcomeWordsTooLong,
    EnterServerAddress,
    ServerNotHttps,
    EnterLoginAndPassword,
    ServerWrongPassword,
    ServerTooManyTries,
    ServerRefused,
    ServerUnreachable,
    ServerNoCorps,
}

/// A sentence's parameters: `{name}` placeholder → value.
pub type Args = Vec<(&'static str, String)>;

/// The sentence `s` in `lang`, placeholders unfilled.
pub fn text(lang: Lang, s: S) -> &'static str {
    match lang {
        Lang::ZhCn => zh_cn::text(s),
        Lang::En => en::text(s),
    }
}

/// The sentence `s` in `lang` with its `{name}` placeholders filled from `args`, in one pass
/// (a value that itself holds `{…}` is left as it is); a placeholder without a value stays.
pub fn fill(lang: Lang, s: S, args: &[(&str, String)]) -> String {
    let template = text(lang, s);
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let value = (name_len > 0 && after[name_len..].starts_with('}'))
            .then(|| args.iter().find(|(k, _)| *k == &after[..name_len]))
            .flatten();
        match value {
            Some((_, v)) => {
                out.push_str(v);
                rest = &after[name_len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a sentence.
#[cfg(test)]
fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|t| t.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_say_every_sentence_with_the_same_placeholders() {
        assert!(S::ALL.len() > 90, "the list holds every key");
        for &s in S::ALL {
            let (zh, en) = (text(Lang::ZhCn, s), text(Lang::En, s));
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{s:?} is empty in a language");
            assert_eq!(placeholders(zh), placeholders(en), "{s:?}: the languages differ in placeholders");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{s:?}: the zh-CN text is not Chinese");
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_values_are_not_read_as_placeholders() {
        let s = fill(Lang::En, S::UseridInvalid, &[("u", "{u}{x}".into())]);
        assert!(s.starts_with("\"{u}{x}\" is not a valid UserID"), "{s}");
        assert_eq!(
            fill(Lang::En, S::WecomStatsTooOld, &[]),
            text(Lang::En, S::WecomStatsTooOld),
            "a missing value leaves the placeholder"
        );
        assert_eq!(fill(Lang::ZhCn, S::ProcessNumber, &[("pid", "42".into())]), " (进程 42)");
    }
}
