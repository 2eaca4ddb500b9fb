//! Signing in to KefuDesk Server: refusals in words, then one profile per corp granted that
//! works through the server — the desktop holds only its session token (in the keyring), its
//! pages reach the accounts granted, a reply is delivered at WeCom and archived on the server
//! with its sender, and deleting the profile ends the session on the server. Against the real
//! server on a private PostgreSQL and the WeCom sandbox.

use std::time::{Duration, Instant};

use kefu_server::demo;
use kefu_server::staff::Role;
use kefu_server::{Config, ServerHandle};
use kefu_testpg::TempPostgres;

use super::*;
use crate::sandbox::wecom::WecomSandboxHandle;
use crate::secrets::SecretKind;

const PASSWORD: &str = "a long password 1";

/// A server on `pg` with `wc`'s corp connected and calling back, an agent `lin` (林晓) granted
/// the first account and an agent `idle` granted nothing; the server and the granted account.
fn team_server(pg: &TempPostgres, wc: &WecomSandboxHandle) -> (ServerHandle, String) {
    tauri::async_runtime::block_on(async {
        let server = kefu_server::start(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: pg.create_database("kefu"),
            sealer: kefu_server::sealer::Sealer::new([9; 32]),
        })
        .await
        .unwrap();
        let corp = demo::connect_wecom_sandbox(&server, &wc.base_url(), &wc.corp_id(), &wc.secret()).await.unwrap();
        let granted = wc.world().accounts[0].open_kfid.clone();
        demo::add_staff(&server, "lin", "林晓", Role::Agent, PASSWORD, &[(corp, granted.clone())]).await.unwrap();
        demo::add_staff(&server, "idle", "闲置", Role::Agent, PASSWORD, &[]).await.unwrap();
        demo::add_staff(&server, "zhou", "周敏", Role::Supervisor, PASSWORD, &[]).await.unwrap();
        (server, granted)
    })
}

/// The one text value `sql` selects in the server's database.
fn db_text(server: &ServerHandle, sql: &str) -> String {
    tauri::async_runtime::block_on(async {
        server.state.db.get().await.unwrap().query_one(sql, &[]).await.unwrap().get(0)
    })
}

