//! The fault matrix: commands that talk to WeChat × the faults the sandboxes inject, through
//! Tauri's IPC. Each command either recovers or answers a localised error with the right
//! `code`, never panics, and never performs a write twice (counted at the sandbox). The table is
//! data: a command joins by adding a row. The matrix is printed (`cargo test -- --nocapture`).

use std::time::Duration;

use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;

use super::ipc_tests::{config_path, invoke};
use crate::i18n::Lang;
use crate::sandbox::mp::world::{Agent, Session};
use crate::sandbox::wecom::WecomSandboxHandle;
use crate::sandbox::{
    self,
    mp::{MpConfig, MpSandboxHandle},
    Fault, FaultInjection, FaultKind,
};
use crate::state::AppState;

type Window = tauri::WebviewWindow<MockRuntime>;

/// One row: a command, the WeChat path its fault goes on, whether that call writes, and its
/// arguments (made fresh for each fault: a write may use up what it wrote to).
struct Row<S> {
    command: &'static str,
    path: &'static str,
    writes: bool,
    args: fn(&S) -> Value,
}

/// The clients' whole-request timeout here; the *timeout* fault answers well after it.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The faults, each once (the next request to the path), with the codes it may end in.
fn faults(platform_token_retry: bool) -> Vec<(&'static str, Fault, &'static [&'static str], bool)> {
    // (name, fault, codes an error may carry, whether the faulted request did the work)
    vec![
        ("-1", Fault::errcode(-1).times(1), &["busy"], false),
        ("45009", Fault::errcode(45009).times(1), &["rate_limited"], false),
        ("45011", Fault::errcode(45011).times(1), &["rate_limited"], false),
        ("40001", Fault::errcode(40001).times(1), if platform_token_retry { &[] } else { &["credentials"] }, false),
        ("42001", Fault::errcode(42001).times(1), &[], false),
        ("502", Fault::kind(FaultKind::Http502).times(1), &["http_status"], false),
        ("bad json", Fault::kind(FaultKind::MalformedJson).times(1), &["bad_response"], false),
        ("dropped", Fault::kind(FaultKind::DropConnection).times(1), &["network"], false),
        ("lost answer", Fault::kind(FaultKind::DropResponse).times(1), &["network"], true),
        // The server does the work after the client gave up: as unknown as a lost answer.
        (
            "timeout",
            Fault::kind(FaultKind::DelayOnly).delay_ms(TIMEOUT.as_millis() as u64 * 2).times(1),
            &["timeout"],
            true,
        ),
    ]
}

/// Runs every row against every fault; returns the printed matrix.
fn run<S: FaultInjection>(w: &Window, sb: &S, rows: &[Row<S>], token_retry: bool) -> String {
    let faults = faults(token_retry);
    let mut table = format!(
        "| command → faulted endpoint | {} |\n|---|{}\n",
        faults.iter().map(|f| f.0).collect::<Vec<_>>().join(" | "),
        "---|".repeat(faults.len())
    );
    for row in rows {
        let mut cells = Vec::new();
        for (name, fault, codes, did_work) in &faults {
            let args = (row.args)(sb);
            sb.clear_faults();
            sb.reset_request_counts();
            sb.set_fault(row.path, fault.clone());
            let answer = invoke(w, row.command, args);
            let requests = sb.requests(row.path);
            sb.clear_faults();
            let check = |e: &Value| {
                let code = e["code"].as_str().unwrap_or("?");
                let message = e["message"].as_str().unwrap_or("");
                assert!(codes.contains(&code), "{} × {name}: code {code} ({e})", row.command);
                assert!(!message.is_empty() && !message.contains("access_token="), "{} × {name}: {e}", row.command);
                code.to_string()
            };
            let cell = match &answer {
                // A flow that did part of its work says which step failed (`…_error`), a batch
                // which item (`error` of an item).
                Ok(v) => {
                    let step = v
                        .as_object()
                        .and_then(|o| o.iter().find(|(k, e)| k.ends_with("_error") && e.is_object()).map(|(_, e)| e));
                    let item = v.as_array().and_then(|items| items.iter().map(|i| &i["error"]).find(|e| e.is_object()));
                    match step.or(item) {
                        Some(e) => format!("ok, then {}", check(e)),
                        None => "ok".to_string(),
                    }
                }
                Err(e) => check(e),
            };
            // A write is performed at most once: the faulted request (if it did the work) and
            // any request after it.
            if row.writes {
                let performed = requests - u64::from(!did_work && requests > 0);
                assert!(performed <= 1, "{} × {name}: the write reached WeChat {performed} times", row.command);
            }
            cells.push(cell);
        }
        let endpoint = row.path.trim_start_matches("/cgi-bin/").trim_start_matches("/customservice/");
        table.push_str(&format!("| {} → {endpoint} | {} |\n", row.command, cells.join(" | ")));
    }
    table
}

fn mp_app() -> (tauri::App<MockRuntime>, Window, MpSandboxHandle) {
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::En, config_path()).with_keyring_ready().with_request_timeout(TIMEOUT);
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::mp::start(MpConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, w, sb)
}

