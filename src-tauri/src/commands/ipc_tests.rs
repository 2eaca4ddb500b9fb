//! Commands through Tauri's IPC with the mock runtime: the wiring, the argument names and the
//! `{code, errcode, message}` shape the UI receives.

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::Manager;

use crate::i18n::Lang;
use crate::sandbox::{self, Fault, FaultInjection, SandboxConfig, SandboxHandle};
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
) -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>, Option<SandboxHandle>) {
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::ZhCn, config_path()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = with_profile.then(|| {
        let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
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
    let mp = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
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

/// A profile form pointing at the app's own sandbox through the API-address override.
fn sandbox_form(sb: &SandboxHandle, name: &str) -> Value {
    json!({
        "name": name,
        "app_id": sb.appid(),
        "oa_wechat_id": sb.oa_wechat_id(),
        "token_kind": "app_secret",
        "api_base": sb.base_url(),
    })
}

#[test]
fn a_profile_is_saved_with_its_secret_in_the_keyring_only_and_can_be_used() {
    let path = config_path();
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::En, path.clone()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

    // Test first: a wrong secret is explained, nothing is saved.
    let err = invoke(&w, "test_connection", json!({"profile": sandbox_form(&sb, "门店"), "secret": "wrong-secret"}))
        .unwrap_err();
    assert_eq!((err["code"].as_str(), err["errcode"].as_i64()), (Some("credentials"), Some(40125)), "{err}");
    assert!(err["message"].as_str().unwrap().contains("AppSecret is wrong"), "{err}");
    assert!(!path.exists(), "testing saves nothing");
    let ok =
        invoke(&w, "test_connection", json!({"profile": sandbox_form(&sb, "门店"), "secret": sb.secret()})).unwrap();
    assert_eq!(ok["agents"], sb.world().agents.len());
    // The WeChat ID can be left empty: the test reads it off the existing agents.
    let mut no_id = sandbox_form(&sb, "");
    no_id["oa_wechat_id"] = json!("");
    let ok = invoke(&w, "test_connection", json!({"profile": no_id, "secret": sb.secret()})).unwrap();
    assert_eq!(ok["oa_wechat_id_hint"], sb.oa_wechat_id());

    let view =
        invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "门店"), "secret": sb.secret()})).unwrap();
    let p = &view["profiles"][0];
    assert_eq!((p["name"].as_str(), p["secret"].as_str()), (Some("门店"), Some("keyring")));
    assert_eq!(view["active"], "sandbox", "saving does not switch");
    let id = p["id"].as_str().unwrap().to_string();
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(on_disk.contains("门店") && !on_disk.contains(&sb.secret()), "{on_disk}");
    assert!(view.to_string().find(&sb.secret()).is_none(), "the secret never goes back to the web view");
    assert_eq!(
        crate::secrets::load_blocking(&id, crate::secrets::SecretKind::AppSecret).unwrap().unwrap().expose(),
        sb.secret()
    );

    // Switch to it: the agents come through the saved profile (secret read from the keyring).
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let info = invoke(&w, "app_info", json!({})).unwrap();
    assert_eq!((info["profile"]["kind"].as_str(), info["profile"]["name"].as_str()), (Some("live"), Some("门店")));
    let rows = invoke(&w, "list_agents", json!({})).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), sb.world().agents.len());

    // Editing without a secret keeps the stored one; a name clash is refused.
    let mut edit = sandbox_form(&sb, "华东门店");
    edit["id"] = json!(id);
    invoke(&w, "save_profile", json!({"profile": edit})).unwrap();
    invoke(&w, "list_agents", json!({})).unwrap();
    let mut clash = sandbox_form(&sb, "华东门店");
    clash["app_id"] = json!(sb.appid());
    let err = invoke(&w, "save_profile", json!({"profile": clash, "secret": "x"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");

    // Delete: keyring entry gone, back on the sandbox.
    let view = invoke(&w, "delete_profile", json!({"id": id})).unwrap();
    assert_eq!(view["active"], "sandbox");
    assert!(view["profiles"].as_array().unwrap().is_empty());
    assert_eq!(crate::secrets::load_blocking(&id, crate::secrets::SecretKind::AppSecret).unwrap(), None);
    assert_eq!(invoke(&w, "app_info", json!({})).unwrap()["profile"]["kind"], "sandbox");
    let err = invoke(&w, "delete_profile", json!({"id": "sandbox"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}

#[test]
fn bad_forms_are_refused_with_the_reason() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let mut bad = sandbox_form(&sb, "x");
    bad["app_id"] = json!("wx123");
    let err = invoke(&w, "save_profile", json!({"profile": bad, "secret": "s"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("AppID"), "{err}");
    let err = invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "无密钥")})).unwrap_err();
    assert_eq!(err["message"], "请输入 AppSecret。");
    assert!(invoke(&w, "list_profiles", json!({})).unwrap()["profiles"].as_array().unwrap().is_empty());
}

#[test]
fn without_a_keyring_nothing_is_saved_unless_the_user_keeps_it_in_memory() {
    let path = config_path();
    let state = AppState::with_config_file(Lang::En, path.clone());
    let _ = state.set_keyring_state(Err(crate::secrets::KeyringError::Unavailable(
        "no Secret Service on the session bus".into(),
    )));
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

    let err =
        invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "门店"), "secret": sb.secret()})).unwrap_err();
    assert_eq!(err["code"], "keyring_unavailable");
    assert!(
        err["message"].as_str().unwrap().contains("gnome-keyring")
            && err["message"].as_str().unwrap().contains("this run only"),
        "{err}"
    );
    assert!(!path.exists(), "nothing saved");
    let listed = invoke(&w, "list_profiles", json!({})).unwrap();
    assert_eq!(listed["keyring_error"]["code"], "keyring_unavailable");

    let view = invoke(
        &w,
        "save_profile",
        json!({"profile": sandbox_form(&sb, "门店"), "secret": sb.secret(), "remember": "memory"}),
    )
    .unwrap();
    assert_eq!(view["profiles"][0]["secret"], "memory");
    assert!(!std::fs::read_to_string(&path).unwrap().contains(&sb.secret()));
    invoke(&w, "set_active_profile", json!({"id": view["profiles"][0]["id"]})).unwrap();
    assert_eq!(invoke(&w, "list_agents", json!({})).unwrap().as_array().unwrap().len(), sb.world().agents.len());
}