#[test]
fn signing_in_to_the_server_makes_a_profile_that_works_through_it() {
    let (_app, w, wc) = wecom_app(Lang::En);
    let pg = TempPostgres::start();
    let (server, granted) = team_server(&pg, &wc);
    let address = format!("http://{}", server.addr);
    let sign_in = |address: &str, login: &str, password: &str| {
        invoke(&w, "server_sign_in", json!({"address": address, "login": login, "password": password}))
    };

    // Refusals, in words; nothing saved.
    let e = sign_in(&address, "lin", "wrong password").unwrap_err();
    assert_eq!(e["code"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("password is wrong"), "{e}");
    let e = sign_in("http://kefu.example.com", "lin", PASSWORD).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("https://"), "{e}");
    let e = sign_in(&address, "idle", PASSWORD).unwrap_err();
    assert_eq!(e["code"], "server_no_corps", "{e}");
    let e = sign_in("http://127.0.0.1:9", "lin", PASSWORD).unwrap_err();
    assert_eq!(e["code"], "server_unreachable", "{e}");
    assert!(!e.to_string().contains(PASSWORD), "{e}");
    assert!(invoke(&w, "list_profiles", json!({})).unwrap()["profiles"].as_array().unwrap().is_empty());

    // Signed in: one profile, in use, its credential the session token in the keyring.
    let v = sign_in(&format!("{address}/"), "lin", PASSWORD).unwrap();
    assert_eq!((v["staff_name"].as_str(), v["role"].as_str()), (Some("林晓"), Some("agent")));
    let p = &v["view"]["profiles"][0];
    assert_eq!(v["view"]["active"], p["id"]);
    assert_eq!((p["server"]["login"].as_str(), p["secret"].as_str()), (Some("lin"), Some("keyring")));
    assert!(p["api_base"].as_str().unwrap().starts_with(&format!("{address}/gateway/wecom/")), "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    let token = crate::secrets::load_blocking(&id, SecretKind::RelayCredential).unwrap().unwrap();
    assert!(token.expose().starts_with("kds_"), "the staff session token, not a WeChat secret");
    assert!(!v.to_string().contains(token.expose()), "the token never goes to the web view");
    let on_disk = std::fs::read_to_string(_app.state::<AppState>().config_path_for_tests()).unwrap();
    assert!(!on_disk.contains(token.expose()) && !on_disk.contains(&wc.secret()), "{on_disk}");

    // The pages work through the server: the accounts granted only.
    let accounts = invoke(&w, "list_kf_accounts", json!({})).unwrap();
    let ids: Vec<&str> = accounts.as_array().unwrap().iter().map(|a| a["open_kfid"].as_str().unwrap()).collect();
    assert_eq!(ids, [granted.as_str()]);

    // A customer writes; the conversation list shows them (read through the server's gateway).
    let wrote: Value = tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .post(format!("{}/__sandbox/customers/message", wc.base_url()))
            .json(&json!({"text": "我想改地址", "open_kfid": granted}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let customer = wrote["external_userid"].as_str().unwrap().to_string();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let list = invoke(&w, "list_conversations", json!({"openKfid": null})).unwrap();
        if list["rows"].as_array().unwrap().iter().any(|r| r["external_userid"] == customer.as_str()) {
            assert_eq!(list["reader"]["relay"], true, "news comes from the server's feed");
            break;
        }
        assert!(Instant::now() < until, "the customer did not appear: {list}");
        std::thread::sleep(Duration::from_millis(100));
    }

    // A reply: delivered at WeCom, archived on the server with who sent it.
    let sent = invoke(
        &w,
        "send_kf_message",
        json!({"openKfid": granted, "externalUserid": customer, "msgid": "kdIpcServer1", "message": {"kind": "text", "text": "好的，请发新地址"}}),
    )
    .unwrap();
    assert_eq!(sent["msgid"], "kdIpcServer1");
    assert!(wc.world().sent.iter().any(|m| m["msgid"] == "kdIpcServer1" && m["touser"] == customer.as_str()));
    let sender = db_text(
        &server,
        "select s.name from wecom_messages m join staff s on s.id = m.sent_by where m.msgid = 'kdIpcServer1'",
    );
    assert_eq!(sender, "林晓");

    // A colleague replies from another desktop (through the server's API): this desktop shows
    // the reply with their name, and the replies left count both.
    let colleague: Value = tauri::async_runtime::block_on(async {
        let http = reqwest::Client::new();
        let login: Value = http
            .post(format!("{address}/api/v1/login"))
            .json(&json!({"login": "zhou", "password": PASSWORD, "desktop": "back office"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let corp = p["server"]["corp"].as_i64().unwrap();
        http.post(format!("{address}/api/v1/wecom/corps/{corp}/accounts/{granted}/customers/{customer}/messages"))
            .bearer_auth(login["token"].as_str().unwrap())
            .json(&json!({"text": "我是主管，已为您加急"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let theirs = colleague["msgid"].as_str().unwrap_or_else(|| panic!("{colleague}")).to_string();
    let until = Instant::now() + Duration::from_secs(15);
    let seen = loop {
        let v = invoke(&w, "open_conversation", json!({"openKfid": granted, "externalUserid": customer})).unwrap();
        if v["messages"].as_array().unwrap().iter().any(|m| m["msgid"] == theirs.as_str()) {
            break v;
        }
        assert!(Instant::now() < until, "the colleague's reply did not reach this desktop: {v}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let reply = seen["messages"].as_array().unwrap().iter().find(|m| m["msgid"] == theirs.as_str()).unwrap();
    assert_eq!((reply["origin"].as_i64(), reply["raw"]["kefudesk"]["sent_by"].as_str()), (Some(0), Some("周敏")));
    assert_eq!(seen["replies"]["left"], 3, "this desktop's reply and the colleague's both count");

    // The reader asks the server's feed for news with the session token (the session's
    // last use moves on as it does); the token goes to the server that issued it only.
    let seen = || db_text(&server, "select extract(epoch from max(last_seen_at))::text from staff_sessions");
    let (first, until) = (seen(), Instant::now() + Duration::from_secs(15));
    while seen() == first {
        assert!(Instant::now() < until, "the callback feed was not asked with the session token");
        std::thread::sleep(Duration::from_millis(200));
    }

    // Deleting the profile ends the session on the server.
    invoke(&w, "delete_profile", json!({"id": id})).unwrap();
    let live = db_text(
        &server,
        "select count(*) filter (where revoked_at is null)::text || '/' || count(*)::text from staff_sessions
          where staff = (select id from staff where login = 'lin')",
    );
    assert_eq!(live, "0/1", "lin's one session (live/all)");
    assert_eq!(crate::secrets::load_blocking(&id, SecretKind::RelayCredential).unwrap(), None);
}
