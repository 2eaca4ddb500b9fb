//! WeCom commands through Tauri's IPC with the mock runtime, against the WeCom sandbox; the
//! platform checks; and the profile switch race.

use std::sync::atomic::Ordering;

use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;

use super::{config_path, invoke};
use crate::i18n::Lang;
use crate::sandbox::wecom::{self as wecom_sandbox, WecomConfig, WecomSandboxHandle};
use crate::sandbox::{
    self,
    mp::{MpConfig, MpSandboxHandle},
    FaultInjection,
};
use crate::state::AppState;

type Window = tauri::WebviewWindow<MockRuntime>;

/// An app with both built-in sandboxes, on the WeCom one.
fn app(lang: Lang) -> (tauri::App<MockRuntime>, Window, MpSandboxHandle, WecomSandboxHandle) {
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(lang, config_path()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let mp = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    let wc = tauri::async_runtime::block_on(wecom_sandbox::start(WecomConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(mp.clone());
    app.state::<AppState>().set_wecom_sandbox(wc.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    invoke(&w, "set_active_profile", json!({"id": "sandbox-wecom"})).unwrap();
    (app, w, mp, wc)
}

/// A PNG file a user might drop, in a fresh temp directory.
fn picture() -> std::path::PathBuf {
    let dir = config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("avatar.png");
    image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([x as u8, 90, 200])).save(&path).unwrap();
    path
}

/// The text a QR code PNG holds.
fn decode_qr(png: &[u8]) -> String {
    let img = image::load_from_memory(png).unwrap().to_luma8();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(img.width() as usize, img.height() as usize, |x, y| {
            img.get_pixel(x as u32, y as u32)[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

#[test]
fn the_wecom_sandbox_profile_is_a_wecom_platform_and_mp_commands_say_so() {
    let (_app, w, _mp, wc) = app(Lang::ZhCn);
    let info = invoke(&w, "app_info", json!({})).unwrap();
    assert_eq!(
        (info["profile"]["platform"].as_str(), info["profile"]["kind"].as_str()),
        (Some("wecom"), Some("sandbox"))
    );
    assert_eq!(info["profile"]["account_id"], wc.corp_id());
    assert!(!info.to_string().contains(&wc.secret()), "no secret in the web view");
    let err = invoke(&w, "list_agents", json!({})).unwrap_err();
    assert_eq!(err["code"], "wrong_platform");
    assert!(err["message"].as_str().unwrap().contains("企业微信"), "{err}");
    // And the other way round.
    invoke(&w, "set_active_profile", json!({"id": "sandbox"})).unwrap();
    assert_eq!(invoke(&w, "list_kf_accounts", json!({})).unwrap_err()["code"], "wrong_platform");
    assert!(invoke(&w, "list_agents", json!({})).is_ok());
}

#[test]
fn kf_accounts_are_listed_added_with_an_avatar_renamed_and_deleted() {
    let (_app, w, _mp, wc) = app(Lang::En);
    let rows = invoke(&w, "list_kf_accounts", json!({})).unwrap();
    let rows = rows.as_array().unwrap();
    {
        let world = wc.world();
        assert_eq!(rows.len(), world.accounts.len());
        for (r, a) in rows.iter().zip(&world.accounts) {
            assert_eq!(
                (r["open_kfid"].as_str(), r["name"].as_str()),
                (Some(a.open_kfid.as_str()), Some(a.name.as_str()))
            );
            assert_eq!(r["manage_privilege"], a.manageable);
            assert_eq!(r["servicer_users"], a.users.len());
            assert_eq!(r["servicer_departments"], a.departments.len());
        }
    }
    // WeCom requires an avatar; bad names and pictures create nothing.
    let count = wc.world().accounts.len();
    let err = invoke(&w, "add_kf_account", json!({"name": "新品咨询", "avatar": null})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("requires an avatar"), "{err}");
    let pic = picture();
    let err =
        invoke(&w, "add_kf_account", json!({"name": "一二三四五六七八九十一二三四五六七", "avatar": {"path": pic}}))
            .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let not_a_picture = pic.with_file_name("notes.txt");
    std::fs::write(&not_a_picture, "hello").unwrap();
    let err = invoke(&w, "add_kf_account", json!({"name": "新品咨询", "avatar": {"path": not_a_picture}})).unwrap_err();
    assert_eq!(err["code"], "image");
    assert_eq!(wc.world().accounts.len(), count, "nothing created");

    let added =
        invoke(&w, "add_kf_account", json!({"name": "新品咨询", "avatar": {"path": pic, "nudge": {"x": 0.5, "y": 0}}}))
            .unwrap();
    let id = added["open_kfid"].as_str().unwrap().to_string();
    {
        let world = wc.world();
        let a = world.accounts.iter().find(|a| a.open_kfid == id).expect("created at the sandbox");
        assert_eq!(a.name, "新品咨询");
        let img = image::load_from_memory(&a.avatar).unwrap();
        assert_eq!((img.width(), img.height()), (640, 640), "the pipeline's square JPEG");
        assert!(a.avatar.starts_with(&[0xFF, 0xD8]));
    }
    invoke(&w, "update_kf_account", json!({"openKfid": id, "name": "新品咨询台"})).unwrap();
    assert_eq!(wc.world().account(&id).unwrap().name, "新品咨询台");
    let v = wc.world().account(&id).unwrap().avatar_version;
    invoke(&w, "update_kf_account", json!({"openKfid": id, "avatar": {"path": pic}})).unwrap();
    assert_eq!(wc.world().account(&id).unwrap().avatar_version, v + 1);
    invoke(&w, "delete_kf_account", json!({"openKfid": id})).unwrap();
    assert!(wc.world().account(&id).is_err());
    let err = invoke(&w, "delete_kf_account", json!({"openKfid": id})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["errcode"].as_i64()), (Some("wechat"), Some(95004)));
    assert!(err["message"].as_str().unwrap().contains("does not exist"), "{err}");
}

#[test]
fn a_contact_link_comes_with_a_qr_code_that_holds_it_and_saves_as_png() {
    let (_app, w, _mp, wc) = app(Lang::ZhCn);
    let id = wc.world().accounts[0].open_kfid.clone();
    let link = invoke(&w, "kf_contact_link", json!({"openKfid": id, "scene": "store_12"})).unwrap();
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("enc_scene="), "{url}");
    let b64 = link["qr_data_url"].as_str().unwrap().strip_prefix("data:image/png;base64,").unwrap();
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    assert_eq!(decode_qr(&png), url);
    let path = config_path().with_file_name("售前咨询.png");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    invoke(&w, "save_qr_png", json!({"url": url, "path": path})).unwrap();
    assert_eq!(decode_qr(&std::fs::read(&path).unwrap()), url);
    // A bad scene is explained before asking WeCom; a folder that cannot be written is reported.
    let err = invoke(&w, "kf_contact_link", json!({"openKfid": id, "scene": "门店 12"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("32"), "{err}");
    let err = invoke(&w, "save_qr_png", json!({"url": url, "path": "/nonexistent-dir/qr.png"})).unwrap_err();
    assert_eq!(err["code"], "file");
}

#[test]
fn servicers_are_shown_by_name_and_added_and_removed_with_each_result() {
    let (_app, w, _mp, wc) = app(Lang::ZhCn);
    let id = wc.world().accounts[0].open_kfid.clone();
    let list = invoke(&w, "list_servicers", json!({"openKfid": id})).unwrap();
    assert_eq!(list["directory"]["known"], true);
    let rows = list["rows"].as_array().unwrap();
    let row = |u: &str| rows.iter().find(|r| r["userid"] == u).cloned().unwrap();
    assert_eq!(
        (row("ZhangWei")["name"].as_str(), row("ZhangWei")["status"].as_str()),
        (Some("张伟"), Some("receiving"))
    );
    assert_eq!(row("WangFang")["status"], "stopped");
    assert!(rows.iter().any(|r| r["department_id"] == 4 && r["name"] == "销售部" && r["status"].is_null()));
    let out = invoke(
        &w,
        "add_servicers",
        json!({"openKfid": id, "selection": {"userids": ["ChenJing", "ZhangWei", "nobody"], "departments": [5]}}),
    )
    .unwrap();
    let outcomes: Vec<(String, String)> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["userid"].as_str().map_or_else(|| format!("d{}", o["department_id"]), str::to_string),
                o["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [("ChenJing", "done"), ("ZhangWei", "unchanged"), ("nobody", "failed"), ("d5", "done")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let failed = &out[2];
    assert_eq!(failed["errcode"], 60111);
    assert!(failed["message"].as_str().unwrap().contains("UserID 不存在"), "{failed}");
    {
        let world = wc.world();
        let a = world.account(&id).unwrap();
        assert!(a.users.contains(&"ChenJing".to_string()) && a.departments.contains(&5));
    }
    invoke(&w, "remove_servicers", json!({"openKfid": id, "selection": {"userids": ["ChenJing"], "departments": [5]}}))
        .unwrap();
    {
        let world = wc.world();
        let a = world.account(&id).unwrap();
        assert!(!a.users.contains(&"ChenJing".to_string()) && !a.departments.contains(&5));
    }
    let err = invoke(&w, "add_servicers", json!({"openKfid": id, "selection": {"userids": [" "], "departments": []}}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}

/// A WeCom profile pointing at the sandbox through the API-address override.
fn corp_form(wc: &WecomSandboxHandle, name: &str) -> Value {
    json!({"platform": "wecom", "name": name, "corp_id": wc.corp_id(), "token_kind": "app_secret", "api_base": wc.base_url()})
}

#[test]
fn a_wecom_profile_is_tested_saved_with_its_secret_in_the_keyring_and_used() {
    let (app, w, _mp, wc) = app(Lang::En);
    let err =
        invoke(&w, "test_connection", json!({"profile": corp_form(&wc, "集团客服"), "secret": "wrong"})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["errcode"].as_i64()), (Some("credentials"), Some(40001)), "{err}");
    let ok =
        invoke(&w, "test_connection", json!({"profile": corp_form(&wc, "集团客服"), "secret": wc.secret()})).unwrap();
    assert_eq!(
        (ok["platform"].as_str(), ok["agents"].as_u64()),
        (Some("wecom"), Some(wc.world().accounts.len() as u64))
    );
    assert_eq!(ok["online"], wc.world().accounts.iter().filter(|a| a.manageable).count());
    let mut bad = corp_form(&wc, "集团客服");
    bad["corp_id"] = json!("wk123");
    let err = invoke(&w, "save_profile", json!({"profile": bad, "secret": "s"})).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("CorpID"), "{err}");
    let view =
        invoke(&w, "save_profile", json!({"profile": corp_form(&wc, "集团客服"), "secret": wc.secret()})).unwrap();
    let p = &view["profiles"][0];
    assert_eq!(
        (p["platform"].as_str(), p["corp_id"].as_str(), p["secret"].as_str()),
        (Some("wecom"), Some(wc.corp_id().as_str()), Some("keyring"))
    );
    assert!(p.get("app_id").is_none());
    let id = p["id"].as_str().unwrap().to_string();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let info = invoke(&w, "app_info", json!({})).unwrap();
    assert_eq!((info["profile"]["kind"].as_str(), info["profile"]["platform"].as_str()), (Some("live"), Some("wecom")));
    wc.reset_request_counts();
    assert_eq!(invoke(&w, "list_kf_accounts", json!({})).unwrap().as_array().unwrap().len(), wc.world().accounts.len());
    assert_eq!(wc.requests("/cgi-bin/gettoken"), 1, "the corp secret came from the keyring");
    let on_disk = std::fs::read_to_string(app.state::<AppState>().config_path_for_tests()).unwrap();
    assert!(on_disk.contains("\"platform\": \"wecom\"") && !on_disk.contains(&wc.secret()), "{on_disk}");
    // Pointed at the built-in sandbox, the profile gets its directory's names too.
    let kf = wc.world().accounts[0].open_kfid.clone();
    let list = invoke(&w, "list_servicers", json!({"openKfid": kf})).unwrap();
    assert_eq!(list["directory"]["known"], true);
    // Another corp's directory is not known: servicers are shown by UserID.
    let other = tauri::async_runtime::block_on(wecom_sandbox::start(WecomConfig::default(), 0)).unwrap();
    let view = invoke(&w, "save_profile", json!({"profile": corp_form(&other, "别的企业"), "secret": other.secret()}))
        .unwrap();
    let other_id = view["profiles"].as_array().unwrap().iter().find(|p| p["name"] == "别的企业").unwrap()["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": other_id})).unwrap();
    let kf = other.world().accounts[0].open_kfid.clone();
    let list = invoke(&w, "list_servicers", json!({"openKfid": kf})).unwrap();
    assert_eq!(list["directory"]["known"], false);
    assert!(!list["rows"].as_array().unwrap().is_empty());
    assert!(list["rows"].as_array().unwrap().iter().all(|r| r["name"].is_null()));
}

/// Several commands at once on a fresh start (the first page asks for its list, the online
/// states and the app's details together): one client is built for them all — one keyring
/// read, one access_token from WeChat, not one each.
#[test]
fn commands_arriving_together_share_one_client_and_one_token() {
    let (app, w, _mp, _wc) = app(Lang::En);
    let a = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    let form = json!({"name": "A 门店", "app_id": a.appid(), "oa_wechat_id": a.oa_wechat_id(), "token_kind": "app_secret", "api_base": a.base_url()});
    let view = invoke(&w, "save_profile", json!({"profile": form, "secret": a.secret()})).unwrap();
    let id = view["profiles"].as_array().unwrap().iter().find(|p| p["name"] == "A 门店").unwrap()["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    let state = app.state::<AppState>();
    // Hold the keyring read of the first build until all three commands have come for a client.
    let gate = tauri::async_runtime::block_on(state.secret_gate.lock());
    let (reads, arrived) = (state.secret_waiters.load(Ordering::SeqCst), state.build_waiters.load(Ordering::SeqCst));
    let pending: Vec<_> = ["list_agents", "list_agents", "session_overview"]
        .into_iter()
        .map(|command| {
            let w = w.clone();
            std::thread::spawn(move || invoke(&w, command, json!({})))
        })
        .collect();
    while state.build_waiters.load(Ordering::SeqCst) < arrived + 3
        || state.secret_waiters.load(Ordering::SeqCst) == reads
    {
        std::thread::yield_now();
    }
    drop(gate);
    for p in pending {
        p.join().unwrap().expect("the command answers");
    }
    assert_eq!(state.secret_waiters.load(Ordering::SeqCst), reads + 1, "one keyring read");
    assert_eq!(a.requests("/cgi-bin/stable_token"), 1, "one access_token for the three commands");
}

#[test]
fn a_client_built_while_the_user_switched_profiles_is_never_used_for_the_new_one() {
    let (app, w, _mp, _wc) = app(Lang::En);
    let (a, b) = tauri::async_runtime::block_on(async {
        (
            sandbox::mp::start(MpConfig::default(), 0).await.unwrap(),
            sandbox::mp::start(MpConfig::default(), 0).await.unwrap(),
        )
    });
    let save = |sb: &MpSandboxHandle, name: &str| {
        let form = json!({"name": name, "app_id": sb.appid(), "oa_wechat_id": sb.oa_wechat_id(), "token_kind": "app_secret", "api_base": sb.base_url()});
        let view = invoke(&w, "save_profile", json!({"profile": form, "secret": sb.secret()})).unwrap();
        view["profiles"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (id_a, id_b) = (save(&a, "A 门店"), save(&b, "B 门店"));
    invoke(&w, "set_active_profile", json!({"id": id_a})).unwrap();
    let state = app.state::<AppState>();
    // Hold the keyring read of A's client, switch to B meanwhile, then let the read finish.
    let gate = tauri::async_runtime::block_on(state.secret_gate.lock());
    let waiting = state.secret_waiters.load(Ordering::SeqCst);
    let w2 = w.clone();
    let pending = std::thread::spawn(move || invoke(&w2, "list_agents", json!({})));
    while state.secret_waiters.load(Ordering::SeqCst) == waiting {
        std::thread::yield_now();
    }
    invoke(&w, "set_active_profile", json!({"id": id_b})).unwrap();
    drop(gate);
    pending.join().unwrap().expect("the command answers");
    const KFLIST: &str = "/cgi-bin/customservice/getkflist";
    assert_eq!(a.requests(KFLIST), 0, "A's client was built, but never used after the switch");
    invoke(&w, "list_agents", json!({})).unwrap();
    assert_eq!(a.requests(KFLIST), 0, "nor cached for B");
    assert_eq!(b.requests(KFLIST), 2, "both requests reached B");
}
