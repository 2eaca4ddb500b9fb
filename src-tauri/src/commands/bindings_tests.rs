//! The contract between Rust and the page: the TypeScript declarations of every command's
//! arguments, answer and event payload, generated from the Rust types (ts-rs) into
//! `ui/bindings/commands.d.ts`, which `ui/api.js` names in its JSDoc and `tsc --noEmit` checks
//! the UI against (`make typecheck`). This test fails when a type changed and the file was not
//! regenerated: `make bindings` (or `KEFUDESK_WRITE_BINDINGS=1` on this test) writes it.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};

use ts_rs::{Config, TypeVisitor, TS};

use crate::commands as c;

/// Every type a command takes or answers, or an event carries; their dependencies follow.
fn roots(v: &mut Collect) {
    v.visit::<crate::error::CommandError>();
    v.visit::<c::app::AppInfo>();
    v.visit::<crate::i18n::Lang>();
    v.visit::<c::profiles::ProfilesView>();
    v.visit::<c::profiles::ProfileInput>();
    v.visit::<c::profiles::ConnectionReport>();
    v.visit::<c::server::ServerSignedIn>();
    v.visit::<crate::config::Profile>();
    v.visit::<c::avatars::AvatarPreview>();
    v.visit::<crate::pictures::CropNudge>();
    v.visit::<crate::pictures::AvatarChoice>();
    v.visit::<c::exports::Exported>();
    v.visit::<c::exports::Saved>();
    v.visit::<c::stats::StatsProgress>();
    v.visit::<crate::mp::agents::AgentRow>();
    v.visit::<c::mp::agents::AddOutcome>();
    v.visit::<crate::config::Group>();
    v.visit::<c::mp::sessions::Overview>();
    v.visit::<c::mp::sessions::BatchItem>();
    v.visit::<c::mp::sessions::CloseOutcome>();
    v.visit::<c::mp::sessions::TransferOutcome>();
    v.visit::<crate::wechat::mp::CustomerSession>();
    v.visit::<c::mp::records::FetchSummary>();
    v.visit::<c::mp::records::RowsPage>();
    v.visit::<crate::mp::records::Progress>();
    v.visit::<crate::mp::records::RecordOrder>();
    v.visit::<c::mp::stats::MpStatsView>();
    v.visit::<c::wecom::accounts::AccountRow>();
    v.visit::<c::wecom::accounts::Added>();
    v.visit::<c::wecom::links::ContactLink>();
    v.visit::<c::wecom::servicers::Servicers>();
    v.visit::<c::wecom::servicers::ItemOutcome>();
    v.visit::<c::wecom::servicers::Selection>();
    v.visit::<c::wecom::conversations::ConversationList>();
    v.visit::<c::wecom::conversations::ConversationView>();
    v.visit::<c::wecom::conversations::ReaderView>();
    v.visit::<c::wecom::conversations::Moved>();
    v.visit::<crate::wecom::conversations::Outgoing>();
    v.visit::<crate::wecom::conversations::Sent>();
    v.visit::<c::wecom::archive::Found>();
    v.visit::<crate::wecom::archive::Query>();
    v.visit::<c::wecom::welcome::Welcome>();
    v.visit::<c::wecom::stats::WecomStatsView>();
}

/// Collects the declaration of each named type once, by its TypeScript name.
struct Collect {
    cfg: Config,
    seen: HashSet<TypeId>,
    decls: BTreeMap<String, String>,
    clashes: Vec<String>,
}

impl TypeVisitor for Collect {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            T::visit_generics(self);
            return;
        }
        let name = T::ident(&self.cfg);
        let decl = T::decl(&self.cfg);
        // The same declaration reached through two Rust types (serde_json's Value and Map) is one.
        if self.decls.insert(name.clone(), decl.clone()).is_some_and(|before| before != decl) {
            self.clashes.push(name);
        }
        T::visit_dependencies(self);
    }
}

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/bindings/commands.d.ts");

fn generated() -> String {
    // JavaScript numbers: every integer the commands carry fits in 2^53 (Unix seconds, counts,
    // msgids as numbers are not used — WeCom's are strings).
    let mut v = Collect {
        cfg: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        decls: BTreeMap::new(),
        clashes: Vec::new(),
    };
    roots(&mut v);
    assert!(v.clashes.is_empty(), "two Rust types share a TypeScript name: {:?} (#[ts(rename)] one)", v.clashes);
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/commands/bindings_tests.rs (make bindings).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    for decl in v.decls.values() {
        out.push_str("export ");
        out.push_str(decl.trim_end());
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn ui_bindings_are_the_rust_types() {
    let want = generated();
    if std::env::var_os("KEFUDESK_WRITE_BINDINGS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(PATH).parent().unwrap()).unwrap();
        std::fs::write(PATH, &want).unwrap();
    }
    let have = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(have == want, "ui/bindings/commands.d.ts is not what the Rust types say: run `make bindings`");
}
