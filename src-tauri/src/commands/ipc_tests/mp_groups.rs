//! Agent groups, kept per profile.

use super::*;

#[test]
fn groups_are_kept_per_profile_and_survive_a_restart() {
    let path = config_path();
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
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