/// A customer who just wrote (inside the 48-hour window) and an agent to answer as.
fn mp_party(sb: &MpSandboxHandle) -> (String, String) {
    let mut w = sb.world();
    let openid = w.customers.keys().next().cloned().unwrap();
    w.customer_writes(&openid, "在吗").unwrap();
    let agent = w.agents[0].account.clone();
    (agent, openid)
}

#[test]
fn official_account_commands_under_every_fault() {
    let (_app, w, sb) = mp_app();
    let rows: Vec<Row<MpSandboxHandle>> = vec![
        Row { command: "list_agents", path: "/cgi-bin/customservice/getkflist", writes: false, args: |_| json!({}) },
        Row {
            command: "session_overview",
            path: "/customservice/kfsession/getwaitcase",
            writes: false,
            args: |_| json!({}),
        },
        Row {
            command: "find_session",
            path: "/customservice/kfsession/getsession",
            writes: false,
            args: |sb| json!({"openid": mp_party(sb).1}),
        },
        Row {
            command: "add_agent",
            path: "/customservice/kfaccount/add",
            writes: true,
            args: |_| {
                static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                json!({"prefix": format!("matrix{n}"), "nickname": format!("矩阵{n}")})
            },
        },
        Row {
            command: "assign_session",
            path: "/customservice/kfsession/create",
            writes: true,
            args: |sb| {
                let mut w = sb.world();
                let openid = w.rush(1, "在吗").remove(0);
                let agent = w.agents.iter().find(|a| a.status != 0).map(|a| a.account.clone()).unwrap();
                json!({"kfAccount": agent, "openid": openid})
            },
        },
        Row {
            command: "mp_statistics",
            path: "/customservice/msgrecord/getmsglist",
            writes: false,
            args: |sb| {
                let day = crate::wechat::cst::format_cst(sb.world().now())[..10].to_string();
                json!({"from": day, "to": day})
            },
        },
        Row {
            command: "fetch_records",
            path: "/customservice/msgrecord/getmsglist",
            writes: false,
            args: |sb| {
                let day = crate::wechat::cst::format_cst(sb.world().now())[..10].to_string();
                json!({"from": day, "to": day})
            },
        },
        Row {
            command: "send_text",
            path: "/cgi-bin/message/custom/send",
            writes: true,
            args: |sb| {
                let (agent, openid) = mp_party(sb);
                json!({"kfAccount": agent, "openid": openid, "text": "您好"})
            },
        },
        Row {
            command: "update_agent",
            path: "/customservice/kfaccount/update",
            writes: true,
            args: |sb| json!({"kfAccount": fresh_agent(sb), "nickname": "改了名"}),
        },
        Row {
            command: "delete_agent",
            path: "/customservice/kfaccount/del",
            writes: true,
            args: |sb| json!({"kfAccount": fresh_agent(sb)}),
        },
        Row {
            command: "invite_agent",
            path: "/customservice/kfaccount/inviteworker",
            writes: true,
            args: |sb| {
                let account = fresh_agent(sb);
                json!({"kfAccount": account, "inviteWx": format!("wx_{}", account.split('@').next().unwrap())})
            },
        },
        Row {
            command: "upload_avatar",
            path: "/customservice/kfaccount/uploadheadimg",
            writes: true,
            args: |sb| json!({"kfAccount": fresh_agent(sb), "path": picture_file(), "nudge": null}),
        },
        Row {
            command: "close_session",
            path: "/customservice/kfsession/close",
            writes: true,
            args: |sb| {
                let (agent, openid) = served(sb);
                json!({"kfAccount": agent, "openid": openid, "goodbye": null})
            },
        },
        Row {
            command: "close_session",
            path: "/cgi-bin/message/custom/send",
            writes: true,
            args: |sb| {
                let (agent, openid) = served(sb);
                json!({"kfAccount": agent, "openid": openid, "goodbye": "再见"})
            },
        },
        Row {
            command: "assign_waiting",
            path: "/customservice/kfsession/create",
            writes: true,
            args: |sb| {
                sb.world().rush(1, "在吗");
                json!({"count": 1})
            },
        },
        Row {
            command: "transfer_session",
            path: "/customservice/kfsession/create",
            writes: true,
            args: |sb| {
                let (from, openid) = served(sb);
                let to = sb.world().agents.iter().find(|a| a.status != 0 && a.account != from).unwrap().account.clone();
                json!({"from": from, "to": to, "openid": openid})
            },
        },
        Row {
            command: "set_typing",
            path: "/cgi-bin/message/custom/typing",
            writes: true,
            args: |sb| json!({"openid": sb.world().rush(1, "在吗").remove(0), "typing": true}),
        },
        Row {
            command: "test_connection",
            path: "/cgi-bin/customservice/getkflist",
            writes: false,
            args: |sb| json!({"profile": {"name": "", "app_id": sb.appid(), "oa_wechat_id": "", "token_kind": "app_secret", "api_base": sb.base_url()}, "secret": sb.secret()}),
        },
    ];
    println!("{}", run(&w, &sb, &rows, true));
}

