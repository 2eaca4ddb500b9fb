//! The app-wide commands: what the app says about itself, and how every error reaches the UI.

use super::*;

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
    assert_eq!(info["profile"]["oa_wechat_id"], sandbox::mp::DEMO_OA_WECHAT_ID);
    assert_eq!(info["lang"], "zh-CN");
    assert!(info.to_string().find(sandbox::mp::DEMO_SECRET).is_none(), "no secret in the web view");
}

#[test]
fn without_a_profile_commands_say_so() {
    let (_app, w, _) = app(false);
    let err = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_profile");
    assert_eq!(err["errcode"], Value::Null);
}
