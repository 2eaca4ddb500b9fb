//! The fault matrix: commands that talk to WeChat × the faults the sandboxes inject, through
//! Tauri's IPC. Each command either recovers or answers a localised error with the right
//! `code`, never panics, and never performs a write twice (counted at the sandbox). The table is
//! data: a command joins by adding a row. The matrix is printed (`cargo test -- --nocapture`).

use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::Manager;

use super::ipc_tests::{config_path, invoke};
use crate::i18n::Lang;
use crate::sandbox::wecom::WecomSandboxHandle;
use crate::sandbox::{self, Fault, FaultInjection, FaultKind, SandboxConfig, SandboxHandle};
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
    ]
}

/// Runs every row against every fault; returns the printed matrix.
fn run<S: FaultInjection>(w: &Window, sb: &S, rows: &[Row<S>], token_retry: bool) -> String {
    let faults = faults(token_retry);
    let mut table = format!("| command | {} |\n|---|{}\n", faults.iter().map(|f| f.0).collect::<Vec<_>>().join(" | "), "---|".repeat(faults.len()));
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
            let cell = match &answer {
                Ok(_) => "ok".to_string(),
                Err(e) => {
                    let code = e["code"].as_str().unwrap_or("?");
                    let message = e["message"].as_str().unwrap_or("");
                    assert!(codes.contains(&code), "{} × {name}: code {code} ({e})", row.command);
                    assert!(!message.is_empty() && !message.contains("access_token="), "{} × {name}: {e}", row.command);
                    code.to_string()
                }
            };
            // A write is performed at most once: the faulted request (if it did the work) and
            // any request after it.
            if row.writes {
                let performed = requests - u64::from(!did_work && requests > 0);
                assert!(performed <= 1, "{} × {name}: the write reached WeChat {performed} times", row.command);
            }
            cells.push(cell);
        }
        table.push_str(&format!("| {} | {} |\n", row.command, cells.join(" | ")));
    }
    table
}

fn mp_app() -> (tauri::App<MockRuntime>, Window, SandboxHandle) {
    crate::secrets::use_mock_store();
    let state = AppState::with_config_file(Lang::En, config_path()).with_keyring_ready();
    let app = crate::builder(mock_builder()).manage(state).build(mock_context(noop_assets())).unwrap();
    let sb = tauri::async_runtime::block_on(sandbox::start(SandboxConfig::default(), 0)).unwrap();
    app.state::<AppState>().set_sandbox(sb.clone());
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    (app, w, sb)
}

/// A customer who just wrote (inside the 48-hour window) and an agent to answer as.
fn mp_party(sb: &SandboxHandle) -> (String, String) {
    let mut w = sb.world();
    let openid = w.customers.keys().next().cloned().unwrap();
    w.customer_writes(&openid, "在吗").unwrap();
    let agent = w.agents[0].account.clone();
    (agent, openid)
}

#[test]
fn official_account_commands_under_every_fault() {
    let (_app, w, sb) = mp_app();
    let rows: Vec<Row<SandboxHandle>> = vec![
        Row { command: "list_agents", path: "/cgi-bin/customservice/getkflist", writes: false, args: |_| json!({}) },
        Row { command: "session_overview", path: "/customservice/kfsession/getwaitcase", writes: false, args: |_| json!({}) },
        Row { command: "find_session", path: "/customservice/kfsession/getsession", writes: false, args: |sb| json!({"openid": mp_party(sb).1}) },
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
            command: "fetch_records",
            path: "/customservice/msgrecord/getmsglist",
            writes: false,
            args: |sb| {
                let day = crate::records::format_cst(sb.world().now())[..10].to_string();
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
    ];
    println!("{}", run(&w, &sb, &rows, true));
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

#[test]
fn wecom_commands_under_every_fault() {
    let (_app, w, wc) = super::ipc_tests::wecom_app(Lang::En);
    let rows: Vec<Row<WecomSandboxHandle>> = vec![
        Row { command: "list_kf_accounts", path: "/cgi-bin/kf/account/list", writes: false, args: |_| json!({}) },
        Row { command: "list_servicers", path: "/cgi-bin/kf/servicer/list", writes: false, args: |wc| json!({"openKfid": wc.world().accounts[0].open_kfid}) },
        Row {
            command: "open_conversation",
            path: "/cgi-bin/kf/service_state/get",
            writes: false,
            args: |wc| {
                let (k, c) = wecom_party(wc);
                json!({"openKfid": k, "externalUserid": c})
            },
        },
        Row { command: "list_conversations", path: "/cgi-bin/kf/customer/batchget", writes: false, args: |_| json!({}) },
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
                let user = w.staff.iter().find(|s| s.visible && !k.users.contains(&s.userid)).map(|s| s.userid.clone()).unwrap();
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
                json!({"openKfid": k, "externalUserid": c, "msgid": crate::conversations::rules::new_msgid(), "message": {"kind": "text", "text": "您好"}})
            },
        },
    ];
    // WeCom refreshes on 40014/42001 only: its 40001 is a wrong secret.
    println!("{}", run(&w, &wc, &rows, false));
}