#[test]
fn adding_an_agent_with_an_invite_is_one_flow_that_reports_each_step() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let oa = sb.oa_wechat_id();
    let out =
        invoke(&w, "add_agent", json!({"prefix": "newbie", "nickname": "新同事", "inviteWx": "newbie_wx"})).unwrap();
    assert_eq!(out, json!({"kf_account": format!("newbie@{oa}"), "avatar_error": null, "invite_error": null}));
    {
        let world = sb.world();
        let a = world.agent(&format!("newbie@{oa}")).expect("created");
        assert_eq!(a.nick, "新同事");
        assert_eq!(a.invite.as_ref().unwrap().wx, "newbie_wx");
    }
    // The invite fails after the agent exists: say so, and do not pretend nothing happened.
    let out =
        invoke(&w, "add_agent", json!({"prefix": "second", "nickname": "二号", "inviteWx": "busy_worker01"})).unwrap();
    assert_eq!(out["kf_account"], format!("second@{oa}"));
    assert_eq!(
        (out["invite_error"]["errcode"].as_i64(), out["invite_error"]["code"].as_str()),
        (Some(65410), Some("wechat"))
    );
    assert!(sb.world().agent(&format!("second@{oa}")).is_some());
    // Retrying only the invite works.
    invoke(&w, "invite_agent", json!({"kfAccount": format!("second@{oa}"), "inviteWx": "second_wx"})).unwrap();
    let err =
        invoke(&w, "invite_agent", json!({"kfAccount": format!("second@{oa}"), "inviteWx": "third_wx"})).unwrap_err();
    assert_eq!(err["errcode"], 65411);
    assert!(err["message"].as_str().unwrap().contains("already has an invitation waiting"), "{err}");

    let err = invoke(&w, "add_agent", json!({"prefix": "newbie", "nickname": "重复"})).unwrap_err();
    assert_eq!(err["errcode"], 65406);
    let err = invoke(&w, "add_agent", json!({"prefix": "bad-prefix", "nickname": "x"})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["errcode"].as_i64()), (Some("invalid_input"), None));
    let err = invoke(&w, "add_agent", json!({"prefix": "ok", "nickname": "x", "inviteWx": "13800138000"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(sb.world().agent(&format!("ok@{oa}")).is_none(), "nothing created when a later step's input is bad");
}

#[test]
fn a_lost_answer_to_add_is_checked_not_resent() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    sb.set_fault("/customservice/kfaccount/add", Fault::kind(crate::sandbox::FaultKind::DropResponse));
    let out = invoke(&w, "add_agent", json!({"prefix": "lost", "nickname": "丢包"})).unwrap();
    assert_eq!(out["invite_error"], Value::Null);
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 1, "never sent twice");
    assert_eq!(sb.world().agents.iter().filter(|a| a.nick == "丢包").count(), 1);
    // The connection dropped before WeChat did anything: an error, and still one request.
    sb.set_fault("/customservice/kfaccount/add", Fault::kind(crate::sandbox::FaultKind::DropConnection));
    let err = invoke(&w, "add_agent", json!({"prefix": "gone", "nickname": "没了"})).unwrap_err();
    assert_eq!(err["code"], "network");
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 2);
}

#[test]
fn edit_and_delete_agents() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let account = sb.world().agents[0].account.clone();
    invoke(&w, "update_agent", json!({"kfAccount": account, "nickname": "新昵称"})).unwrap();
    assert_eq!(sb.world().agent(&account).unwrap().nick, "新昵称");
    let err = invoke(&w, "update_agent", json!({"kfAccount": account, "nickname": ""})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    invoke(&w, "delete_agent", json!({"kfAccount": account})).unwrap();
    assert!(sb.world().agent(&account).is_none());
    let err = invoke(&w, "delete_agent", json!({"kfAccount": account})).unwrap_err();
    assert_eq!(err["errcode"], 65401);
}

