//! The Conversations commands through Tauri's IPC with the mock runtime, against the WeCom
//! sandbox: customers appear as they write (read live through the sandbox's callback relay),
//! states and moves, the sending rules, a retry that does not send twice, event words.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::Manager;

use super::{config_path, invoke};
use crate::i18n::Lang;
use crate::sandbox::wecom::{self as wecom_sandbox, WecomConfig, WecomSandboxHandle};
use crate::state::AppState;

type Window = tauri::WebviewWindow<MockRuntime>;

fn app(lang: Lang) -> (tauri::App<MockRuntime>, Window, WecomSandboxHandle) {
    super::wecom_app(lang)
}

/// Lists conversations until `done` holds for the answer (the reader works in the background).
fn list_until(w: &Window, open_kfid: Option<&str>, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let until = Instant::now() + Duration::from_secs(45);
    loop {
        let v = invoke(w, "list_conversations", json!({ "openKfid": open_kfid })).unwrap();
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}: {v}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn row<'a>(list: &'a Value, customer: &str) -> Option<&'a Value> {
    list["rows"].as_array().unwrap().iter().find(|r| r["external_userid"] == customer)
}

/// A new customer writes to the first account (as WeCom's callback would announce it).
fn customer_writes(wc: &WecomSandboxHandle, nickname: &str, text: &str) -> (String, String) {
    let mut w = wc.world();
    let k = w.accounts[0].open_kfid.clone();
    let c = w.new_customer(nickname);
    let now = w.now();
    w.customer_writes(&k, &c, "text", json!({"content": text}), now).unwrap();
    (k, c)
}

fn sent_to(wc: &WecomSandboxHandle, customer: &str) -> Vec<Value> {
    wc.world().sent.iter().filter(|m| m["touser"] == customer).cloned().collect()
}

