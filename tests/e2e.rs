//! The real app window, driven through tauri-driver + WebKitWebDriver under Xvfb.
//! Ignored by a plain `cargo test`; `make test` runs it with `--ignored` under
//! `xvfb-run -a dbus-run-session`, where a missing prerequisite fails it.

use kefu_e2e::{sandbox_get, sandbox_post, Driver, Session};
use serde_json::{json, Value};

/// A token for the sandbox's demo account, fetched like any WeChat client would.
async fn sandbox_token(base: &str) -> String {
    let info = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let tok = sandbox_post(
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": info["appid"], "secret": info["secret"]}),
    )
    .await;
    tok["access_token"].as_str().expect("token").to_string()
}

/// The agents the sandbox itself reports, asked over HTTP like any WeChat client would.
async fn agents_from_sandbox(base: &str) -> Vec<Value> {
    let token = sandbox_token(base).await;
    let list = sandbox_get(&format!("{base}/cgi-bin/customservice/getkflist?access_token={token}")).await;
    list["kf_list"].as_array().expect("kf_list").clone()
}

/// Starts the app in `locale`, waits for the Agents page, and returns the sandbox's base URL.
async fn open_app(locale: &str) -> (Driver, Session, String) {
    let driver = Driver::start(&[("LANG", locale), ("LC_ALL", locale)]);
    let s = Session::new(&driver).await;
    s.wait_for("the agents table", ROWS).await;
    let info = s.invoke("app_info", json!({})).await;
    let base = info["ok"]["profile"]["base_url"].as_str().unwrap_or_else(|| panic!("{info}")).to_string();
    (driver, s, base)
}

const ROWS: &str = "return [...document.querySelectorAll('#agents-table tbody tr[data-account]')].map(tr => ({
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

/// Settings → add a profile pointing at the app's sandbox through the API-address override,
/// test it (wrong secret, then right), save it (secret to the real keyring), switch to it and
/// back, delete it — and afterwards no file the app wrote holds the secret or a token.
#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn profiles_are_added_tested_switched_and_deleted_with_secrets_only_in_the_keyring() {
    let (driver, s, base) = open_app("zh_CN.UTF-8").await;
    let demo = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let (appid, secret, oa) = (demo["appid"].as_str().unwrap(), demo["secret"].as_str().unwrap(), demo["oa_wechat_id"].as_str().unwrap());
    let expected = agents_from_sandbox(&base).await;

    s.click("#nav [data-view=settings]").await;
    s.click("#profile-add").await;
    // Inline validation before anything is sent.
    s.type_into("#pf-app_id", "wx123").await;
    s.click("#pf-test").await;
    let msg = s.wait_for("the inline AppID message", "return document.querySelector('[data-field=app_id] .field-error')?.textContent;").await;
    assert!(msg.as_str().unwrap().contains("wx 开头"), "{msg}");

    s.type_into("#pf-name", "华东门店").await;
    s.type_into("#pf-app_id", appid).await;
    s.type_into("#pf-oa_wechat_id", oa).await;
    s.type_into("#pf-secret", "not-the-secret").await;
    s.click(".advanced summary").await;
    s.type_into("#pf-api_base", &base).await;
    s.click("#pf-test").await;
    let err = s.wait_for("the wrong-secret explanation", "return document.querySelector('#profile-form .error-message')?.textContent;").await;
    assert!(err.as_str().unwrap().contains("AppSecret 错误") && err.as_str().unwrap().contains("40125"), "{err}");
    assert_eq!(s.value("#pf-name").await, "华东门店", "what the user typed stays");
    assert_eq!(s.value("#pf-api_base").await, json!(base));

    s.type_into("#pf-secret", secret).await;
    s.click("#pf-test").await;
    let ok = s.wait_for("a successful test", "const t = document.querySelector('#pf-status.ok')?.textContent; return t;").await;
    assert!(ok.as_str().unwrap().contains(&format!("{} 位客服", expected.len())), "{ok}");
    s.screenshot("profile-form-zh").await;

    s.click("#pf-save").await;
    let saved = s
        .wait_for(
            "the saved profile",
            "const r = [...document.querySelectorAll('#profiles-list .profile-row')].find(r => r.querySelector('.pname').textContent === '华东门店');
             return r ? {id: r.dataset.id, secret: r.querySelector('.secret')?.textContent} : null;",
        )
        .await;
    assert_eq!(saved["secret"], "已保存在系统钥匙串中");
    let id = saved["id"].as_str().unwrap().to_string();

    // Use it: the status bar says live, and the agents come through the saved profile.
    s.click(&format!("#profiles-list [data-id='{id}'] .use")).await;
    s.wait_for("the live profile", &format!("return document.getElementById('status-profile')?.value === '{id}' && document.getElementById('status-env').classList.contains('live');")).await;
    s.click("#nav [data-view=agents]").await;
    let rows = s.wait_for("agents through the saved profile", ROWS).await;
    assert_eq!(rows.as_array().unwrap().len(), expected.len());
    s.screenshot("agents-live-profile").await;

    // Switch back from the status bar.
    s.click("#status-profile option[value=sandbox]").await;
    s.wait_for("the sandbox again", "return document.getElementById('status-env').classList.contains('sandbox');").await;

    // Delete, after a confirmation that names the profile.
    s.click("#nav [data-view=settings]").await;
    s.click(&format!("#profiles-list [data-id='{id}'] .delete")).await;
    let confirm = s.wait_for("the confirmation", "return document.querySelector('.confirm span')?.textContent;").await;
    assert!(confirm.as_str().unwrap().contains("华东门店"), "{confirm}");
    s.click(".confirm-yes").await;
    s.wait_for("the profile to go", &format!("return !document.querySelector(\"#profiles-list [data-id='{id}']\");")).await;
    s.screenshot("settings-zh").await;

    // The config file exists (the profile was written), but no secret or token is on disk.
    let token = sandbox_post(
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": appid, "secret": secret}),
    )
    .await["access_token"]
    .as_str()
    .unwrap()
    .to_string();
    s.close().await;
    let configs = driver.files_containing("华东门店");
    assert!(configs.is_empty() || configs.iter().all(|p| !p.ends_with("config.json")), "the deleted profile is gone from the config: {configs:?}");
    assert!(!driver.files_containing("\"version\": 1").is_empty(), "the app wrote its config under the throwaway HOME");
    assert_eq!(driver.files_containing(secret), Vec::<std::path::PathBuf>::new(), "the AppSecret is on disk");
    assert_eq!(driver.files_containing("not-the-secret"), Vec::<std::path::PathBuf>::new(), "a typed secret is on disk");
    assert_eq!(driver.files_containing(&token), Vec::<std::path::PathBuf>::new(), "an access token is on disk");
}

