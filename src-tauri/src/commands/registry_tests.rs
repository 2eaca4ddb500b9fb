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
    let caps: BTreeSet<String> = strings(quoted_after(include_str!("../../capabilities/default.json"), "\"permissions\"", "]"), '"')
        .into_iter()
        .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
        .collect();
    let api = include_str!("../../../ui/api.js");
    let ui: BTreeSet<String> = api.split("call('").skip(1).filter_map(|s| s.split('\'').next()).map(str::to_string).collect();
    assert!(handler.len() > 30, "parsed the handler list: {handler:?}");
    assert_eq!(build, handler, "build.rs vs lib.rs");
    assert_eq!(caps, handler, "capabilities/default.json vs lib.rs");
    assert_eq!(ui, handler, "ui/api.js vs lib.rs");
}
