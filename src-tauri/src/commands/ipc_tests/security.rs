//! Hardening through the commands: stored addresses that would carry a secret in clear text,
//! and a proxy password that must not follow a changed proxy host.

use std::io::ErrorKind;
use std::net::TcpListener;

use serde_json::{json, Value};
use tauri::Manager;

use super::{app, invoke};
use crate::secrets::{load_blocking, SecretKind};
use crate::state::AppState;

/// A listener on this computer that counts who connects (and never answers).
struct Listener(TcpListener);

impl Listener {
    fn new() -> Listener {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        Listener(l)
    }
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.0.local_addr().unwrap().port())
    }
    fn connections(&self) -> usize {
        let mut n = 0;
        loop {
            match self.0.accept() {
                Ok(_) => n += 1,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return n,
                Err(e) => panic!("{e}"),
            }
        }
    }
}

/// Edits the saved configuration file by hand, as a user or an older version could have.
fn edit_config(app: &tauri::App<tauri::test::MockRuntime>, edit: impl FnOnce(&mut Value)) {
    let path = app.state::<AppState>().config_path_for_tests();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&path, doc.to_string()).unwrap();
}

/// A configuration from before the https rule (or edited by hand) with a plain-http gateway on
/// the network: the first command must not send the AppSecret there. The gateway is reached
/// through a proxy on this computer, which sees every request the client would make to it —
/// without the check it receives `stable_token` with the secret.
#[test]
fn a_stored_plain_http_gateway_is_never_sent_a_secret() {
    let (app, w, sb) = app(true);
    let sb = sb.unwrap();
    let form = json!({"name": "门店网关", "app_id": sb.appid(), "oa_wechat_id": sb.oa_wechat_id(), "token_kind": "app_secret", "api_base": sb.base_url()});
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
    let id = view["profiles"][0]["id"].as_str().unwrap().to_string();
    let proxy = Listener::new();
    edit_config(&app, |doc| {
        let p = doc["profiles"].as_array_mut().unwrap().iter_mut().find(|p| p["id"] == id.as_str()).unwrap();
        p["api_base"] = json!("http://192.168.1.10:8080");
        p["proxy"] = json!(proxy.url());
    });
    let view = invoke(&w, "reload_config", json!({})).unwrap();
    let problem = &view["profiles"][0]["problem"];
    assert_eq!(problem["field"], "api_base", "Settings flags the profile: {view}");
    assert!(problem["message"].as_str().unwrap().contains("https://"), "and says how to fix it: {problem}");
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let e = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert_eq!(e["code"], "insecure", "{e}");
    assert!(e["message"].as_str().unwrap().contains("https://"), "the form's words: {e}");
    assert_eq!(proxy.connections(), 0, "nothing was sent towards the gateway");

    // The same for a token relay and a WeCom callback relay stored as plain http.
    edit_config(&app, |doc| {
        let p = doc["profiles"].as_array_mut().unwrap().iter_mut().find(|p| p["id"] == id.as_str()).unwrap();
        p["api_base"] = json!(sb.base_url());
        p["token"] = json!({"kind": "relay", "url": "http://token.corp.example/wx"});
    });
    let view = invoke(&w, "reload_config", json!({})).unwrap();
    assert_eq!(view["profiles"][0]["problem"]["field"], "relay_url", "{view}");
    assert_eq!(invoke(&w, "list_agents", json!({})).unwrap_err()["code"], "insecure");
    assert_eq!(proxy.connections(), 0);
}

/// After an edit that keeps the proxy's user but changes its host, the stored password is not
/// sent to the new host: the form asks for it again, and a proxy without a user drops it.
#[test]
fn a_proxy_password_does_not_follow_a_changed_host() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let mut form = json!({"name": "代理", "app_id": sb.appid(), "oa_wechat_id": sb.oa_wechat_id(), "token_kind": "app_secret", "api_base": sb.base_url(), "proxy": "http://kefu:pw-1@127.0.0.1:3128"});
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
    let id = view["profiles"][0]["id"].as_str().unwrap().to_string();
    form["id"] = json!(id);

    // The same host without the password in the form (as Settings shows it): kept.
    form["proxy"] = json!("http://kefu@127.0.0.1:3128/");
    invoke(&w, "save_profile", json!({"profile": form})).unwrap();
    assert_eq!(load_blocking(&id, SecretKind::ProxyPassword).unwrap().unwrap().expose(), "pw-1");

    // Another host, same user, no password: refused in words, nothing changed.
    form["proxy"] = json!("http://kefu@127.0.0.9:3128/");
    let e = invoke(&w, "save_profile", json!({"profile": form})).unwrap_err();
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert!(e["message"].as_str().unwrap().contains("再次填写密码"), "{e}");
    let listed = invoke(&w, "list_profiles", json!({})).unwrap();
    assert_eq!(listed["profiles"][0]["proxy"], "http://kefu@127.0.0.1:3128/", "the saved proxy is unchanged");
    // Another port is another host too.
    form["proxy"] = json!("http://kefu@127.0.0.1:8080/");
    assert_eq!(invoke(&w, "save_profile", json!({"profile": form})).unwrap_err()["code"], "invalid_input");

    // With the password typed again the new host is saved with it.
    form["proxy"] = json!("http://kefu:pw-2@127.0.0.9:3128");
    invoke(&w, "save_profile", json!({"profile": form})).unwrap();
    assert_eq!(load_blocking(&id, SecretKind::ProxyPassword).unwrap().unwrap().expose(), "pw-2");

    // A proxy that no longer names a user has no password kept for it.
    form["proxy"] = json!("http://127.0.0.9:3128");
    invoke(&w, "save_profile", json!({"profile": form})).unwrap();
    assert!(load_blocking(&id, SecretKind::ProxyPassword).unwrap().is_none());
}