/// Agents: add one with an avatar and an invitation in one flow and see both; the form's rules
/// and WeChat's duplicate error in words; edit a nickname; a failed invitation after creation
/// is reported as such and retried alone; delete after a confirmation naming the agent.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn agents_are_added_with_an_invite_edited_and_deleted() {
    let (driver, s, base) = open_app("en_US.UTF-8").await;
    let oa = sandbox_get(&format!("{base}/__sandbox/info")).await["oa_wechat_id"].as_str().unwrap().to_string();
    let row_of = |account: &str| format!("#agents-table tr[data-account='{account}']");

    // Inline rules before anything is sent.
    s.click("#agent-add").await;
    s.type_into("#af-prefix", "bad-name").await;
    s.type_into("#af-nickname", "新同事").await;
    s.click("#af-create").await;
    let msg = s.wait_for("the inline prefix rule", "return document.querySelector('[data-field=prefix] .field-error')?.textContent;").await;
    assert!(msg.as_str().unwrap().contains("letters, digits or underscores"), "{msg}");

    // Add with an avatar (a picture file dropped onto the form) and an invite, in one flow.
    let face = driver.home.join("face.bmp");
    std::fs::write(&face, bmp(240, 320)).unwrap();
    let drop_on_form = "const f = document.getElementById('agent-add-form'); const r = f.getBoundingClientRect();
         const k = window.devicePixelRatio || 1;
         window.__kefudesk.drop([arguments[0]], {x: (r.left + r.width / 2) * k, y: (r.top + r.height / 2) * k}); return true;";
    s.js(drop_on_form, json!([face])).await;
    s.wait_for("the form's avatar preview", "const i = document.getElementById('af-avatar-preview'); return i && i.complete && i.naturalWidth === 640;").await;
    assert_eq!(s.value("#af-nickname").await, "新同事", "the form keeps what was typed");
    s.type_into("#af-prefix", "newbie").await;
    s.type_into("#af-invite_wx", "newbie_wx88").await;
    s.screenshot("agent-add-form-en").await;
    s.click("#af-create").await;
    let account = format!("newbie@{oa}");
    let binding = s.wait_for("the new agent", &format!("return document.querySelector(\"{} .binding\")?.textContent;", row_of(&account))).await;
    assert!(binding.as_str().unwrap().contains("Invite to newbie_wx88 pending"), "{binding}");
    s.wait_for("the new agent's avatar", &format!("const i = document.querySelector(\"{} img.avatar\"); return i && i.complete && i.naturalWidth > 0;", row_of(&account))).await;
    let kf = agents_from_sandbox(&base).await.into_iter().find(|a| a["kf_account"] == account.as_str()).expect("created at the sandbox");
    assert_eq!(kf["invite_status"], "waiting");
    assert!(kf["kf_headimgurl"].as_str().unwrap().starts_with(&base), "avatar uploaded: {kf}");

    // WeChat's duplicate error, in words; the form keeps what was typed.
    s.click("#agent-add").await;
    s.type_into("#af-prefix", "newbie").await;
    s.type_into("#af-nickname", "重复").await;
    s.click("#af-create").await;
    let err = s.wait_for("the duplicate explanation", "return document.querySelector('#agent-add-form .error-message')?.textContent;").await;
    assert!(err.as_str().unwrap().contains("already exists") && err.as_str().unwrap().contains("65406"), "{err}");
    assert_eq!(s.value("#af-nickname").await, "重复");

    // Created, but the invitation fails (this worker has 5 bindings): said so, retried alone.
    s.type_into("#af-prefix", "second").await;
    s.type_into("#af-invite_wx", "busy_worker01").await;
    s.click("#af-create").await;
    let partial = s.wait_for("the partial outcome", "return document.querySelector('#agent-notice.partial')?.textContent;").await;
    assert!(partial.as_str().unwrap().contains(&format!("second@{oa} was created")) && partial.as_str().unwrap().contains("5 Official Accounts"), "{partial}");
    s.click("#agent-retry-invite").await;
    s.type_into("#row-action input", "second_wx").await;
    s.click("#row-action .send").await;
    s.wait_for("the retried invite", &format!("return document.querySelector(\"{} .binding\")?.textContent.includes('second_wx');", row_of(&format!("second@{oa}")))).await;
    s.screenshot("agents-manage-en").await;

    // Edit the nickname.
    s.click(&format!("{} .edit", row_of(&account))).await;
    s.type_into("#row-action input", "新名字").await;
    s.click("#row-action .save").await;
    s.wait_for("the new nickname", &format!("return document.querySelector(\"{} .nick\")?.textContent === '新名字';", row_of(&account))).await;

    // A local group: create it, put the agent in, filter by it.
    s.click("#groups-manage").await;
    s.type_into("#group-new", "售后").await;
    s.click("#group-create").await;
    s.wait_for("the new group", "return document.querySelector(\"#group-panel [data-group='售后']\");").await;
    s.click(&format!("{} .groups", row_of(&account))).await;
    s.click("#row-action input[data-group='售后']").await;
    s.wait_for("the group tag", &format!("return document.querySelector(\"{} .tag\")?.textContent === '售后';", row_of(&account))).await;
    s.click("#agents-group option[value='售后']").await;
    let filtered = s.wait_for("the group filter", &format!("const r = (() => {{ {ROWS} }})(); return r.length === 1 ? r : null;")).await;
    assert_eq!(filtered[0]["account"], account.as_str());
    s.screenshot("agents-group-en").await;
    s.click("#agents-group option[value='']").await;

    // Drop a picture file onto the agent's row (the app's drop handler, with a real path),
    // nudge the crop, upload; the row shows the new avatar served by the sandbox.
    let picture = driver.home.join("photo.bmp");
    std::fs::write(&picture, bmp(300, 200)).unwrap();
    let drop = format!(
        "const row = document.querySelector(\"{}\"); row.scrollIntoView({{block: 'center'}});
         const r = row.getBoundingClientRect(); const k = window.devicePixelRatio || 1;
         window.__kefudesk.drop([arguments[0]], {{x: (r.left + 40) * k, y: (r.top + r.height / 2) * k}}); return true;",
        row_of(&account)
    );
    s.js(&drop, json!([picture])).await;
    s.wait_for("the avatar preview", "const i = document.getElementById('avatar-preview'); return i && i.complete && i.naturalWidth === 640;").await;
    let before = s.js("return document.getElementById('avatar-preview').src", json!([])).await;
    s.click("#row-action .nudge-right").await;
    s.wait_for("the nudged preview", &format!("return document.getElementById('avatar-preview')?.src !== {before};")).await;
    s.screenshot("avatar-preview-en").await;
    s.click("#row-action .upload").await;
    s.wait_for("the uploaded avatar", &format!("const i = document.querySelector(\"{} img.avatar\"); return i && i.complete && i.naturalWidth > 0;", row_of(&account))).await;
    let kf = agents_from_sandbox(&base).await.into_iter().find(|a| a["kf_account"] == account.as_str()).unwrap();
    assert!(kf["kf_headimgurl"].as_str().unwrap().starts_with(&base), "{kf}");

    // Delete, after a confirmation that names the agent.
    s.click(&format!("{} .delete", row_of(&account))).await;
    let confirm = s.wait_for("the confirmation", "return document.querySelector('#row-action span')?.textContent;").await;
    assert!(confirm.as_str().unwrap().contains("新名字") && confirm.as_str().unwrap().contains(&account), "{confirm}");
    s.click("#row-action .confirm-yes").await;
    s.wait_for("the agent to go", &format!("return !document.querySelector(\"{}\");", row_of(&account))).await;
    assert!(!agents_from_sandbox(&base).await.iter().any(|a| a["kf_account"] == account.as_str()));
    s.close().await;
}