/// An app on `sb` with its configuration at `path`: started again, it reads what the last one wrote.
fn restartable(
    path: &std::path::Path,
    sb: &SandboxHandle,
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

#[test]
fn groups_are_kept_per_profile_and_survive_a_restart() {
    let path = config_path();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    let start = || restartable(&path, &sb);
    let (app, w) = start();
    let a = sb.world().agents[0].account.clone();
    let saved = invoke(
        &w,
        "save_groups",
        json!({"groups": [{"name": " 售后 ", "members": [a, a]}, {"name": "VIP", "members": []}]}),
    )
    .unwrap();
    assert_eq!(saved, json!([{"name": "售后", "members": [a]}, {"name": "VIP", "members": []}]));
    let err = invoke(&w, "save_groups", json!({"groups": [{"name": "VIP"}, {"name": "VIP"}]})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    // Another profile has its own (empty) groups.
    let form = json!({"name": "门店", "app_id": sb.appid(), "oa_wechat_id": sb.oa_wechat_id(), "token_kind": "app_secret", "api_base": sb.base_url()});
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
    let id = view["profiles"][0]["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    assert_eq!(invoke(&w, "list_groups", json!({})).unwrap(), json!([]));
    invoke(&w, "set_active_profile", json!({"id": "sandbox"})).unwrap();
    drop((w, app));

    // A restart reads them back from the file.
    let (_app, w) = start();
    assert_eq!(invoke(&w, "list_groups", json!({})).unwrap(), saved);
}

/// Notes on customers: per account, in the app's data, through a restart; the rules in words.
#[test]
fn customer_notes_are_kept_per_profile_and_survive_a_restart() {
    let path = config_path();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    let start = || restartable(&path, &sb);
    let (app, w) = start();
    let (c1, c2) = {
        let world = sb.world();
        let mut ids = world.customers.keys();
        (ids.next().unwrap().clone(), ids.next().unwrap().clone())
    };
    assert_eq!(invoke(&w, "customer_notes", json!({})).unwrap(), json!({}));
    invoke(&w, "set_customer_note", json!({"openid": c1, "note": "  王女士 · 退货 "})).unwrap();
    let notes = invoke(&w, "set_customer_note", json!({"openid": c2, "note": "老客户"})).unwrap();
    assert_eq!(notes, json!({c1.clone(): "王女士 · 退货", c2.clone(): "老客户"}));
    let notes = invoke(&w, "set_customer_note", json!({"openid": c2, "note": ""})).unwrap();
    assert_eq!(notes, json!({c1.clone(): "王女士 · 退货"}), "an empty note removes it");
    let err = invoke(&w, "set_customer_note", json!({"openid": c1, "note": "长".repeat(41)})).unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["message"].as_str()),
        (Some("invalid_input"), Some("A note holds at most 40 characters, on one line."))
    );
    let err = invoke(&w, "set_customer_note", json!({"openid": c1, "note": "a\nb"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    // Another account has its own.
    let form = json!({"name": "门店", "app_id": sb.appid(), "oa_wechat_id": sb.oa_wechat_id(), "token_kind": "app_secret", "api_base": sb.base_url()});
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
    invoke(&w, "set_active_profile", json!({"id": view["profiles"][0]["id"].clone()})).unwrap();
    assert_eq!(invoke(&w, "customer_notes", json!({})).unwrap(), json!({}));
    invoke(&w, "set_active_profile", json!({"id": "sandbox"})).unwrap();
    drop((w, app));
    // A restart reads them back.
    let (_app, w) = start();
    assert_eq!(invoke(&w, "customer_notes", json!({})).unwrap(), json!({c1: "王女士 · 退货"}));
}

/// A batch assignment: the first N waiting to the most free places, each outcome reported (a
/// refusal in words for its customer, the others assigned), checked at the sandbox.
#[test]
fn the_first_waiting_go_to_the_agents_with_the_most_free_places() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let free_before: std::collections::HashMap<String, i64> = {
        let world = sb.world();
        world
            .agents
            .iter()
            .filter(|a| a.status > 0)
            .map(|a| (a.account.clone(), i64::from(a.auto_accept) - world.sessions_of(&a.account) as i64))
            .collect()
    };
    let first: Vec<String> = sb.world().waiting.iter().take(3).map(|c| c.openid.clone()).collect();
    sb.set_fault("/customservice/kfsession/create", Fault::errcode(65415).times(1));
    let out = invoke(&w, "assign_waiting", json!({"count": 3})).unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(
        out.iter().map(|i| i["openid"].as_str().unwrap().to_string()).collect::<Vec<_>>(),
        first,
        "the first three, in order"
    );
    assert_eq!(out[0]["error"]["errcode"], 65415, "the refusal, for that customer: {:?}", out[0]);
    assert!(out[0]["error"]["message"].as_str().unwrap().starts_with("指定的客服不在线"), "in words: {:?}", out[0]);
    // Each customer in turn to an agent with the most places left, counting the ones already
    // planned (the refused first one included: it was planned before WeChat refused it).
    let mut left = free_before.clone();
    for (i, item) in out.iter().enumerate() {
        let agent = item["kf_account"].as_str().unwrap();
        let most = left.values().max().copied().unwrap();
        assert_eq!(
            left[agent], most,
            "customer {i} went to {agent} with {} places left, the most was {most}",
            left[agent]
        );
        *left.get_mut(agent).unwrap() -= 1;
        if i > 0 {
            assert_eq!(item["error"], Value::Null);
            assert_eq!(
                sb.world().sessions.get(item["openid"].as_str().unwrap()).map(|s| s.kf_account.clone()),
                Some(agent.to_string()),
                "assigned at the sandbox"
            );
        }
    }
    assert!(sb.world().waiting.iter().any(|c| c.openid == first[0]), "the refused one still waits");
    let err = invoke(&w, "assign_waiting", json!({"count": 0})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}

/// The overview names what each customer on the page last wrote (from the records).
#[test]
fn the_overview_carries_each_customers_last_words() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let ov = invoke(&w, "session_overview", json!({})).unwrap();
    let first = ov["waiting"][0]["openid"].as_str().unwrap().to_string();
    let wrote =
        sb.world().records().iter().rev().find(|r| *r.openid == *first && r.opercode == 2001).unwrap().text.to_string();
    assert_eq!(ov["last_words"][&first]["text"], wrote.as_str());
    let served = ov["agents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["sessions"].as_array().unwrap().clone())
        .map(|s| s["openid"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(
        !served.is_empty() && served.iter().all(|o| ov["last_words"][o]["text"].is_string()),
        "every served customer's last words"
    );
}

#[test]
fn a_picture_file_becomes_the_agents_avatar() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    // A 1200×800 PNG with transparency, as a user would drop.
    let png = dir.join("photo.png");
    image::RgbaImage::from_fn(1200, 800, |x, _| image::Rgba([(x % 256) as u8, 90, 160, if x < 600 { 255 } else { 0 }]))
        .save(&png)
        .unwrap();
    let preview = invoke(&w, "prepare_avatar", json!({"path": png})).unwrap();
    assert_eq!((preview["source_width"].as_u64(), preview["source_height"].as_u64()), (Some(1200), Some(800)));
    assert!(preview["data_url"].as_str().unwrap().starts_with("data:image/jpeg;base64,/9j/"));

    let account = sb.world().agents.iter().find(|a| a.avatar_version == 0).map(|a| a.account.clone()).unwrap();
    invoke(&w, "upload_avatar", json!({"kfAccount": account, "path": png, "nudge": {"x": -1.0, "y": 0.0}})).unwrap();
    let world = sb.world();
    let agent = world.agent(&account).unwrap();
    let stored = world.avatars.get(&agent.kf_id).expect("uploaded");
    let img = image::load_from_memory(stored).unwrap();
    assert_eq!((img.width(), img.height()), (640, 640));
    drop(world);

    // Bad files: a clear message in the user's language, nothing uploaded.
    let heic = dir.join("IMG_0001.HEIC");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    let err = invoke(&w, "upload_avatar", json!({"kfAccount": account, "path": heic})).unwrap_err();
    assert_eq!(err["code"], "image");
    assert!(err["message"].as_str().unwrap().contains("HEIC"), "{err}");
    let err = invoke(&w, "prepare_avatar", json!({"path": dir.join("missing.jpg")})).unwrap_err();
    assert_eq!(err["code"], "file");
    assert_eq!(sb.requests("/customservice/kfaccount/uploadheadimg"), 1);
}

#[test]
fn adding_an_agent_with_an_avatar_uploads_it_in_the_same_flow() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let oa = sb.oa_wechat_id();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let jpg = dir.join("face.jpg");
    image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 128])).save(&jpg).unwrap();

    let out = invoke(&w, "add_agent", json!({"prefix": "pic", "nickname": "有头像", "inviteWx": "pic_wx", "avatar": {"path": jpg, "nudge": {"x": 1.0, "y": 0.0}}})).unwrap();
    assert_eq!(out, json!({"kf_account": format!("pic@{oa}"), "avatar_error": null, "invite_error": null}));
    {
        let world = sb.world();
        let agent = world.agent(&format!("pic@{oa}")).unwrap();
        let stored = image::load_from_memory(world.avatars.get(&agent.kf_id).expect("avatar uploaded")).unwrap();
        assert_eq!((stored.width(), stored.height()), (640, 640));
        assert_eq!(agent.invite.as_ref().unwrap().wx, "pic_wx", "and invited");
    }

    // An unusable picture is refused before anything is created.
    let heic = dir.join("IMG_0002.HEIC");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    let err =
        invoke(&w, "add_agent", json!({"prefix": "nopic", "nickname": "无", "avatar": {"path": heic}})).unwrap_err();
    assert_eq!(err["code"], "image");
    assert!(sb.world().agent(&format!("nopic@{oa}")).is_none());
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 1);

    // The upload fails after creation: said as such, the invite still goes out, nothing twice.
    sb.set_fault("/customservice/kfaccount/uploadheadimg", Fault::errcode(40005));
    let out = invoke(
        &w,
        "add_agent",
        json!({"prefix": "late", "nickname": "晚到", "inviteWx": "late_wx", "avatar": {"path": jpg}}),
    )
    .unwrap();
    assert_eq!(out["kf_account"], format!("late@{oa}"));
    assert_eq!(out["avatar_error"]["errcode"], 40005);
    assert!(!out["avatar_error"]["message"].as_str().unwrap().is_empty());
    assert_eq!(out["invite_error"], Value::Null);
    assert!(sb.world().agent(&format!("late@{oa}")).unwrap().invite.is_some());
    assert_eq!(sb.requests("/customservice/kfaccount/add"), 2);
}

