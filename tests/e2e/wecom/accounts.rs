//! WeCom kf accounts, contact links and servicers: added, changed, removed — checked at the sandbox.

use super::*;

/// The accounts' names, in the table's order.
const ACCOUNT_NAMES: &str =
    "return [...document.querySelectorAll('#kf-table tr[data-kfid]')].map(r => r.querySelector('.nick').textContent);";

/// `arguments[0]` is in the order Chinese readers sort names.
const IN_CHINESE_ORDER: &str =
    "const n = arguments[0]; return n.every((x, i) => i === 0 || n[i - 1].localeCompare(x, 'zh-CN') <= 0);";

/// The saved profile's row: its ID, secret state and details.
const SAVED_PROFILE: &str = "const r = [...document.querySelectorAll('#profiles-list .profile-row')].find(r => r.querySelector('.pname').textContent === '集团客服');
             return r ? {id: r.dataset.id, secret: r.querySelector('.secret')?.textContent, detail: r.querySelector('.detail').textContent} : null;";

/// The band: live or sandbox, and its words.
const BAND: &str =
    "return [document.getElementById('env-band').dataset.kind, document.getElementById('env-band').textContent];";

/// Drops `arguments[0]` onto the add form, as the window reports a drop.
const DROP_ON_FORM: &str = "const f = document.getElementById('kf-add-form'); const r = f.getBoundingClientRect(); const k = window.devicePixelRatio || 1;
         window.__kefudesk.drop([arguments[0]], {x: (r.left + r.width / 2) * k, y: (r.top + r.height / 2) * k}); return true;";

/// The add form's avatar preview has loaded, 640 px wide.
const PREVIEW_LOADED: &str =
    "const i = document.getElementById('kf-avatar-preview'); return i && i.complete && i.naturalWidth === 640;";

/// LiNa's row shows her name from the directory.
const LINA_NAMED: &str =
    "return document.querySelector(\"#servicers-table tr[data-key='u:LiNa'] .nick\")?.textContent === '李娜';";

/// LiNa's row is gone and the results are shown.
const LINA_GONE: &str = "return !document.querySelector(\"#servicers-table tr[data-key='u:LiNa']\") && document.getElementById('servicers-results');";

/// How wide the page draws a closing quote (a CJK font would draw it full width).
const QUOTE_WIDTH: &str = "const sp = document.createElement('span'); sp.textContent = '’'; sp.style.position = 'absolute';
        document.getElementById('view').append(sp); const w = sp.getBoundingClientRect().width / parseFloat(getComputedStyle(sp).fontSize);
        sp.remove(); return w;";

/// The Support accounts page in English.
const ACCOUNTS_IN_ENGLISH: &str = "return document.querySelector('#kfaccounts-page h1')?.textContent === 'Support accounts' && document.querySelector('#kf-table');";

