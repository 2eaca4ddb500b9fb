//! Profiles: saved with their secrets in the keyring only, bad forms refused, an unreadable
//! configuration never written over.

use super::*;

#[test]
fn a_profile_is_saved_with_its_secret_in_the_keyring_only_and_can_be_used() {
    let path = config_path();
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::En, path.clone()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
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
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
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
        let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
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
        "commands::ipc_tests::profiles::an_unreadable_configuration_is_not_written_over",
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
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    assert_eq!(invoke(&w, "list_profiles", json!({})).unwrap()["config_unreadable"], true);
    std::fs::remove_dir_all(&path).unwrap();
    std::fs::write(&path, r#"{"version": 2, "profiles": []}"#).unwrap();
    let view = invoke(&w, "reload_config", json!({})).unwrap();
    assert_eq!(view["config_unreadable"], false);
    assert!(invoke(&w, "save_profile", json!({"profile": sandbox_form(&sb, "A"), "secret": sb.secret()})).is_ok());
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
