//! The About panel's list of open-source components (`ui/licences.js`, made by
//! `make licences` with cargo-about) names every crate the app links on Linux at the version
//! Cargo.lock holds, and nothing that is not in Cargo.lock: a dependency added or updated
//! without regenerating the list fails here.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

fn listed() -> BTreeSet<(String, String)> {
    let js = include_str!("../../ui/licences.js");
    let line =
        js.lines().find_map(|l| l.strip_prefix("export const crates = ")).expect("a crates list").trim_end_matches(';');
    let crates: Vec<Value> = serde_json::from_str(line).expect("JSON");
    crates
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["version"].as_str().unwrap().to_string()))
        .collect()
}

/// The crates the app links on Linux: its normal dependencies, transitively, with the
/// features the build enables (`cargo tree` resolves them as a build does); proc macros and
/// what only they use run at build time and are not linked.
fn linked_on_linux() -> BTreeSet<(String, String)> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "kefudesk",
            "-e",
            "normal,no-proc-macro",
            "--target",
            "x86_64-unknown-linux-gnu",
            "--prefix",
            "none",
            "-f",
            "{p}",
            "--locked",
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    // KefuDesk's own crates (the app and the workspace's, shown with their path) are not listed.
    let workspace =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").display().to_string();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (name, version) = (words.next()?, words.next()?.strip_prefix('v')?);
            let ours = l.contains(&format!("({workspace}/"));
            (!ours).then(|| (name.to_string(), version.to_string()))
        })
        .collect()
}

#[test]
fn the_about_panel_lists_every_linked_crate_at_its_locked_version() {
    let listed = listed();
    let linked = linked_on_linux();
    assert!(linked.len() > 300, "parsed the dependency graph: {}", linked.len());
    let missing: Vec<_> = linked.difference(&listed).collect();
    assert!(missing.is_empty(), "linked but not in the About panel (run `make licences`): {missing:?}");

    let lock = include_str!("../../Cargo.lock");
    let locked: BTreeSet<(String, String)> = lock
        .split("[[package]]")
        .filter_map(|p| {
            let field = |k: &str| {
                p.lines()
                    .find_map(|l| l.strip_prefix(&format!("{k} = \"")))
                    .map(|v| v.trim_end_matches('"').to_string())
            };
            Some((field("name")?, field("version")?))
        })
        .collect();
    let stale: Vec<_> = listed.difference(&locked).collect();
    assert!(stale.is_empty(), "in the About panel but not in Cargo.lock (run `make licences`): {stale:?}");
}