/// A new agent nobody has touched, not bound to a WeChat user.
fn fresh_agent(sb: &MpSandboxHandle) -> String {
    let mut w = sb.world();
    let kf_id = w.next_kf_id;
    w.next_kf_id += 1;
    let account = format!("m{kf_id}@{}", w.suffix());
    w.agents.push(Agent {
        kf_id,
        account: account.clone(),
        nick: format!("矩阵{kf_id}"),
        kf_wx: None,
        invite: None,
        status: 0,
        auto_accept: 0,
        avatar_version: 0,
    });
    account
}

/// A customer who just wrote, served by an online agent.
fn served(sb: &MpSandboxHandle) -> (String, String) {
    let mut w = sb.world();
    let openid = w.rush(1, "在吗").remove(0);
    let agent = w.agents.iter().find(|a| a.status != 0).unwrap().account.clone();
    w.waiting.retain(|c| c.openid != openid);
    let createtime = w.now();
    w.sessions.insert(openid.clone(), Session { kf_account: agent.clone(), createtime });
    (agent, openid)
}

/// A picture file to upload (written once).
fn picture_file() -> String {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let path = PATH.get_or_init(|| {
        let path = crate::scratch::dir().join("picture.jpg");
        std::fs::write(&path, crate::sandbox::avatar::demo_avatar(200.0)).unwrap();
        path
    });
    path.display().to_string()
}

/// A new customer who just wrote to the first account (state 0, all replies left).
fn wecom_party(wc: &WecomSandboxHandle) -> (String, String) {
    let mut w = wc.world();
    let k = w.accounts[0].open_kfid.clone();
    let c = w.new_customer("矩阵");
    let now = w.now();
    w.customer_writes(&k, &c, "text", json!({"content": "在吗"}), now).unwrap();
    (k, c)
}

/// A new kf account this app manages, with nobody serving it.
fn fresh_account(wc: &WecomSandboxHandle) -> String {
    let mut w = wc.world();
    let mut account = w.accounts[0].clone();
    account.open_kfid = w.new_open_kfid();
    account.link_code = w.new_link_code();
    account.name = "新账号".into();
    account.users.clear();
    account.departments.clear();
    w.accounts.push(account.clone());
    account.open_kfid
}

