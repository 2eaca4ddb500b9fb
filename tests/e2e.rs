//! The real app window, driven through tauri-driver + WebKitWebDriver under Xvfb.
//! Ignored by a plain `cargo test`; `make test` runs it with `--ignored` under
//! `xvfb-run -a dbus-run-session`, where a missing prerequisite fails it.

use kefu_e2e::{sandbox_get, sandbox_post, Driver, Session};
use serde_json::{json, Value};

/// The agents the sandbox itself reports, asked over HTTP like any WeChat client would.
async fn agents_from_sandbox(base: &str) -> Vec<Value> {
    let info = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let tok = sandbox_post(
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": info["appid"], "secret": info["secret"]}),
    )
    .await;
    let token = tok["access_token"].as_str().expect("token");
    let list = sandbox_get(&format!("{base}/cgi-bin/customservice/getkflist?access_token={token}")).await;
    list["kf_list"].as_array().expect("kf_list").clone()
}

const ROWS: &str = "return [...document.querySelectorAll('#agents-table tbody tr')].map(tr => ({
    account: tr.dataset.account, nick: tr.querySelector('.nick').textContent,
    binding: tr.querySelector('.binding').textContent, status: tr.querySelector('.online').textContent }));";

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn agents_page_shows_the_sandbox_agents_in_both_languages() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let s = Session::new(&driver).await;

    // With no profile the app opens the built-in sandbox on the Agents page.
    let rows = s.wait_for("the agents table", ROWS).await;
    let rows = rows.as_array().unwrap();
    let info = s.invoke("app_info", json!({})).await;
    let profile = &info["ok"]["profile"];
    assert_eq!(profile["kind"], "sandbox", "{info}");
    let expected = agents_from_sandbox(profile["base_url"].as_str().unwrap()).await;
    assert_eq!(rows.len(), expected.len(), "every agent is listed");
    for a in &expected {
        let row = rows.iter().find(|r| r["account"] == a["kf_account"]).unwrap_or_else(|| panic!("{} missing", a["kf_account"]));
        assert_eq!(row["nick"], a["kf_nick"]);
        if let Some(wx) = a["kf_wx"].as_str() {
            assert!(row["binding"].as_str().unwrap().contains(wx), "{row}");
        }
    }
    assert!(rows.iter().any(|r| r["binding"].as_str().unwrap().contains("等待确认")), "a pending invite, in Chinese");
    let status = s.js("return document.getElementById('statusbar').textContent", json!([])).await;
    assert!(status.as_str().unwrap().contains("沙箱"), "{status}");
    // Avatars come through the kfimg: protocol from the sandbox.
    s.wait_for(
        "avatars to load",
        "const imgs = [...document.querySelectorAll('img.avatar')];
         return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);",
    )
    .await;
    s.screenshot("agents-zh").await;

    // Search narrows the list.
    let first = &expected[0];
    s.type_into("#agents-search", first["kf_nick"].as_str().unwrap()).await;
    let filtered = s.wait_for("the search to apply", &format!("const r = (() => {{ {ROWS} }})(); return r.length === 1 ? r : null;")).await;
    assert_eq!(filtered[0]["account"], first["kf_account"]);

    // Switch to English in Settings; the choice applies at once.
    s.click("#nav [data-view=settings]").await;
    s.click("#lang-switch [data-lang=en]").await;
    s.wait_for("English navigation", "return document.querySelector('#nav [data-view=agents]').textContent === 'Agents';").await;
    s.screenshot("settings-en").await;
    s.click("#nav [data-view=agents]").await;
    s.type_into("#agents-search", "").await;
    let rows = s.wait_for("the English agents table", &format!("const r = (() => {{ {ROWS} }})(); return r.length > 1 ? r : null;")).await;
    assert!(rows.as_array().unwrap().iter().any(|r| r["status"].as_str().unwrap().starts_with("Online")), "{rows}");
    s.wait_for("avatars", "return [...document.querySelectorAll('img.avatar')].every(i => i.complete && i.naturalWidth > 0);").await;
    s.screenshot("agents-en").await;
    s.close().await;
}
