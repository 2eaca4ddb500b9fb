//! Commands through Tauri's IPC with the mock runtime: the wiring, the argument names and the
//! `{code, errcode, message}` shape the UI receives.

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::Manager;

use crate::i18n::Lang;
use crate::sandbox::{self, Fault, SandboxConfig, SandboxHandle};
use crate::state::{ActiveProfile, AppState};

fn request(cmd: &str, body: Value) -> tauri::webview::InvokeRequest {
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
fn app(with_profile: bool) -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>, Option<SandboxHandle>) {
    let app = crate::builder(mock_builder()).manage(AppState::new(Lang::ZhCn)).build(mock_context(noop_assets())).unwrap();
    let sb = with_profile.then(|| {
        let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
        app.state::<AppState>().set_profile(ActiveProfile::sandbox(sb.clone()).unwrap());
        sb
    });
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, w, sb)
}

fn invoke(w: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(w, request(cmd, body)).map(|r| r.deserialize::<Value>().unwrap())
}

#[test]
fn list_agents_returns_the_sandbox_agents_merged_with_their_online_state() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let rows = invoke(&w, "list_agents", json!({})).unwrap();
    let rows = rows.as_array().unwrap();
    let world = sb.world();
    assert_eq!(rows.len(), world.agents.len());
    for (row, a) in rows.iter().zip(&world.agents) {
        assert_eq!(row["kf_account"], a.account);
        assert_eq!(row["nickname"], a.nick);
        assert_eq!(row["kf_id"], a.kf_id.to_string());
        assert_eq!(row["online_status"], a.status);
        assert_eq!(row["accepted_case"], world.sessions_of(&a.account));
    }
    assert!(rows.iter().any(|r| r["invite"]["status"] == "waiting"));
}

#[test]
fn errors_reach_the_ui_as_code_errcode_and_a_localised_message() {
    let (_app, w, sb) = app(true);
    sb.unwrap().set_fault("/cgi-bin/customservice/getonlinekflist", Fault::errcode(65400));
    let err = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert_eq!(err["code"], "not_permitted");
    assert_eq!(err["errcode"], 65400);
    assert!(err["message"].as_str().unwrap().starts_with("该公众号尚未开通新版客服功能"), "{err}");
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let err = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert!(err["message"].as_str().unwrap().starts_with("The new customer-service feature is not enabled"), "{err}");
    assert!(invoke(&w, "set_locale", json!({"lang": "fr"})).is_err(), "only zh-CN and en");
}

#[test]
fn app_info_describes_the_sandbox_profile() {
    let (_app, w, sb) = app(true);
    let info = invoke(&w, "app_info", json!({})).unwrap();
    assert_eq!(info["profile"]["kind"], "sandbox");
    assert_eq!(info["profile"]["base_url"], sb.unwrap().base_url());
    assert_eq!(info["profile"]["oa_wechat_id"], sandbox::DEMO_OA_WECHAT_ID);
    assert_eq!(info["lang"], "zh-CN");
    assert!(info.to_string().find(sandbox::DEMO_SECRET).is_none(), "no secret in the web view");
}

#[test]
fn without_a_profile_commands_say_so() {
    let (_app, w, _) = app(false);
    let err = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_profile");
    assert_eq!(err["errcode"], Value::Null);
}
