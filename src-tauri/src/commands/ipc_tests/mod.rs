//! Commands through Tauri's IPC with the mock runtime: the wiring, the argument names and the
//! `{code, errcode, message}` shape the UI receives. The shared set-up is here; the tests sit in
//! one file per command module (`mp_agents.rs` for `commands/mp/agents.rs`, …).

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::Manager;

use crate::i18n::Lang;
use crate::sandbox::{
    self,
    mp::{MpConfig, MpSandboxHandle},
    Fault, FaultInjection,
};
use crate::state::AppState;

pub(super) fn request(cmd: &str, body: Value) -> tauri::webview::InvokeRequest {
    tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: if cfg!(windows) { "http://tauri.localhost" } else { "tauri://localhost" }.parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// An app with the sandbox profile (unless `with_profile` is false) and a main window.
pub(super) fn app(
    with_profile: bool,
) -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>, Option<MpSandboxHandle>) {
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::ZhCn, config_path()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = with_profile.then(|| {
        let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
        app.state::<AppState>().set_sandbox(sb.clone());
        sb
    });
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, w, sb)
}

/// An app on the built-in WeCom sandbox (the Official Account one beside it), in `lang`.
pub(super) fn wecom_app(
    lang: Lang,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
    crate::sandbox::wecom::WecomSandboxHandle,
) {
    wecom_app_on(AppState::with_config_file(lang, config_path()).with_keyring_ready())
}

/// The same with a state of the caller's making.
pub(super) fn wecom_app_on(
    state: AppState,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
    crate::sandbox::wecom::WecomSandboxHandle,
) {
    crate::secrets::use_mock_store();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let wc =
        tauri::async_runtime::block_on(crate::sandbox::wecom::start(crate::sandbox::wecom::WecomConfig::default(), 0))
            .unwrap();
    app.state::<AppState>().set_wecom_sandbox(wc.clone());
    let mp = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(mp);
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    invoke(&w, "set_active_profile", json!({"id": "sandbox-wecom"})).unwrap();
    (app, w, wc)
}

/// A fresh configuration file path for one test.
pub(super) fn config_path() -> std::path::PathBuf {
    crate::scratch::dir().join("config.json")
}

pub(super) fn invoke(
    w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(w, request(cmd, body)).map(|r| r.deserialize::<Value>().unwrap())
}

/// A profile form pointing at the app's own sandbox through the API-address override.
fn sandbox_form(sb: &MpSandboxHandle, name: &str) -> Value {
    json!({
        "name": name,
        "app_id": sb.appid(),
        "oa_wechat_id": sb.oa_wechat_id(),
        "token_kind": "app_secret",
        "api_base": sb.base_url(),
    })
}

/// An app on `sb` with its configuration at `path`: started again, it reads what the last one wrote.
fn restartable(
    path: &std::path::Path,
    sb: &MpSandboxHandle,
) -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>) {
    crate::secrets::use_mock_store();
    let app = crate::builder(mock_builder())
        .manage(AppState::with_config_file(Lang::En, path.to_path_buf()).with_keyring_ready())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, w)
}

mod app;
mod avatars;
mod mp_agents;
mod mp_customers;
mod mp_groups;
mod mp_records;
mod mp_sessions;
mod profiles;
mod security;
mod server;
mod stats;
mod wecom;
mod wecom_conversations;