#[test]
fn a_customer_who_writes_appears_with_name_state_and_message() {
    let (_app, w, wc) = app(Lang::ZhCn);
    let (k, c) = customer_writes(&wc, "测试客户", "请问有发票吗？");
    let list = list_until(&w, None, "the new customer", |v| {
        row(v, &c).is_some_and(|r| r["customer"]["nickname"] == "测试客户" && r["state"]["state"] == 0)
    });
    let r = row(&list, &c).unwrap();
    assert_eq!((r["open_kfid"].as_str(), r["last"]["text"].as_str()), (Some(k.as_str()), Some("请问有发票吗？")));
    assert_eq!(list["reader"]["relay"], true, "the sandbox relays callback tokens");
    // Each listed state is WeCom's (service_state/get at the sandbox).
    for r in list["rows"].as_array().unwrap().iter().filter(|r| !r["state"].is_null()) {
        let conv = wc.world().conversation(r["open_kfid"].as_str().unwrap(), r["external_userid"].as_str().unwrap());
        assert_eq!(r["state"]["state"], conv.state, "{r}");
    }
    // "Read now" reads the account again (within WeCom's limit).
    let before = invoke(&w, "reader_status", json!({})).unwrap()["requests"].as_u64().unwrap();
    let v = invoke(&w, "read_now", json!({"openKfids": [k]})).unwrap();
    assert!(v["error"].is_null());
    let until = Instant::now() + Duration::from_secs(30);
    while invoke(&w, "reader_status", json!({})).unwrap()["requests"].as_u64().unwrap() == before {
        assert!(Instant::now() < until, "read_now did not read");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The account filter.
    let other = wc.world().accounts[1].open_kfid.clone();
    let only = invoke(&w, "list_conversations", json!({"openKfid": other})).unwrap();
    assert!(row(&only, &c).is_none());
    assert!(only["rows"].as_array().unwrap().iter().all(|r| r["open_kfid"] == other.as_str()));
}

#[test]
fn sending_follows_the_rules_and_a_retry_never_sends_twice() {
    let (_app, w, wc) = app(Lang::En);
    let (k, c) = customer_writes(&wc, "Alice", "hello?");
    list_until(&w, None, "Alice", |v| row(v, &c).is_some());
    let text = json!({"kind": "text", "text": "您好，请问有什么可以帮您？"});
    let sent = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_test_1", "message": text}),
    )
    .unwrap();
    assert_eq!((sent["msgid"].as_str(), sent["already"].as_bool()), (Some("kd_test_1"), Some(false)));
    let at_sandbox = sent_to(&wc, &c);
    assert_eq!(at_sandbox.len(), 1);
    assert_eq!(
        (at_sandbox[0]["msgid"].as_str(), at_sandbox[0]["text"]["content"].as_str()),
        (Some("kd_test_1"), Some("您好，请问有什么可以帮您？"))
    );
    // The same msgid again (a retry after a lost answer): not sent twice.
    let again = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_test_1", "message": text}),
    )
    .unwrap();
    assert_eq!(again["already"], true);
    assert_eq!(sent_to(&wc, &c).len(), 1);
    // The conversation shows it, and 4 of 5 replies left; the API's send moved 0 → 1.
    let v = invoke(&w, "open_conversation", json!({"openKfid": k, "externalUserid": c})).unwrap();
    assert_eq!(v["state"]["state"], 1);
    assert_eq!(v["replies"]["left"], 4);
    assert!(v["refusal"].is_null());
    let mine = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["msgid"] == "kd_test_1")
        .expect("the sent message is in the archive");
    assert_eq!(mine["origin"], 0);
    assert_eq!(v["customer"]["nickname"], "Alice");
    assert_eq!(v["moves"], json!([2, 3, 4]));

    // A servicer takes the customer: the kf account may no longer send, and says why.
    let servicer = {
        let world = wc.world();
        world.accounts[0].users.iter().find(|u| world.status_of(u).status == 0).cloned().unwrap()
    };
    let moved =
        invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 3, "servicer": servicer}))
            .unwrap();
    assert_eq!(moved["state"], 3);
    assert!(moved["msg_code"].is_string(), "first time with a servicer: WeCom gives the accept words' code");
    let conv = wc.world().conversation(&k, &c);
    assert_eq!((conv.state, conv.servicer.as_deref()), (3, Some(servicer.as_str())), "checked at the sandbox");
    let v = invoke(&w, "open_conversation", json!({"openKfid": k, "externalUserid": c})).unwrap();
    assert_eq!(v["refusal"]["code"], "send_refused");
    assert!(v["refusal"]["message"].as_str().unwrap().contains("servicer"), "{v}");
    assert_eq!(v["moves"], json!([3, 4]));
    let e = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_test_2", "message": text}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "send_refused");
    assert_eq!(sent_to(&wc, &c).len(), 1, "nothing reached WeCom");

    // End with the ending words the msg_code allows.
    let ended = invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 4})).unwrap();
    let code = ended["msg_code"].as_str().expect("an ending code").to_string();
    assert_eq!(wc.world().conversation(&k, &c).state, 4);
    invoke(
        &w,
        "send_event_message",
        json!({"openKfid": k, "externalUserid": c, "code": code, "msgid": "kd_test_3", "text": "感谢咨询，再见"}),
    )
    .unwrap();
    let last = sent_to(&wc, &c).pop().unwrap();
    assert_eq!(
        (last["code"].as_str(), last["text"]["content"].as_str()),
        (Some(code.as_str()), Some("感谢咨询，再见"))
    );
    // The code is single use: in words, with WeCom's errcode.
    let e = invoke(
        &w,
        "send_event_message",
        json!({"openKfid": k, "externalUserid": c, "code": code, "msgid": "kd_test_4", "text": "再见"}),
    )
    .unwrap_err();
    assert_eq!(e["errcode"], 95007);
}

#[test]
fn moves_wecom_refuses_are_explained() {
    let (_app, w, wc) = app(Lang::ZhCn);
    let (k, c) = customer_writes(&wc, "Bob", "在吗");
    let stopped = {
        let mut world = wc.world();
        let u = world.accounts[0].users[0].clone();
        world.status.insert(u.clone(), crate::sandbox::wecom::world::ServiceStatus { status: 1, stop_type: 0 });
        u
    };
    let e = invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 3, "servicer": stopped}))
        .unwrap_err();
    assert_eq!(e["errcode"], 95019);
    assert!(!e["message"].as_str().unwrap().contains("95019 "), "words first: {e}");
    let e = invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 3, "servicer": ""}))
        .unwrap_err();
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(wc.world().conversation(&k, &c).state, 0, "nothing moved");
    // Ended: 4 cannot be changed (95016), in words.
    invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 4})).unwrap();
    let e = invoke(&w, "move_conversation", json!({"openKfid": k, "externalUserid": c, "to": 2})).unwrap_err();
    assert_eq!(e["errcode"], 95016);
    let v = invoke(&w, "open_conversation", json!({"openKfid": k, "externalUserid": c})).unwrap();
    assert_eq!(v["moves"], json!([]));
    assert!(v["refusal"]["message"].as_str().unwrap().contains("会话已结束"), "{v}");
    // And the wrong platform.
    invoke(&w, "set_active_profile", json!({"id": "sandbox"})).unwrap();
    assert_eq!(invoke(&w, "reader_status", json!({})).unwrap_err()["code"], "wrong_platform");
}

