//! The staff's notes on customers, kept per profile.

use super::*;

/// Notes on customers: per account, in the app's data, through a restart; the rules in words.
#[test]
fn customer_notes_are_kept_per_profile_and_survive_a_restart() {
    let path = config_path();
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
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