/// A 24-bit BMP with a horizontal gradient (no image crate needed here).
fn bmp(w: u32, h: u32) -> Vec<u8> {
    let row = (w * 3).div_ceil(4) * 4;
    let size = 54 + row * h;
    let mut b = Vec::with_capacity(size as usize);
    b.extend_from_slice(b"BM");
    for v in [size, 0, 54, 40] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&(w as i32).to_le_bytes());
    b.extend_from_slice(&(h as i32).to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    for v in [0u32, row * h, 2835, 2835, 0, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for y in 0..h {
        for x in 0..w {
            b.extend_from_slice(&[(255 * x / w) as u8, (255 * y / h) as u8, 160]);
        }
        b.resize(b.len() + (row - w * 3) as usize, 0);
    }
    b
}

/// WeChat's maximum of 100 agents: all listed and searchable, and the Add form says the
/// account is full before sending anything.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_full_account_of_100_agents_stays_usable() {
    let (_driver, s, base) = open_app("zh_CN.UTF-8").await;
    let oa = sandbox_get(&format!("{base}/__sandbox/info")).await["oa_wechat_id"].as_str().unwrap().to_string();
    let token = sandbox_token(&base).await;
    let existing = agents_from_sandbox(&base).await.len();
    for i in existing..100 {
        let out = sandbox_post(
            &format!("{base}/customservice/kfaccount/add?access_token={token}"),
            json!({"kf_account": format!("bulk{i:03}@{oa}"), "nickname": format!("批量客服{i:03}")}),
        )
        .await;
        assert_eq!(out["errcode"], 0, "{out}");
    }
    s.click("#agents-refresh").await;
    let rows = s.wait_for("100 rows", &format!("const r = (() => {{ {ROWS} }})(); return r.length === 100 ? r : null;")).await;
    assert_eq!(rows.as_array().unwrap().len(), 100);
    let summary = s.js("return document.getElementById('agents-summary').textContent", json!([])).await;
    assert!(summary.as_str().unwrap().contains("共 100 位客服"), "{summary}");
    s.screenshot("agents-100-zh").await;

    s.type_into("#agents-search", "批量客服042").await;
    let found = s.wait_for("the search", &format!("const r = (() => {{ {ROWS} }})(); return r.length === 1 ? r : null;")).await;
    assert_eq!(found[0]["account"], format!("bulk042@{oa}"));

    s.click("#agent-add").await;
    s.type_into("#af-prefix", "onemore").await;
    s.type_into("#af-nickname", "第101位").await;
    s.click("#af-create").await;
    let msg = s.wait_for("the limit message", "return document.querySelector('[data-field=prefix] .field-error')?.textContent;").await;
    assert!(msg.as_str().unwrap().contains("100 位客服"), "{msg}");
    assert_eq!(agents_from_sandbox(&base).await.len(), 100, "nothing sent");
    s.close().await;
}