#[test]
fn the_archive_is_searched_in_chinese_and_exported_as_csv() {
    let (_app, w, wc) = app(Lang::ZhCn);
    let (k, c) = customer_writes(&wc, "钱多多", "我想开一张增值税发票，抬头写公司");
    list_until(&w, None, "the customer named", |v| row(v, &c).is_some_and(|r| r["customer"]["nickname"] == "钱多多"));
    let found = invoke(&w, "search_archive", json!({"search": {"text": "增值税发票"}})).unwrap();
    let rows = found["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{found}");
    assert_eq!(
        (rows[0]["external_userid"].as_str(), rows[0]["open_kfid"].as_str()),
        (Some(c.as_str()), Some(k.as_str()))
    );
    assert_eq!(found["customers"][&c], "钱多多");
    assert!(found["archived"].as_i64().unwrap() > 20, "the whole demo history was read: {found}");
    // Two characters, and the filters.
    let two = invoke(&w, "search_archive", json!({"search": {"text": "发票"}})).unwrap();
    assert!(two["rows"].as_array().unwrap().iter().any(|m| m["external_userid"] == c.as_str()));
    let other = wc.world().accounts[1].open_kfid.clone();
    let none = invoke(&w, "search_archive", json!({"search": {"text": "增值税发票", "open_kfid": other}})).unwrap();
    assert!(none["rows"].as_array().unwrap().is_empty());
    let e = invoke(&w, "search_archive", json!({"search": {"from": 200, "to": 100}})).unwrap_err();
    assert_eq!(e["code"], "invalid_input");

    // One customer's conversation as CSV.
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("对话.csv");
    let out =
        invoke(&w, "export_archive", json!({"search": {"open_kfid": k, "external_userid": c}, "path": path})).unwrap();
    assert_eq!(out["rows"], 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("\u{feff}时间（北京时间）,客服账号,"), "{text}");
    let account = wc.world().accounts[0].name.clone();
    assert!(text.contains(&format!(",{account},{k},钱多多,{c},客户,text,我想开一张增值税发票，抬头写公司,")), "{text}");
}

#[test]
fn pictures_customers_sent_are_fetched_when_opened_and_kept() {
    let (_app, w, wc) = app(Lang::En);
    let (k, c) = customer_writes(&wc, "Carol", "see the photo");
    let media_id = {
        let mut world = wc.world();
        let id = world.add_media("image", crate::sandbox::avatar::demo_avatar(120.0)).0;
        let now = world.now();
        world.customer_writes(&k, &c, "image", json!({"media_id": id}), now).unwrap();
        id
    };
    list_until(&w, None, "the picture message", |v| row(v, &c).is_some_and(|r| r["last"]["msgtype"] == "image"));
    let before = crate::sandbox::FaultInjection::requests(&wc, "/cgi-bin/media/get");
    let url = invoke(&w, "media_preview", json!({"mediaId": media_id})).unwrap();
    let url = url.as_str().unwrap();
    assert!(url.starts_with("data:image/jpeg;base64,"), "{}", &url[..40]);
    use base64::Engine;
    let shown = base64::engine::general_purpose::STANDARD.decode(url.split_once(',').unwrap().1).unwrap();
    assert_eq!(shown, wc.world().media[&media_id].bytes.to_vec(), "the picture WeCom holds");
    // Opened again and saved: WeCom is not asked twice.
    invoke(&w, "media_preview", json!({"mediaId": media_id})).unwrap();
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("photo.jpg");
    assert_eq!(invoke(&w, "save_media", json!({"mediaId": media_id, "path": path})).unwrap(), shown.len());
    assert_eq!(std::fs::read(&path).unwrap(), shown);
    assert_eq!(crate::sandbox::FaultInjection::requests(&wc, "/cgi-bin/media/get") - before, 1);
    // Expired or unknown: WeCom's 40007, in words.
    let e = invoke(&w, "media_preview", json!({"mediaId": "3nosuchmedia"})).unwrap_err();
    assert_eq!(e["errcode"], 40007);
    assert!(!e["message"].as_str().unwrap().is_empty());
}