#[test]
fn records_are_fetched_read_in_pages_searched_and_exported() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "zh-CN"})).unwrap();
    let err = invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).unwrap_err();
    assert_eq!(err["code"], "no_records");
    let err = invoke(&w, "fetch_records", json!({"from": "2026-11-05", "to": "2026-11-01"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("日期"), "{err}");

    // The demo history: the last week, in CST days.
    let now = sb.world().now();
    let day = |t: i64| crate::records::format_cst(t)[..10].to_string();
    let (from, to) = (day(now - 6 * 86_400), day(now));
    let (start, _) = crate::records::cst_date_range(&from, &to).unwrap();
    let expected = sb.world().records().iter().filter(|r| r.time >= start && r.time <= now).count();
    assert!(expected > 1000, "demo history: {expected}");
    let summary = invoke(&w, "fetch_records", json!({"from": from, "to": to})).unwrap();
    assert_eq!(summary["total"], expected);
    assert_eq!(summary["windows"], 7);
    assert_eq!(summary["requests"], 7, "one call per day under 10 000 records");

    let page = invoke(&w, "record_rows", json!({"search": "", "offset": 100, "limit": 50})).unwrap();
    assert_eq!(
        (page["total"].as_u64(), page["matching"].as_u64(), page["offset"].as_u64()),
        (Some(expected as u64), Some(expected as u64), Some(100))
    );
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert!(rows.windows(2).all(|p| p[0]["time"].as_i64() <= p[1]["time"].as_i64()));
    assert!(rows
        .iter()
        .all(|r| !r["operation"].as_str().unwrap().is_empty() && r["time_text"].as_str().unwrap().len() == 19));

    let closed = invoke(&w, "record_rows", json!({"search": "关闭会话", "offset": 0, "limit": 1000})).unwrap();
    let n = closed["matching"].as_u64().unwrap() as usize;
    assert_eq!(
        n,
        sb.world().records().iter().filter(|r| r.time >= start && r.time <= now && r.opercode == 1004).count()
    );

    let path = config_path().parent().unwrap().join("records.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let out = invoke(&w, "export_records", json!({"path": path, "search": "关闭会话"})).unwrap();
    assert_eq!(out["rows"], n);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), n + 1);
    let err = invoke(&w, "export_records", json!({"path": path.join("not-a-dir/x.csv"), "search": ""})).unwrap_err();
    assert_eq!(err["code"], "file");

    // A header click: newest first; by agent in the page's order (the agent it ranks first
    // leads), each agent's records in time order, records without an agent last; the export
    // follows the order on screen.
    let newest = invoke(
        &w,
        "record_rows",
        json!({"search": "", "offset": 0, "limit": 1000, "order": {"key": "time", "desc": true}}),
    )
    .unwrap();
    let rows = newest["rows"].as_array().unwrap();
    assert!(rows.windows(2).all(|p| p[0]["time"].as_i64() >= p[1]["time"].as_i64()));
    let workers: std::collections::BTreeSet<String> = sb
        .world()
        .records()
        .iter()
        .filter(|r| r.time >= start && r.time <= now && !r.worker.is_empty())
        .map(|r| r.worker.to_string())
        .collect();
    let last = workers.iter().next_back().unwrap().clone();
    let order = json!({"key": "agent", "desc": false, "ranked": [last]});
    let mut seen: Vec<(String, i64)> = Vec::new();
    while seen.len() < expected {
        let more =
            invoke(&w, "record_rows", json!({"search": "", "offset": seen.len(), "limit": 10000, "order": order}))
                .unwrap();
        let rows = more["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "pages until {expected}");
        seen.extend(rows.iter().map(|r| (r["agent"].as_str().unwrap().to_string(), r["time"].as_i64().unwrap())));
    }
    assert_eq!(seen[0].0, last, "the agent the page ranks first leads");
    let mut want: Vec<String> = vec![last.clone()];
    want.extend(workers.iter().filter(|w| **w != last).cloned());
    want.push(String::new());
    let mut groups: Vec<String> = seen.iter().map(|s| s.0.clone()).collect();
    groups.dedup();
    assert_eq!(groups, want, "grouped by agent: the ranked one, the others by account, none last");
    assert!(seen.windows(2).all(|p| p[0].0 != p[1].0 || p[0].1 <= p[1].1), "time order inside each agent");
    let out = invoke(&w, "export_records", json!({"path": path, "search": "", "order": order})).unwrap();
    assert_eq!(out["rows"], expected);
    let text = std::fs::read_to_string(&path).unwrap();
    let first_row = text.lines().nth(1).unwrap();
    assert!(first_row.contains(&last), "the export starts as the table does: {first_row}");

    // One agent only.
    let agent =
        sb.world().records().iter().rev().find(|r| r.time >= start && !r.worker.is_empty()).unwrap().worker.clone();
    let mine = invoke(&w, "fetch_records", json!({"from": from, "to": to, "agent": agent})).unwrap();
    assert_eq!(
        mine["total"],
        sb.world().records().iter().filter(|r| r.time >= start && r.time <= now && r.worker == agent).count()
    );
}

#[test]
fn sessions_overview_assign_transfer_close_and_messages() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let ov = invoke(&w, "session_overview", json!({})).unwrap();
    {
        let world = sb.world();
        assert_eq!(ov["waiting_count"].as_u64().unwrap() as usize, world.waiting.len());
        let online: Vec<&str> =
            ov["agents"].as_array().unwrap().iter().map(|a| a["kf_account"].as_str().unwrap()).collect();
        let mut expected: Vec<&str> =
            world.agents.iter().filter(|a| a.status > 0).map(|a| a.account.as_str()).collect();
        expected.sort();
        assert_eq!(online, expected, "every online agent, by account");
        for a in ov["agents"].as_array().unwrap() {
            let n = world.sessions.values().filter(|s| s.kf_account == a["kf_account"].as_str().unwrap()).count();
            assert_eq!(a["sessions"].as_array().unwrap().len(), n);
            assert!(!a["nickname"].as_str().unwrap().is_empty());
        }
    }
    let avg = ov["avg_session_secs"].as_f64().expect("the demo history has ended sessions");
    assert!(avg > 60.0 && avg < 3600.0 && ov["avg_basis_sessions"].as_u64().unwrap() > 0, "{avg}");

    // Assign the first waiting customer to an online agent with room.
    let customer = ov["waiting"][0]["openid"].as_str().unwrap().to_string();
    let agents = ov["agents"].as_array().unwrap();
    let (a, b) =
        (agents[0]["kf_account"].as_str().unwrap().to_string(), agents[1]["kf_account"].as_str().unwrap().to_string());
    invoke(&w, "assign_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    assert_eq!(sb.world().sessions.get(&customer).unwrap().kf_account, a);
    assert!(!sb.world().waiting.iter().any(|x| x.openid == customer), "left the queue");
    let found = invoke(&w, "find_session", json!({"openid": customer})).unwrap();
    assert_eq!(found["kf_account"], a.as_str());
    let err = invoke(&w, "assign_session", json!({"kfAccount": b, "openid": customer})).unwrap_err();
    assert_eq!(err["errcode"], 65414);
    assert!(err["message"].as_str().unwrap().contains("Another agent"), "{err}");

    // Transfer = close + create.
    let out = invoke(&w, "transfer_session", json!({"from": a, "to": b, "openid": customer})).unwrap();
    assert_eq!(out["create_error"], Value::Null);
    assert_eq!(sb.world().sessions.get(&customer).unwrap().kf_account, b);
    let offline = sb.world().agents.iter().find(|x| x.status == 0 && x.kf_wx.is_some()).unwrap().account.clone();
    let out = invoke(&w, "transfer_session", json!({"from": b, "to": offline, "openid": customer})).unwrap();
    assert_eq!(out["create_error"]["errcode"], 65415, "closed, but the offline agent cannot take it");
    assert!(!sb.world().sessions.contains_key(&customer));
    assert_eq!(invoke(&w, "find_session", json!({"openid": customer})).unwrap(), Value::Null);
    invoke(&w, "assign_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    invoke(&w, "close_session", json!({"kfAccount": a, "openid": customer})).unwrap();
    let err = invoke(&w, "close_session", json!({"kfAccount": a, "openid": customer})).unwrap_err();
    assert_eq!(err["errcode"], 65413);

    // Messages: the 48-hour rule in words; empty text refused before calling.
    let stale = {
        let world = sb.world();
        let now = world.now();
        world.customers.iter().find(|(_, c)| c.last_user_msg < now - 49 * 3600).unwrap().0.clone()
    };
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": stale, "text": "您好"})).unwrap_err();
    assert_eq!(err["errcode"], 45015);
    assert!(err["message"].as_str().unwrap().contains("48 hours"), "{err}");
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": customer, "text": "  "})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let err = invoke(&w, "send_text", json!({"kfAccount": a, "openid": " ", "text": "您好"})).unwrap_err();
    assert_eq!(
        (err["code"].as_str(), err["message"].as_str()),
        (Some("invalid_input"), Some("Enter the customer's openid."))
    );
    invoke(&w, "send_text", json!({"kfAccount": a, "openid": customer, "text": "您好，请问还需要帮助吗？"})).unwrap();
    assert!(sb
        .world()
        .records()
        .iter()
        .any(|r| *r.openid == *customer && r.opercode == 2002 && r.text.contains("还需要帮助")));

    // "Typing…": only inside the 48 hours, right after an exchange, once per 15 s (refusals in words).
    let err = invoke(&w, "set_typing", json!({"openid": stale, "typing": true})).unwrap_err();
    assert_eq!(err["errcode"], 45015, "{err}");
    sb.world().customer_writes(&customer, "在吗").unwrap();
    invoke(&w, "set_typing", json!({"openid": customer, "typing": true})).unwrap();
    let err = invoke(&w, "set_typing", json!({"openid": customer, "typing": true})).unwrap_err();
    assert_eq!(err["errcode"], 45081);
    assert!(err["message"].as_str().unwrap().contains("already showing"), "{err}");
    invoke(&w, "set_typing", json!({"openid": customer, "typing": false})).unwrap();
}

/// Closing with a goodbye is one flow in Rust: the goodbye goes first; when it cannot be sent
/// the session stays open; when it was sent but closing fails, a retry does not send it again.
#[test]
fn closing_with_a_goodbye_sends_it_first_and_never_twice() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let (agent, customer) = {
        let mut world = sb.world();
        let customer = world.rush(1, "在吗").remove(0);
        (world.agents.iter().find(|a| a.status != 0).unwrap().account.clone(), customer)
    };
    invoke(&w, "assign_session", json!({"kfAccount": agent, "openid": customer})).unwrap();
    let goodbyes = |sb: &SandboxHandle| {
        sb.world()
            .records()
            .iter()
            .filter(|r| *r.openid == *customer && r.opercode == 2002 && r.text.contains("再见"))
            .count()
    };

    // The goodbye is refused (outside the 48 hours): nothing happens, in words, with WeChat's errcode.
    sb.set_fault("/cgi-bin/message/custom/send", Fault::errcode(45015).times(1));
    let err =
        invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "感谢咨询，再见！"}))
            .unwrap_err();
    assert_eq!(err["errcode"].as_i64(), Some(45015), "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.starts_with("结束语未能发送，会话仍然开着：") && message.contains("48"), "{message}");
    assert!(sb.world().sessions.contains_key(&customer), "the session is still open");

    // Sent, but closing fails: the outcome says so; the retry without a goodbye closes.
    sb.set_fault("/customservice/kfsession/close", Fault::errcode(-1).times(1));
    let out =
        invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "感谢咨询，再见！"}))
            .unwrap();
    assert_eq!(
        (out["goodbye_sent"].as_bool(), out["close_error"]["code"].as_str()),
        (Some(true), Some("busy")),
        "{out}"
    );
    assert!(sb.world().sessions.contains_key(&customer), "still open after the failed close");
    assert_eq!(goodbyes(&sb), 1);
    let out = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": null})).unwrap();
    assert_eq!(out, json!({"goodbye_sent": false, "close_error": null}));
    assert!(!sb.world().sessions.contains_key(&customer), "closed");
    assert_eq!(goodbyes(&sb), 1, "the goodbye reached the customer once");

    // A goodbye WeChat would refuse is refused before anything is sent or closed.
    invoke(&w, "assign_session", json!({"kfAccount": agent, "openid": customer})).unwrap();
    let err = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "长".repeat(700)}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(sb.world().sessions.contains_key(&customer));
    // A blank goodbye is no goodbye.
    let out = invoke(&w, "close_session", json!({"kfAccount": agent, "openid": customer, "goodbye": "  "})).unwrap();
    assert_eq!(out["goodbye_sent"], false);
    assert!(!sb.world().sessions.contains_key(&customer));
}