#[test]
fn wecom_commands_under_every_fault() {
    let state = AppState::with_config_file(Lang::En, config_path()).with_keyring_ready().with_request_timeout(TIMEOUT);
    let (_app, w, wc) = super::ipc_tests::wecom_app_on(state);
    let rows: Vec<Row<WecomSandboxHandle>> = vec![
        Row { command: "list_kf_accounts", path: "/cgi-bin/kf/account/list", writes: false, args: |_| json!({}) },
        Row {
            command: "list_servicers",
            path: "/cgi-bin/kf/servicer/list",
            writes: false,
            args: |wc| json!({"openKfid": wc.world().accounts[0].open_kfid}),
        },
        Row {
            command: "open_conversation",
            path: "/cgi-bin/kf/service_state/get",
            writes: false,
            args: |wc| {
                let (k, c) = wecom_party(wc);
                json!({"openKfid": k, "externalUserid": c})
            },
        },
        Row {
            command: "list_conversations",
            path: "/cgi-bin/kf/customer/batchget",
            writes: false,
            args: |_| json!({}),
        },
        Row {
            command: "wecom_statistics",
            path: "/cgi-bin/kf/get_corp_statistic",
            writes: false,
            args: |wc| {
                let yesterday = crate::wechat::cst::format_cst(wc.world().now() - 86_400)[..10].to_string();
                json!({"from": yesterday, "to": yesterday, "openKfid": wc.world().accounts[0].open_kfid})
            },
        },
        // Asking twice gives the same link for the same account and scene: retried like a read.
        Row {
            command: "kf_contact_link",
            path: "/cgi-bin/kf/add_contact_way",
            writes: false,
            args: |wc| json!({"openKfid": wc.world().accounts[0].open_kfid, "scene": "matrix"}),
        },
        Row {
            command: "add_servicers",
            path: "/cgi-bin/kf/servicer/add",
            writes: true,
            args: |wc| {
                let w = wc.world();
                let k = &w.accounts[0];
                let user = w
                    .staff
                    .iter()
                    .find(|s| s.visible && !k.users.contains(&s.userid))
                    .map(|s| s.userid.clone())
                    .unwrap();
                json!({"openKfid": k.open_kfid, "selection": {"userids": [user]}})
            },
        },
        Row {
            command: "media_preview",
            path: "/cgi-bin/media/get",
            writes: false,
            args: |wc| json!({"mediaId": wc.world().add_media("image", crate::sandbox::avatar::demo_avatar(10.0)).0}),
        },
        Row {
            command: "move_conversation",
            path: "/cgi-bin/kf/service_state/trans",
            writes: true,
            args: |wc| {
                let (k, c) = wecom_party(wc);
                json!({"openKfid": k, "externalUserid": c, "to": 2})
            },
        },
        Row {
            command: "send_kf_message",
            path: "/cgi-bin/kf/send_msg",
            writes: true,
            args: |wc| {
                let (k, c) = wecom_party(wc);
                json!({"openKfid": k, "externalUserid": c, "msgid": crate::wecom::conversations::rules::new_msgid(), "message": {"kind": "text", "text": "您好"}})
            },
        },
        Row {
            command: "send_event_message",
            path: "/cgi-bin/kf/send_msg_on_event",
            writes: true,
            args: |wc| {
                let mut w = wc.world();
                let k = w.accounts[0].open_kfid.clone();
                let c = w.new_customer("进来");
                let now = w.now();
                let code = w.customer_enters(&k, &c, "matrix", "", now).unwrap().expect("a welcome code");
                json!({"openKfid": k, "externalUserid": c, "code": code, "msgid": crate::wecom::conversations::rules::new_msgid(), "text": "欢迎"})
            },
        },
        Row {
            command: "add_kf_account",
            path: "/cgi-bin/kf/account/add",
            writes: true,
            args: |_| {
                static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                json!({"name": format!("矩阵{}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)), "avatar": {"path": picture_file(), "nudge": null}})
            },
        },
        Row {
            command: "update_kf_account",
            path: "/cgi-bin/kf/account/update",
            writes: true,
            args: |wc| json!({"openKfid": fresh_account(wc), "name": "改了名", "avatar": null}),
        },
        Row {
            command: "delete_kf_account",
            path: "/cgi-bin/kf/account/del",
            writes: true,
            args: |wc| json!({"openKfid": fresh_account(wc)}),
        },
        Row {
            command: "remove_servicers",
            path: "/cgi-bin/kf/servicer/del",
            writes: true,
            args: |wc| {
                let k = fresh_account(wc);
                let mut w = wc.world();
                let user = w.staff.iter().find(|s| s.visible).unwrap().userid.clone();
                w.managed(&k).unwrap().users.push(user.clone());
                json!({"openKfid": k, "selection": {"userids": [user]}})
            },
        },
    ];
    // WeCom refreshes on 40014/42001 only: its 40001 is a wrong secret.
    println!("{}", run(&w, &wc, &rows, false));
}
