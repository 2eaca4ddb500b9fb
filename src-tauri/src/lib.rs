//! KefuDesk 客服台: a desktop admin app for WeChat customer service.
//!
//! `wechat` is the typed WeChat client and `sandbox` the built-in simulated WeChat (the
//! workspace crates `kefu-wechat` and `kefu-sandbox`, shared with KefuDesk Server, re-exported
//! under their old names), `commands` the thin layer the UI invokes, `state` what the running
//! app holds.

mod avatar_proxy;
pub use kefu_wechat::clock;
pub mod commands;
pub mod config;
pub mod csvfile;
pub mod error;
pub mod files;
mod graphics;
pub mod i18n;
pub mod logs;
pub mod mp;
pub mod pictures;
pub mod profile;
pub use kefu_sandbox as sandbox;
/// Test-only: a test run again in a limited child process (shared with the integration tests).
#[cfg(test)]
#[path = "../tests/common/child.rs"]
mod child;
#[cfg(test)]
mod scratch;
pub mod secrets;
pub mod sentences;
pub mod state;
pub mod team_server;
pub use kefu_wechat as wechat;
pub mod wecom;
pub mod window;

use tauri::Manager;

use i18n::Lang;
use state::AppState;

/// Registers the commands and their own state; shared by the real app and the MockRuntime tests.
pub fn builder<R: tauri::Runtime>(b: tauri::Builder<R>) -> tauri::Builder<R> {
    b.manage(commands::mp::records::RecordsState::default())
        .manage(commands::mp::sessions::SessionsState::default())
        .manage(commands::stats::StatsState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_locale,
            commands::app::open_log_folder,
            commands::app::diagnostics,
            commands::mp::agents::list_agents,
            commands::mp::agents::add_agent,
            commands::mp::agents::update_agent,
            commands::mp::agents::delete_agent,
            commands::mp::agents::invite_agent,
            commands::avatars::prepare_avatar,
            commands::avatars::upload_avatar,
            commands::mp::sessions::assign_waiting,
            commands::mp::customers::customer_notes,
            commands::mp::customers::set_customer_note,
            commands::mp::groups::list_groups,
            commands::mp::groups::save_groups,
            commands::profiles::list_profiles,
            commands::profiles::reload_config,
            commands::profiles::save_profile,
            commands::profiles::delete_profile,
            commands::profiles::set_active_profile,
            commands::profiles::test_connection,
            commands::server::server_sign_in,
            commands::mp::records::fetch_records,
            commands::mp::records::cancel_records,
            commands::mp::records::record_rows,
            commands::mp::records::export_records,
            commands::mp::stats::mp_statistics,
            commands::wecom::stats::wecom_statistics,
            commands::stats::cancel_statistics,
            commands::exports::export_table,
            commands::exports::save_png,
            commands::mp::sessions::session_overview,
            commands::mp::sessions::assign_session,
            commands::mp::sessions::close_session,
            commands::mp::sessions::transfer_session,
            commands::mp::sessions::find_session,
            commands::mp::sessions::send_text,
            commands::mp::sessions::set_typing,
            commands::wecom::accounts::list_kf_accounts,
            commands::wecom::accounts::add_kf_account,
            commands::wecom::accounts::update_kf_account,
            commands::wecom::accounts::delete_kf_account,
            commands::wecom::links::kf_contact_link,
            commands::wecom::links::save_qr_png,
            commands::wecom::servicers::list_servicers,
            commands::wecom::servicers::add_servicers,
            commands::wecom::servicers::remove_servicers,
            commands::wecom::conversations::list_conversations,
            commands::wecom::conversations::reader_status,
            commands::wecom::conversations::read_now,
            commands::wecom::conversations::open_conversation,
            commands::wecom::conversations::move_conversation,
            commands::wecom::conversations::send_kf_message,
            commands::wecom::conversations::send_event_message,
            commands::wecom::conversations::media_preview,
            commands::wecom::conversations::save_media,
            commands::wecom::archive::search_archive,
            commands::wecom::archive::export_archive,
            commands::wecom::welcome::welcome_words,
            commands::wecom::welcome::set_welcome_words,
        ])
}

/// Starts the built-in sandboxes, one per platform (always available: training mode and the
/// default profiles).
pub fn start_sandbox(state: &AppState) {
    match tauri::async_runtime::block_on(sandbox::mp::start(sandbox::mp::MpConfig::default(), 0)) {
        Ok(sb) => state.set_sandbox(sb),
        Err(e) => {
            tracing::error!(error = %e, "could not start the built-in sandbox");
            state.set_startup_error(e.to_string());
        }
    }
    match tauri::async_runtime::block_on(sandbox::wecom::start(sandbox::wecom::WecomConfig::default(), 0)) {
        Ok(sb) => state.set_wecom_sandbox(sb),
        Err(e) => {
            tracing::error!(error = %e, "could not start the built-in WeCom sandbox");
            state.set_startup_error(e.to_string());
        }
    }
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    // Before any thread or web view exists: it may set an environment variable WebKitGTK reads.
    graphics::init();
    window::take_start_attempt();
    logs::init();
    // Single instance first: a second start must exit before it does anything else, and never
    // wait for ever on a running KefuDesk that does not answer.
    window::watch_hand_over();
    builder(tauri::Builder::default().plugin(window::single_instance()).plugin(window::state_plugin()))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(avatar_proxy::AvatarCache::default())
        .register_asynchronous_uri_scheme_protocol("kfimg", avatar_proxy::handle)
        .on_page_load(window::show_when_loading)
        .setup(|app| {
            window::started();
            match app.path().app_log_dir().map(|d| (logs::open(&d), d)) {
                Ok((Ok(()), d)) => tracing::info!(version = env!("CARGO_PKG_VERSION"), log = %d.display(), painting = %graphics::chosen().describe(), "KefuDesk started"),
                Ok((Err(e), d)) => tracing::warn!(error = %e, dir = %d.display(), "the log file could not be opened: logging to stderr only"),
                Err(e) => tracing::warn!(error = %e, "no log directory: logging to stderr only"),
            }
            if let Some(w) = app.get_webview_window("main") {
                window::restore_and_watch(&w);
                window::show_at_the_latest(&w);
            }
            let dir = app.path().app_config_dir()?;
            let state = AppState::with_config_file(Lang::from_os(), dir.join(config::store::FILE_NAME)).with_data_dir(app.path().app_data_dir()?);
            start_sandbox(&state);
            app.manage(state);
            Ok(())
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| window::start_failed(e))
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // After the window-state plugin's own save at exit (plugins hear events first).
                window::after_save(app);
            }
        });
}