/// Records fetched for one account are never shown or exported once another is active.
#[test]
fn records_belong_to_the_profile_they_were_fetched_for() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let now = sb.world().now();
    let day = crate::records::format_cst(now)[..10].to_string();
    invoke(&w, "fetch_records", json!({"from": day, "to": day})).unwrap();
    assert!(invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).is_ok());
    let other =
        tauri::async_runtime::block_on(sandbox::start(SandboxConfig { seed: 7, ..SandboxConfig::default() }, 0))
            .unwrap();
    let view =
        invoke(&w, "save_profile", json!({"profile": sandbox_form(&other, "另一个公众号"), "secret": other.secret()}))
            .unwrap();
    let id = view["profiles"][0]["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    assert_eq!(
        invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).unwrap_err()["code"],
        "no_records"
    );
    let path = config_path().parent().unwrap().join("other.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    assert_eq!(invoke(&w, "export_records", json!({"path": path, "search": ""})).unwrap_err()["code"], "no_records");
    assert!(!path.exists(), "nothing of the first account was written");
}

/// A configuration file that cannot be read (here: the path is a folder, as when it cannot be
/// opened) is never written over: saving says why; reading it again works once it is fixed.
#[test]
fn an_unreadable_configuration_is_not_written_over() {
    crate::secrets::use_mock_store();
    // A configuration file that exists but cannot be read (its permissions, here): the child
    // runs as `nobody` when the tests run as root, so the permissions apply to it too.
    if let Some(path) = crate::child::limited_child_target() {
        assert!(std::fs::read(&path).is_err(), "the child cannot read it");
        let state = AppState::with_config_file(Lang::En, path.clone()).with_keyring_ready();
        let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
        let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
        app.state::<AppState>().set_sandbox(sb.clone());
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        let view = invoke(&w, "list_profiles", json!({})).unwrap();
        assert_eq!(view["config_unreadable"], true);
        assert!(view["config_notice"].as_str().unwrap().contains("does not write over it"), "{view}");
        let e =
            invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "A"), "secret": sb.secret()})).unwrap_err();
        assert_eq!(e["code"], "config_write");
        assert!(e["message"].as_str().unwrap().contains("not written over"), "{e}");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let path = config_path();
    let dir = path.parent().unwrap();
    let kept = r#"{"version": 2, "profiles": [{"id": "p1", "name": "the user's data", "platform": "mp", "app_id": "wx1234567890abcdef", "oa_wechat_id": "shop_cs", "token": {"kind": "app_secret"}}]}"#;
    std::fs::write(&path, kept).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // The folder is the child's: without the guard it could replace the file. (The scratch
    // root is private to this process: the child may pass through it.)
    std::fs::set_permissions(dir.parent().unwrap(), std::fs::Permissions::from_mode(0o711)).unwrap();
    crate::child::give_to_child(dir);
    crate::child::run_limited(
        "commands::ipc_tests::an_unreadable_configuration_is_not_written_over",
        crate::child::Limit::NotRoot,
        &path,
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), kept, "the file is as it was");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 1, "nothing beside it either");

    // Once it can be read again (here: a folder at its place, then a valid file), reading it
    // again makes saving work.
    let path = config_path();
    std::fs::create_dir_all(&path).unwrap();
    let state = AppState::with_config_file(Lang::En, path.clone()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    assert_eq!(invoke(&w, "list_profiles", json!({})).unwrap()["config_unreadable"], true);
    std::fs::remove_dir_all(&path).unwrap();
    std::fs::write(&path, r#"{"version": 2, "profiles": []}"#).unwrap();
    let view = invoke(&w, "reload_config", json!({})).unwrap();
    assert_eq!(view["config_unreadable"], false);
    assert!(invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "A"), "secret": sb.secret()})).is_ok());
}