#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_wecom_corp_is_added_and_its_accounts_links_and_servicers_are_managed() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    s.click("#nav [data-view=kfaccounts]").await;
    let rows = s.wait_for("the kf accounts", ACCOUNT_NAMES).await;
    let platform = s.js("return document.getElementById('status-platform').textContent", json!([])).await;
    assert_eq!(platform, "企业微信");
    let base = corp.base.clone();
    let expected: Vec<Value> = corp.accounts().await.iter().map(|a| a["name"].clone()).collect();
    assert_eq!(rows.as_array().unwrap(), &expected, "every account, by name, in WeCom's order");
    s.wait_for(
        "a read-only account explained",
        "return document.querySelector('#kf-table tr.read-only .badge')?.textContent === '只读';",
    )
    .await;
    s.screenshot("wecom-accounts-zh").await;
    // A click on the account header sorts by name as Chinese readers order names; again, the
    // other way round; the servicers column sorts by how many serve.
    const NAMES: &str = "return [...document.querySelectorAll('#kf-table tr[data-kfid]')].map(r => r.querySelector('.nick').textContent);";
    s.click("#kf-table .th-sort[data-sort=account]").await;
    let asc = s.wait_for("sorted by name", &format!("if (document.querySelector('#kf-table th.c-account')?.getAttribute('aria-sort') !== 'ascending') return null; {NAMES}")).await;
    let mut names: Vec<Value> = expected.clone();
    names.sort_by_key(|v| v.to_string());
    let mut shown = asc.as_array().unwrap().clone();
    shown.sort_by_key(|v| v.to_string());
    assert_eq!(shown, names, "the same accounts");
    let ordered = s.js(IN_CHINESE_ORDER, json!([asc])).await;
    assert_eq!(ordered, true, "in name order: {asc}");
    s.click("#kf-table .th-sort[data-sort=account]").await;
    let desc = s.wait_for("the other way", &format!("if (document.querySelector('#kf-table th.c-account')?.getAttribute('aria-sort') !== 'descending') return null; {NAMES}")).await;
    assert_eq!(desc, json!(asc.as_array().unwrap().iter().rev().collect::<Vec<_>>()));

    // Settings: add the corp as a profile pointed at the sandbox; test first; save to the keyring.
    s.click("#nav [data-view=settings]").await;
    s.click("#profile-add-wecom").await;
    s.type_into("#pf-corp_id", "ww12").await;
    s.click("#pf-test").await;
    let msg = s
        .wait_for(
            "the inline CorpID rule",
            "return document.querySelector('[data-field=corp_id] .field-error')?.textContent;",
        )
        .await;
    assert!(msg.as_str().unwrap().contains("ww"), "{msg}");
    s.type_into("#pf-name", "集团客服").await;
    s.type_into("#pf-corp_id", &corp.corpid).await;
    s.type_into("#pf-secret", "wrong-corp-secret").await;
    s.click(".advanced summary").await;
    s.type_into("#pf-api_base", &base).await;
    s.click("#pf-test").await;
    let err = s.wait_for("the wrong-secret explanation", PROFILE_ERROR).await;
    assert!(err.as_str().unwrap().contains("secret") && err.as_str().unwrap().contains("40001"), "{err}");
    assert_eq!(s.value("#pf-name").await, "集团客服", "what the user typed stays");
    s.type_into("#pf-secret", &corp.secret).await;
    s.click("#pf-test").await;
    let ok = s.wait_for("a successful test", "return document.querySelector('#pf-status.ok')?.textContent;").await;
    assert!(ok.as_str().unwrap().contains(&format!("{} 个客服账号", expected.len())), "{ok}");
    s.screenshot("wecom-profile-form-zh").await;
    s.click("#pf-save").await;
    let saved = s.wait_for("the saved profile", SAVED_PROFILE).await;
    assert_eq!(saved["secret"], "已保存在系统钥匙串中");
    assert!(saved["detail"].as_str().unwrap().contains(&corp.corpid), "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    s.click(&format!("#profiles-list [data-id='{id}'] .use")).await;
    s.wait_for("the live WeCom profile", &format!("return document.getElementById('status-profile')?.value === '{id}' && document.getElementById('status-env').classList.contains('live');")).await;
    let band = s.js(BAND, json!([])).await;
    assert_eq!(band[0], "live");
    assert!(band[1].as_str().unwrap().contains("· 企业微信"), "{band}");

    // Add an account with a picture dropped onto the form.
    s.click("#nav [data-view=kfaccounts]").await;
    s.wait_for("the accounts", "return document.querySelector('#kf-table tr[data-kfid]');").await;
    s.click("#kf-add").await;
    s.type_into("#kf-name", "新品咨询").await;
    s.click("#kf-create").await;
    let msg =
        s.wait_for("the avatar rule", "return document.querySelector('#kf-avatar .field-error')?.textContent;").await;
    assert!(msg.as_str().unwrap().contains("头像"), "{msg}");
    let face = driver.home.join("face.bmp");
    std::fs::write(&face, bmp(320, 240)).unwrap();
    s.js(DROP_ON_FORM, json!([face])).await;
    s.wait_for("the avatar preview", PREVIEW_LOADED).await;
    assert_eq!(s.value("#kf-name").await, "新品咨询", "the form keeps the name");
    s.screenshot("wecom-add-account-zh").await;
    s.click("#kf-create").await;
    s.wait_for("the created notice", "return document.getElementById('kf-notice')?.textContent.includes('新品咨询');")
        .await;
    let created = corp.accounts().await.into_iter().find(|a| a["name"] == "新品咨询").expect("created at the sandbox");
    let kfid = created["open_kfid"].as_str().unwrap().to_string();
    let row = format!("#kf-table tr[data-kfid='{kfid}']");
    s.wait_for(
        "its avatar",
        &format!(
            "const i = document.querySelector(\"{row} img.avatar\"); return i && i.complete && i.naturalWidth === 640;"
        ),
    )
    .await;

    // A refresh that ends while the row's panel is open and the user is typing: the panel, its
    // focus and every typed character stay; only what changed at WeCom is redrawn.
    let faults = format!("{base}/__sandbox/faults");
    sandbox_post(
        &faults,
        json!({"path": "/cgi-bin/kf/account/list", "kind": "delay_only", "delay_ms": 3000, "times": 1}),
    )
    .await;
    s.click("#kf-refresh").await;
    let update = format!("{base}/cgi-bin/kf/account/update?access_token={}", corp.token().await);
    assert_eq!(sandbox_post(&update, json!({"open_kfid": kfid, "name": "前台"})).await["errcode"], 0);
    s.click(&format!("{row} .rename")).await;
    s.wait_for("the rename field focused", "return document.activeElement?.id === 'kf-rename';").await;
    s.js("document.getElementById('kf-rename').select(); return true;", json!([])).await;
    s.keys("De").await;
    let shown = s.js(&format!("return document.querySelector(\"{row} .nick\").textContent;"), json!([])).await;
    assert_ne!(shown, "前台", "the refresh was still under way while the first letters were typed");
    s.wait_for(
        "the refresh's news",
        &format!("return document.querySelector(\"{row} .nick\")?.textContent === '前台';"),
    )
    .await;
    s.keys("sk12").await;
    let kept = s
        .js(
            "const i = document.getElementById('kf-rename'); return [i?.value, document.activeElement === i];",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!(["Desk12", true]), "the typed name and the focus survive the refresh");
    s.keys("\u{E007}").await;
    let renamed = corp.clone();
    poll(
        10,
        || {
            let corp = renamed.clone();
            let kfid = kfid.clone();
            async move {
                corp.accounts()
                    .await
                    .iter()
                    .any(|a| a["open_kfid"] == kfid.as_str() && a["name"] == "Desk12")
                    .then_some(())
            }
        },
        || "the name typed across the refresh reached WeCom".into(),
    )
    .await;
    reqwest::Client::new().delete(&faults).send().await.unwrap();

    // Rename it.
    s.click(&format!("{row} .rename")).await;
    s.type_into("#kf-rename", "新品咨询台").await;
    s.click("#row-action button[type=submit]").await;
    s.wait_for(
        "the new name",
        &format!("return document.querySelector(\"{row} .nick\")?.textContent === '新品咨询台';"),
    )
    .await;
    assert!(corp.accounts().await.iter().any(|a| a["open_kfid"] == kfid.as_str() && a["name"] == "新品咨询台"));

    // Its contact link with a scene, and the QR code saved as a PNG that holds the link.
    s.click(&format!("{row} .get-link")).await;
    s.wait_for("the links page for it", &format!("return document.getElementById('kf-choice')?.value === '{kfid}';"))
        .await;
    s.type_into("#link-scene", "门店 12").await;
    s.click("#link-get").await;
    s.wait_for("the scene rule", "return document.querySelector('#link-form .field-error')?.textContent;").await;
    s.type_into("#link-scene", "store_12").await;
    s.click("#link-get").await;
    let url = s.wait_for("the link", "return document.getElementById('link-url')?.value;").await;
    let url = url.as_str().unwrap().to_string();
    assert_eq!(url, corp.link(&kfid, "store_12").await, "the link WeCom gives for this account and scene");
    s.wait_for(
        "the QR code",
        "const i = document.getElementById('link-qr'); return i && i.complete && i.naturalWidth > 200;",
    )
    .await;
    let png = driver.home.join("qr-store_12.png");
    s.js(SAVE_NEXT_TO, json!([png])).await;
    s.click("#link-save-qr").await;
    s.wait_for("the saved notice", "return document.getElementById('link-saved')?.textContent;").await;
    assert_eq!(decode_qr(&png), url, "the saved QR code holds the link");
    s.screenshot("wecom-link-zh").await;

    // Servicers: add people (typed and ticked) and a department; each result shown.
    s.click("#nav [data-view=servicers]").await;
    s.wait_for("the servicers page for it", &format!("return document.getElementById('kf-choice')?.value === '{kfid}' && document.getElementById('servicers-empty');")).await;
    s.click("#servicers-add").await;
    s.type_into("#servicers-userids", "LiNa, nobody").await;
    s.click("#servicers-add-form .pick-person[value=ZhangWei]").await;
    s.click("#servicers-add-form .pick-dept[value='5']").await;
    s.click("#servicers-add-submit").await;
    let results = s.wait_for("the results", "return document.getElementById('servicers-results')?.textContent;").await;
    let results = results.as_str().unwrap();
    assert!(
        results.contains("已添加 3 项") && results.contains("1 项失败") && results.contains("UserID 不存在"),
        "{results}"
    );
    let names = s
        .wait_for(
            "the servicers",
            "return [...document.querySelectorAll('#servicers-table tr[data-key]')].map(r => r.dataset.key);",
        )
        .await;
    assert_eq!(names, json!(["u:LiNa", "u:ZhangWei", "d:5"]));
    s.wait_for("names from the directory", LINA_NAMED).await;
    let at_sandbox = corp.servicers(&kfid).await;
    assert!(
        at_sandbox.iter().any(|x| x["userid"] == "LiNa") && at_sandbox.iter().any(|x| x["department_id"] == 5),
        "{at_sandbox:?}"
    );
    s.screenshot("wecom-servicers-zh").await;

    // Remove one after a confirmation naming them.
    s.click("#servicers-table tr[data-key='u:LiNa'] input[type=checkbox]").await;
    s.click("#servicers-remove").await;
    let confirm = s
        .wait_for("the confirmation", "return document.querySelector('#servicers-remove-confirm span')?.textContent;")
        .await;
    assert!(
        confirm.as_str().unwrap().contains("李娜") && confirm.as_str().unwrap().contains("新品咨询台"),
        "{confirm}"
    );
    s.click("#servicers-remove-confirm .confirm-yes").await;
    s.wait_for("LiNa gone", LINA_GONE).await;
    assert!(!corp.servicers(&kfid).await.iter().any(|x| x["userid"] == "LiNa"));

    // Delete the account after a confirmation naming it.
    s.click("#nav [data-view=kfaccounts]").await;
    s.click(&format!("{row} .delete")).await;
    let confirm =
        s.wait_for("the confirmation", "return document.querySelector('#kf-delete-confirm span')?.textContent;").await;
    assert!(confirm.as_str().unwrap().contains("新品咨询台") && confirm.as_str().unwrap().contains(&kfid), "{confirm}");
    s.click("#kf-delete-confirm .confirm-yes").await;
    s.wait_for("the account to go", &format!("return !document.querySelector(\"{row}\");")).await;
    assert!(!corp.accounts().await.iter().any(|a| a["open_kfid"] == kfid.as_str()));

    // The same pages in English at the minimum window size.
    s.click("#nav [data-view=settings]").await;
    s.click("#lang-switch [data-lang=en]").await;
    s.js("return true", json!([])).await;
    s.click("#nav [data-view=servicers]").await;
    s.wait_for(
        "English servicers",
        "return document.querySelector('#servicers-page h1')?.textContent === 'Servicers';",
    )
    .await;
    // Switched to English under a Chinese locale, an apostrophe is still a Latin one, not the
    // CJK font's full-width one ("customer’ s").
    let em = s.js(QUOTE_WIDTH, json!([])).await;
    assert!(em.as_f64().unwrap() < 0.5, "the English apostrophe is {em} em wide");
    s.set_window_size(860, 560).await;
    s.screenshot("wecom-servicers-en-min").await;
    s.click("#nav [data-view=kfaccounts]").await;
    s.wait_for("English accounts", ACCOUNTS_IN_ENGLISH).await;
    s.screenshot("wecom-accounts-en-min").await;

    let token = corp.token().await;
    s.close().await;
    assert_eq!(driver.files_containing(&corp.secret), Vec::<std::path::PathBuf>::new(), "the corp secret is on disk");
    assert_eq!(
        driver.files_containing("wrong-corp-secret"),
        Vec::<std::path::PathBuf>::new(),
        "a typed secret is on disk"
    );
    assert_eq!(driver.files_containing(&token), Vec::<std::path::PathBuf>::new(), "an access token is on disk");
    assert!(!driver.files_containing("\"platform\": \"wecom\"").is_empty(), "the profile was written to the config");
}
