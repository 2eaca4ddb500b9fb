//! Build script: embeds the UI and generates the command ACL (app commands must be granted in
//! `capabilities/default.json`, like every other permission).
fn main() {
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=../icons");
    release_link_args();
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(kefudesk_commands())),
    )
    .expect("tauri build script failed");
}

/// Release binaries on Linux are linked by LLD with identical code folding: the many copies of
/// generic code that compile to the same machine code are kept once. Only the final link changes
/// (no crate is rebuilt for it), and only when LLD is there (`make` installs it).
fn release_link_args() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let lld = std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("ld.lld").is_file()));
    if linux && release && lld {
        println!("cargo:rustc-link-arg-bins=-fuse-ld=lld");
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    }
}

/// Every `#[tauri::command]` the UI may call; keep in step with `lib.rs::builder`.
fn kefudesk_commands() -> &'static [&'static str] {
    &[
        "app_info",
        "set_locale",
        "open_log_folder",
        "diagnostics",
        "list_agents",
        "add_agent",
        "update_agent",
        "delete_agent",
        "invite_agent",
        "prepare_avatar",
        "upload_avatar",
        "assign_waiting",
        "customer_notes",
        "set_customer_note",
        "list_groups",
        "save_groups",
        "list_profiles",
        "reload_config",
        "save_profile",
        "delete_profile",
        "set_active_profile",
        "test_connection",
        "server_sign_in",
        "fetch_records",
        "cancel_records",
        "record_rows",
        "export_records",
        "mp_statistics",
        "wecom_statistics",
        "cancel_statistics",
        "export_table",
        "save_png",
        "session_overview",
        "assign_session",
        "close_session",
        "transfer_session",
        "find_session",
        "send_text",
        "set_typing",
        "list_kf_accounts",
        "add_kf_account",
        "update_kf_account",
        "delete_kf_account",
        "kf_contact_link",
        "save_qr_png",
        "list_servicers",
        "add_servicers",
        "remove_servicers",
        "list_conversations",
        "reader_status",
        "read_now",
        "open_conversation",
        "move_conversation",
        "send_kf_message",
        "send_event_message",
        "media_preview",
        "save_media",
        "search_archive",
        "export_archive",
        "welcome_words",
        "set_welcome_words",
    ]
}