/// A dropped pipe would be read for ever and a 20 GB file whole: both are refused from their
/// metadata, before reading, with words.
#[test]
fn pipes_and_huge_files_are_refused_before_they_are_read() {
    let (_app, w, _sb) = app(true);
    invoke(&w, "set_locale", json!({"lang": "en"})).unwrap();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("photo.jpg");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let e = invoke(&w, "prepare_avatar", json!({"path": fifo})).unwrap_err();
    assert_eq!(e["code"], "file");
    assert!(e["message"].as_str().unwrap().contains("not a file"), "{e}");
    let huge = dir.join("huge.png");
    std::fs::File::create(&huge).unwrap().set_len(20 << 30).unwrap();
    let e = invoke(&w, "prepare_avatar", json!({"path": huge})).unwrap_err();
    assert_eq!(e["code"], "image");
    assert!(e["message"].as_str().unwrap().contains("too large"), "{e}");
    let _ = std::fs::remove_file(&huge);
}

/// A proxy's password goes to the keyring, not the configuration file or the web view; the
/// client gets it back.
#[test]
fn a_proxy_password_is_kept_in_the_keyring_only() {
    let (app, w, sb) = app(true);
    let sb = sb.unwrap();
    let mut form = sandbox_form(&sb, "代理公众号");
    form["proxy"] = json!("http://kefu:p%40ss-w0rd@127.0.0.1:3128");
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
    let p = &view["profiles"][0];
    assert_eq!(p["proxy"], "http://kefu@127.0.0.1:3128/");
    assert!(!view.to_string().contains("w0rd"), "the web view never sees it: {view}");
    let state = app.state::<AppState>();
    let on_disk = std::fs::read_to_string(state.config_path_for_tests()).unwrap();
    assert!(!on_disk.contains("w0rd") && on_disk.contains("kefu@127.0.0.1:3128"), "{on_disk}");
    let id = p["id"].as_str().unwrap().to_string();
    let kept = crate::secrets::load_blocking(&id, crate::secrets::SecretKind::ProxyPassword).unwrap().unwrap();
    assert_eq!(kept.expose(), "p@ss-w0rd");
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    // The proxy is not there: the call fails, but the client was built with the password.
    let _ = invoke(&w, "list_agents", json!({}));
    let active = state.cached_active().expect("built");
    assert_eq!(active.client.transport().config().proxy.as_deref(), Some("http://kefu:p%40ss-w0rd@127.0.0.1:3128/"));
    let e = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert!(!e.to_string().contains("w0rd"), "{e}");
    // Deleting the profile deletes it too.
    invoke(&w, "delete_profile", json!({"id": id})).unwrap();
    assert!(crate::secrets::load_blocking(&id, crate::secrets::SecretKind::ProxyPassword).unwrap().is_none());
}