/// Records: fetch the last 7 CST days through the page (progress, then the summary), scroll the
/// virtualised table to the end, search, and export — the CSV holds exactly the records the
/// sandbox returns to any WeChat client for those days.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn records_of_several_days_are_browsed_searched_and_exported() {
    let (driver, s, base) = open_app("en_US.UTF-8").await;
    // What the sandbox itself says, asked day by day like any WeChat client.
    let token = sandbox_token(&base).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let today = (now + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600;
    let mut expected: Vec<(String, String, i64, String)> = Vec::new();
    for d in (0..7).rev() {
        let start = today - d * 86_400;
        let page = sandbox_post(
            &format!("{base}/customservice/msgrecord/getmsglist?access_token={token}"),
            json!({"starttime": start, "endtime": start + 86_399, "msgid": 1, "number": 10000}),
        )
        .await;
        for r in page["recordlist"].as_array().expect("recordlist") {
            expected.push((r["worker"].as_str().unwrap().into(), r["openid"].as_str().unwrap().into(), r["opercode"].as_i64().unwrap(), r["text"].as_str().unwrap().into()));
        }
    }
    assert!(expected.len() > 1000, "demo history: {}", expected.len());

    s.click("#nav [data-view=records]").await;
    s.click("#records-form [data-days='7']").await;
    s.click("#rf-fetch").await;
    let summary = s.wait_for("the summary", "return document.getElementById('records-summary')?.textContent;").await;
    assert!(summary.as_str().unwrap().contains(&format!("{} records", group(expected.len()))) && summary.as_str().unwrap().contains("7 days · 7 requests"), "{summary}");
    let step = s
        .wait_for("the first rows", "const r = document.querySelectorAll('#records-body .vrow'); return r.length > 2 && r[0].querySelector('.c-time') ? r[1].offsetTop - r[0].offsetTop : null;")
        .await;
    assert_eq!(step, 34, "rows are laid out one under the other");
    s.screenshot("records-en").await;

    // Scroll to the end: the last record is shown, and only a screenful of rows is in the DOM.
    let last = s
        .wait_for(
            "the last row",
            &format!(
                "const b = document.getElementById('records-body'); b.scrollTop = b.scrollHeight;
                 const r = [...b.querySelectorAll('.vrow')]; const l = r[r.length - 1];
                 return l && l.dataset.index === '{}' && l.querySelector('.c-time') ? r.length : null;",
                expected.len() - 1
            ),
        )
        .await;
    assert!(last.as_i64().unwrap() < 80, "virtualised: {last} rows in the DOM");

    // Search inside the result.
    let closed = expected.iter().filter(|r| r.2 == 1004).count();
    s.type_into("#records-search", "session closed").await;
    let matching = s.wait_for("the search", &format!("const m = document.getElementById('records-matching')?.textContent; return m && m.includes('{}') ? m : null;", group(closed))).await;
    assert!(matching.as_str().unwrap().contains("matching"), "{matching}");
    s.type_into("#records-search", "").await;
    s.wait_for("the whole result again", "return document.getElementById('records-matching')?.textContent === '';").await;

    // Export (the save dialog's answer given through the app's test hook).
    let csv_path = driver.home.join("records.csv");
    s.js("window.__kefudesk.nextSavePath = arguments[0]; return true;", json!([csv_path])).await;
    s.click("#records-export").await;
    let notice = s.wait_for("the export notice", "return document.getElementById('records-notice')?.textContent;").await;
    assert!(notice.as_str().unwrap().contains(&format!("Exported {} records", group(expected.len()))), "{notice}");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    let mut rows: Vec<(String, String, i64, String)> = Vec::new();
    let mut times = Vec::new();
    for line in csv::Reader::from_reader(text[3..].as_bytes()).records() {
        let line = line.expect("a CSV row");
        times.push(line[0].to_string());
        rows.push((line[1].to_string(), line[2].to_string(), line[4].parse().unwrap(), line[5].to_string()));
    }
    assert!(times.windows(2).all(|p| p[0] <= p[1]), "sorted by time");
    let mut want = expected.clone();
    want.sort();
    rows.sort();
    assert_eq!(rows, want, "the CSV holds exactly the sandbox's records");
    s.close().await;
}

/// 12345 → "12,345" (the page formats numbers for the locale).
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
