//! The log and Copy diagnostics never hold what identifies a customer or a member of staff, or
//! what they wrote: with the app's own subscriber installed, commands whose arguments carry
//! marked personal data fail (WeChat refuses, a date range is wrong, a folder is missing), and
//! none of the marks is in the log file or in `diagnostics`.

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::Manager;

use kefudesk_lib::i18n::Lang;
use kefudesk_lib::sandbox::{self, mp::MpConfig, Fault, FaultInjection};
use kefudesk_lib::state::AppState;

const MARKS: [&str; 6] =
    ["PERSONAL-OPENID", "wmPERSONALcustomer", "13800138000", "PERSONALwx", "PERSONAL-NOTE", "张三的文件夹"];

fn invoke(w: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let req = tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(w, req).map(|r| r.deserialize::<Value>().unwrap())
}

#[test]
fn personal_data_in_command_arguments_never_reaches_the_log_or_diagnostics() {
    let logs = tempfile::tempdir().unwrap();
    kefudesk_lib::logs::init();
    kefudesk_lib::logs::open(logs.path()).unwrap();

    let app = kefudesk_lib::builder(mock_builder())
        .manage(AppState::new(Lang::En))
        .build(mock_context(noop_assets()))
        .unwrap();
    let state = app.state::<AppState>();
    let mp = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    let wc = tauri::async_runtime::block_on(sandbox::wecom::start(Default::default(), 0)).unwrap();
    state.set_sandbox(mp.clone());
    state.set_wecom_sandbox(wc.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

    // The Official Account: WeChat refuses every call these commands make.
    for path in ["/customservice/kfsession/getsession", "/customservice/kfaccount/inviteworker"] {
        mp.set_fault(path, Fault::errcode(45009));
    }
    let agent = mp.world().agents[0].account.clone();
    assert!(invoke(&w, "find_session", json!({"openid": "o-PERSONAL-OPENID-1"})).is_err());
    assert!(invoke(&w, "invite_agent", json!({"kf_account": agent, "invite_wx": "PERSONALwx_1"})).is_err());
    let _ =
        invoke(&w, "set_customer_note", json!({"openid": "o-PERSONAL-OPENID-2", "note": "PERSONAL-NOTE 13800138000"}));
    let folder = logs.path().join("张三的文件夹").join("missing").join("records.csv");
    assert!(invoke(&w, "export_table", json!({"path": folder, "header": ["a"], "rows": [["b"]]})).is_err());

    // WeCom: a customer's conversation, a search for a phone number, an export to a folder
    // named for the user.
    invoke(&w, "set_active_profile", json!({"id": "sandbox-wecom"})).unwrap();
    wc.set_fault("/cgi-bin/kf/customer/batchget", Fault::errcode(45009));
    wc.set_fault("/cgi-bin/kf/service_state/get", Fault::errcode(45009));
    let open_kfid = wc.world().accounts[0].open_kfid.clone();
    let _ = invoke(&w, "open_conversation", json!({"open_kfid": open_kfid, "external_userid": "wmPERSONALcustomer"}));
    let search = json!({"text": "客户电话13800138000", "external_userid": "wmPERSONALcustomer", "from": 1_700_000_000, "to": 1_600_000_000});
    assert!(invoke(&w, "search_archive", json!({"search": search})).is_err());
    let search = json!({"text": "13800138000"});
    assert!(invoke(&w, "export_archive", json!({"search": search, "path": folder})).is_err());

    let diagnostics = invoke(&w, "diagnostics", json!({})).unwrap();
    let diagnostics = diagnostics.as_str().unwrap();
    assert!(diagnostics.contains("Recent problems ("), "the failures are listed: {diagnostics}");
    let mut logged = String::new();
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            logged.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    assert!(logged.contains("a command failed"), "the failures are logged: {logged}");
    for mark in MARKS {
        assert!(!logged.contains(mark), "{mark} is in the log:\n{logged}");
        assert!(!diagnostics.contains(mark), "{mark} is in diagnostics:\n{diagnostics}");
    }
}