/// Cancel through the command while a fetch is under way: the fetch ends `cancelled` and the
/// days not begun are not asked.
#[test]
fn a_fetch_is_cancelled_through_the_command_while_it_runs() {
    let (app, w, sb) = app(true);
    let sb = sb.unwrap();
    let now = sb.world().now();
    let day = |t: i64| crate::records::format_cst(t)[..10].to_string();
    // Each page takes a while, so there is time to cancel.
    sb.set_fault(
        "/customservice/msgrecord/getmsglist",
        crate::sandbox::Fault::kind(crate::sandbox::FaultKind::DelayOnly).delay_ms(400),
    );
    sb.reset_request_counts();
    let (from, to) = (day(now - 30 * 86_400), day(now));
    let fetching = std::thread::spawn(move || invoke(&w, "fetch_records", json!({"from": from, "to": to})));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sb.requests("/customservice/msgrecord/getmsglist") == 0 {
        assert!(std::time::Instant::now() < until, "the fetch did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let w2 = app.get_webview_window("main").unwrap();
    invoke(&w2, "cancel_records", json!({})).unwrap();
    let answer = fetching.join().unwrap();
    assert_eq!(answer.unwrap_err()["code"], "cancelled");
    let asked = sb.requests("/customservice/msgrecord/getmsglist");
    assert!(asked < 31, "stopped part-way: {asked} of 31 days asked");
}