#[test]
fn a_picture_is_prepared_uploaded_and_sent_and_a_bad_file_is_explained() {
    let (_app, w, wc) = app(Lang::ZhCn);
    let (k, c) = customer_writes(&wc, "Dave", "有图吗");
    list_until(&w, None, "Dave", |v| row(v, &c).is_some());
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("商品.webp");
    image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([x as u8, 90, 200])).save(&good).unwrap();
    let bad = dir.join("坏图.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let e = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_pic_0", "message": {"kind": "image", "path": bad}}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "image", "{e}");
    assert!(e["message"].as_str().unwrap().contains("损坏"), "{e}");
    assert!(sent_to(&wc, &c).is_empty());
    invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_pic_1", "message": {"kind": "image", "path": good}}),
    )
    .unwrap();
    let sent = sent_to(&wc, &c);
    assert_eq!((sent.len(), sent[0]["msgtype"].as_str()), (1, Some("image")));
    let media_id = sent[0]["image"]["media_id"].as_str().unwrap().to_string();
    {
        let world = wc.world();
        let m = &world.media[&media_id];
        assert_eq!(m.kind, "image");
        assert_eq!(image::load_from_memory(&m.bytes).unwrap().width(), 300, "a WebP became a JPEG WeCom takes");
    }
    // A link card with its picture.
    let link = json!({"kind": "link", "title": "您的物流信息", "url": "https://kd.example/t/77831", "desc": "点击查看最新位置", "picture": good});
    invoke(&w, "send_kf_message", json!({"openKfid": k, "externalUserid": c, "msgid": "kd_link_1", "message": link}))
        .unwrap();
    let card = sent_to(&wc, &c).pop().unwrap();
    assert_eq!(
        (card["msgtype"].as_str(), card["link"]["title"].as_str(), card["link"]["url"].as_str()),
        (Some("link"), Some("您的物流信息"), Some("https://kd.example/t/77831"))
    );
    assert!(wc.world().media.contains_key(card["link"]["thumb_media_id"].as_str().unwrap()));
    let no_picture = json!({"kind": "link", "title": "物流", "url": "https://kd.example", "picture": ""});
    let e = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_link_2", "message": no_picture}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "invalid_input");
}

#[test]
fn a_saved_corp_reads_through_its_callback_relay_into_an_archive_file() {
    let (app, w, _builtin) = app(Lang::En);
    let corp = tauri::async_runtime::block_on(wecom_sandbox::start(WecomConfig::default(), 0)).unwrap();
    let form = |name: &str, relay: Option<String>| {
        json!({"platform": "wecom", "name": name, "corp_id": corp.corp_id(), "token_kind": "app_secret",
        "api_base": corp.base_url(), "callback_relay": relay})
    };
    let bad = invoke(
        &w,
        "save_profile",
        json!({"profile": form("坏地址", Some("relay.corp".into())), "secret": corp.secret()}),
    )
    .unwrap_err();
    assert!(bad["message"].as_str().unwrap().contains("relay"), "{bad}");
    let view = invoke(&w, "save_profile", json!({"profile": form("集团客服", Some(format!("{}/__sandbox/relay/callbacks", corp.base_url()))), "secret": corp.secret()})).unwrap();
    let id = view["profiles"][0]["id"].as_str().unwrap().to_string();
    assert!(view["profiles"][0]["callback_relay"].as_str().unwrap().ends_with("/__sandbox/relay/callbacks"));
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let (_, c) = customer_writes(&corp, "Erin", "relay me");
    let list = list_until(&w, None, "the relayed message", |v| row(v, &c).is_some());
    assert_eq!(list["reader"]["relay"], true);
    let dir = app.state::<AppState>().data_dir().unwrap().join("archive");
    assert!(dir.join(format!("{id}.sqlite")).is_file(), "a saved profile's archive is a file");

    // Without a relay the same corp is read on a timer.
    let view = invoke(&w, "save_profile", json!({"profile": form("无中转", None), "secret": corp.secret()})).unwrap();
    let plain = view["profiles"].as_array().unwrap().iter().find(|p| p["name"] == "无中转").unwrap()["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": plain})).unwrap();
    assert_eq!(invoke(&w, "reader_status", json!({})).unwrap()["relay"], false);
}

