//! Every command is registered alike in the four places that must agree: the invoke handler
//! (`lib.rs`), the ACL manifest (`build.rs`), the capability file and the UI's `api.js`.

use std::collections::BTreeSet;

fn quoted_after<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} not found")) + start.len();
    let to = from + text[from..].find(end).unwrap_or_else(|| panic!("{end} not found"));
    &text[from..to]
}

fn strings(block: &str, quote: char) -> BTreeSet<String> {
    block.split(quote).skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn commands_are_registered_alike_everywhere() {
    let lib = include_str!("../lib.rs");
    let handler: BTreeSet<String> = quoted_after(lib, "generate_handler![", "]")
        .split(',')
        .filter_map(|p| p.trim().rsplit("::").next().filter(|s| !s.is_empty()).map(str::to_string))
        .collect();
    let build = strings(quoted_after(include_str!("../../build.rs"), "&[", "]"), '"');
    let caps: BTreeSet<String> =
        strings(quoted_after(include_str!("../../capabilities/default.json"), "\"permissions\"", "]"), '"')
            .into_iter()
            .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
    let api = include_str!("../../../ui/api.js");
    let ui: BTreeSet<String> =
        api.split("call('").skip(1).filter_map(|s| s.split('\'').next()).map(str::to_string).collect();
    assert!(handler.len() > 30, "parsed the handler list: {handler:?}");
    assert_eq!(build, handler, "build.rs vs lib.rs");
    assert_eq!(caps, handler, "capabilities/default.json vs lib.rs");
    assert_eq!(ui, handler, "ui/api.js vs lib.rs");
}

/// The command sources, for the checks below.
const SOURCES: &[(&str, &str)] = &[
    ("app.rs", include_str!("app.rs")),
    ("avatars.rs", include_str!("avatars.rs")),
    ("exports.rs", include_str!("exports.rs")),
    ("profiles.rs", include_str!("profiles.rs")),
    ("stats.rs", include_str!("stats.rs")),
    ("mp/agents.rs", include_str!("mp/agents.rs")),
    ("mp/customers.rs", include_str!("mp/customers.rs")),
    ("mp/groups.rs", include_str!("mp/groups.rs")),
    ("mp/records.rs", include_str!("mp/records.rs")),
    ("mp/sessions.rs", include_str!("mp/sessions.rs")),
    ("mp/stats.rs", include_str!("mp/stats.rs")),
    ("wecom/accounts.rs", include_str!("wecom/accounts.rs")),
    ("wecom/archive.rs", include_str!("wecom/archive.rs")),
    ("wecom/conversations.rs", include_str!("wecom/conversations.rs")),
    ("wecom/links.rs", include_str!("wecom/links.rs")),
    ("wecom/servicers.rs", include_str!("wecom/servicers.rs")),
    ("wecom/stats.rs", include_str!("wecom/stats.rs")),
    ("wecom/welcome.rs", include_str!("wecom/welcome.rs")),
];

/// Every command that can fail answers through `boundary` (which also turns a panic into an
/// `internal` error), directly or through a helper that does; the few that cannot fail are
/// named here.
#[test]
fn every_fallible_command_answers_through_the_boundary() {
    const CANNOT_FAIL: &[&str] = &["app_info", "set_locale", "diagnostics", "cancel_records", "cancel_statistics"];
    let mut seen = 0;
    for (file, src) in SOURCES {
        for part in src.split("#[tauri::command]").skip(1) {
            let name =
                part.split("fn ").nth(1).and_then(|s| s.split(['(', '<']).next()).unwrap_or("").trim().to_string();
            let body = &part[..part.find("\n}\n").unwrap_or(part.len())];
            let helper = body
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with(|c: char| c.is_ascii_lowercase()) && l.contains("(&state"))
                .and_then(|l| l.trim().split('(').next())
                .map(str::to_string);
            let through_helper = helper.is_some_and(|h| {
                src.contains(&format!("fn {h}("))
                    && src
                        .split(&format!("fn {h}("))
                        .nth(1)
                        .is_some_and(|b| b[..b.find("\n}\n").unwrap_or(b.len())].contains("boundary("))
            });
            assert!(
                body.contains("boundary(") || through_helper || CANNOT_FAIL.contains(&name.as_str()),
                "{file}: {name} does not answer through boundary"
            );
            seen += 1;
        }
    }
    assert!(seen > 40, "parsed the commands: {seen}");
}

/// A command's arguments are a customer's ID, a staff member's WeChat ID, what somebody typed or
/// a path with the user's name in it: none is recorded as a span field, where every line logged
/// inside the command (its failure among them) would print it (`log_privacy.rs` checks the
/// log itself).
#[test]
fn every_command_span_records_no_arguments() {
    let mut seen = 0;
    for (file, src) in SOURCES {
        for part in src.split("#[tracing::instrument").skip(1) {
            let attribute = &part[..part.find(']').unwrap_or(part.len())];
            assert_eq!(attribute, "(skip_all)", "{file}: an instrumented command records {attribute}");
            seen += 1;
        }
    }
    assert!(seen > 40, "parsed the spans: {seen}");
}