/// An export that began on one profile and awaits WeChat while the user switches must not start
/// that profile's live reader again after the switch stopped it (it would go on reading and
/// welcoming customers while another profile is active): it is refused instead.
#[test]
fn an_export_across_a_switch_does_not_restart_the_old_reader() {
    use crate::sandbox::{FaultInjection, FaultKind};
    let (app, w, wc) = super::wecom_app(crate::i18n::Lang::En);
    let state = app.state::<AppState>();
    invoke(&w, "list_conversations", json!({})).unwrap();
    assert!(state.reader().is_some(), "the WeCom sandbox's reader runs");
    wc.set_fault("/cgi-bin/kf/account/list", crate::sandbox::Fault::kind(FaultKind::DelayOnly).delay_ms(800));
    wc.reset_request_counts();
    let path = super::config_path().with_file_name("archive.csv");
    let w2 = app.get_webview_window("main").unwrap();
    let exporting =
        std::thread::spawn(move || invoke(&w2, "export_archive", json!({"search": {"text": ""}, "path": path})));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while wc.requests("/cgi-bin/kf/account/list") == 0 {
        assert!(std::time::Instant::now() < until, "the export did not ask for the accounts");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    invoke(&w, "set_active_profile", json!({"id": "sandbox"})).unwrap();
    assert!(state.reader().is_none(), "the switch stopped the reader");
    let e = exporting.join().unwrap().unwrap_err();
    assert_eq!(e["code"], "profile_changed", "{e}");
    assert!(state.reader().is_none(), "and nothing started it again");
}

/// A WeCom profile on the built-in WeCom sandbox (through the API address), saved and active.
fn saved_corp(
    w: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    wc: &crate::sandbox::wecom::WecomSandboxHandle,
    name: &str,
) -> (String, Value) {
    let form = json!({"platform": "wecom", "name": name, "corp_id": wc.corp_id(), "token_kind": "app_secret", "api_base": wc.base_url()});
    let view = invoke(w, "save_profile", json!({"profile": form, "secret": wc.secret()})).unwrap();
    let id = view["profiles"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut form = form;
    form["id"] = json!(id);
    (id, form)
}

/// The archive is of one corp: after the profile's CorpID is edited, corp A's history is not
/// shown as corp B's; A's archive is kept beside and the page says so.
#[test]
fn an_edited_corp_id_never_shows_the_other_corps_archive() {
    let (app, w, wc) = super::wecom_app(crate::i18n::Lang::En);
    let (id, mut form) = saved_corp(&w, &wc, "集团客服");
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let found = invoke(&w, "search_archive", json!({"search": {"text": ""}})).unwrap();
        if found["archived"].as_i64().unwrap() > 0 {
            break;
        }
        assert!(std::time::Instant::now() < until, "corp A's messages were not archived");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    form["corp_id"] = json!("ww0000000000000001");
    invoke(&w, "save_profile", json!({"profile": form})).unwrap();
    let found = invoke(&w, "search_archive", json!({"search": {"text": ""}})).unwrap();
    assert_eq!(found["archived"], 0, "corp A's history is not corp B's: {found}");
    let live = invoke(&w, "reader_status", json!({})).unwrap_or_else(|e| e);
    let dir = app.state::<AppState>().data_dir().unwrap().join("archive");
    let kept: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".other-corp-"))
        .collect();
    assert_eq!(kept.len(), 1, "corp A's archive is kept beside: {kept:?} {live}");
}

/// A corrupt archive file no longer blocks the WeCom pages for good: it is set aside (kept
/// unchanged), a new archive started, and the page is told once.
#[test]
fn a_corrupt_archive_is_set_aside_and_the_pages_work() {
    let (app, w, wc) = super::wecom_app(crate::i18n::Lang::En);
    let (id, _) = saved_corp(&w, &wc, "门店客服");
    let dir = app.state::<AppState>().data_dir().unwrap().join("archive");
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = b"not a database at all ".repeat(500);
    std::fs::write(dir.join(format!("{id}.sqlite")), &garbage).unwrap();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let list = invoke(&w, "list_conversations", json!({})).unwrap();
    let notice = &list["reader"]["notice"];
    assert_eq!(notice["code"], "archive_set_aside", "{list}");
    assert!(notice["message"].as_str().unwrap().contains("kept unchanged"), "{notice}");
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), garbage, "the old file as it was");
}