#[test]
fn welcome_words_are_sent_by_themselves_when_a_customer_enters() {
    let (app, w, wc) = app(Lang::ZhCn);
    let k = wc.world().accounts[0].open_kfid.clone();
    let e = invoke(&w, "set_welcome_words", json!({"openKfid": k, "words": "欢".repeat(683)})).unwrap_err();
    assert_eq!(e["code"], "invalid_input");
    let set = invoke(&w, "set_welcome_words", json!({"openKfid": k, "words": " 您好，欢迎光临星河数码！ "})).unwrap();
    assert_eq!(set["words"][&k], "您好，欢迎光临星河数码！");
    assert_eq!(set["relay"], true);
    assert!(
        std::fs::read_to_string(app.state::<AppState>().config_path_for_tests()).unwrap().contains("欢迎光临星河数码"),
        "kept in the configuration"
    );
    // A new customer opens the contact link: WeCom gives a 20-second welcome code.
    let (c, code) = {
        let mut world = wc.world();
        let c = world.new_customer("Frank");
        let now = world.now();
        let code = world.customer_enters(&k, &c, "store_12", "", now).unwrap().expect("a welcome code");
        (c, code)
    };
    let until = Instant::now() + Duration::from_secs(20);
    while sent_to(&wc, &c).is_empty() {
        assert!(Instant::now() < until, "no welcome was sent");
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = sent_to(&wc, &c);
    assert_eq!(sent.len(), 1, "once");
    assert_eq!(
        (sent[0]["code"].as_str(), sent[0]["text"]["content"].as_str()),
        (Some(code.as_str()), Some("您好，欢迎光临星河数码！"))
    );
    // Another account has none: its customers get nothing.
    let other = wc.world().accounts[1].open_kfid.clone();
    let quiet = {
        let mut world = wc.world();
        let c = world.new_customer("Grace");
        let now = world.now();
        world.customer_enters(&other, &c, "", "", now).unwrap();
        world.customer_writes(&other, &c, "text", json!({"content": "在吗"}), now).unwrap();
        c
    };
    list_until(&w, None, "Grace read", |v| row(v, &quiet).is_some());
    assert!(sent_to(&wc, &quiet).is_empty());
    // Removed with empty words.
    let set = invoke(&w, "set_welcome_words", json!({"openKfid": k, "words": ""})).unwrap();
    assert!(set["words"].as_object().unwrap().is_empty());
}

#[test]
fn a_message_wecom_later_reports_undelivered_carries_the_failure() {
    let (_app, w, wc) = app(Lang::En);
    let (k, c) = customer_writes(&wc, "Heidi", "hi");
    wc.world().customers.iter_mut().find(|x| x.external_userid == c).unwrap().rejects = true;
    list_until(&w, None, "Heidi", |v| row(v, &c).is_some());
    let text = json!({"kind": "text", "text": "您好"});
    let sent = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": k, "externalUserid": c, "msgid": "kd_fail_1", "message": text}),
    )
    .unwrap();
    assert_eq!(sent["already"], false, "WeCom answered 0");
    // The msg_send_fail event arrives with the next read; the conversation holds it for kd_fail_1.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let v = invoke(&w, "open_conversation", json!({"openKfid": k, "externalUserid": c})).unwrap();
        let fail = v["messages"].as_array().unwrap().iter().find(|m| m["event_type"] == "msg_send_fail").cloned();
        if let Some(f) = fail {
            assert_eq!(
                (f["raw"]["event"]["fail_msgid"].as_str(), f["raw"]["event"]["fail_type"].as_i64()),
                (Some("kd_fail_1"), Some(10))
            );
            assert!(
                v["messages"].as_array().unwrap().iter().any(|m| m["msgid"] == "kd_fail_1"),
                "the message it concerns is there too"
            );
            break;
        }
        assert!(Instant::now() < until, "no msg_send_fail read: {v}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
