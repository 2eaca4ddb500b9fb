//! WeCom 微信客服 in the real app window (tauri-driver + WebKitWebDriver under Xvfb): a WeCom
//! profile added against the built-in WeCom sandbox (tested, secret in the keyring), the switch
//! of platforms, kf accounts (added with a dropped avatar, renamed, deleted), a contact link
//! and its QR code saved as PNG, servicers added and removed; the Conversations page: a
//! customer who writes appears, is answered, assigned, refused in words, and the session ended
//! with ending words — each checked at the sandbox.

use kefu_e2e::{bmp, poll, sandbox_get, sandbox_post, Driver, Session, MIN_SIZE_PROBLEMS};
use serde_json::{json, Value};

/// The WeCom sandbox's own view, asked over HTTP like any WeCom client would.
struct Corp {
    base: String,
    corpid: String,
    secret: String,
}

impl Corp {
    async fn token(&self) -> String {
        let v =
            sandbox_get(&format!("{}/cgi-bin/gettoken?corpid={}&corpsecret={}", self.base, self.corpid, self.secret))
                .await;
        v["access_token"].as_str().expect("token").to_string()
    }

    async fn accounts(&self) -> Vec<Value> {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/account/list?access_token={}", self.base, self.token().await),
            json!({"offset": 0, "limit": 100}),
        )
        .await;
        v["account_list"].as_array().expect("account_list").clone()
    }

    async fn servicers(&self, open_kfid: &str) -> Vec<Value> {
        let v = sandbox_get(&format!(
            "{}/cgi-bin/kf/servicer/list?access_token={}&open_kfid={open_kfid}",
            self.base,
            self.token().await
        ))
        .await;
        v["servicer_list"].as_array().expect("servicer_list").clone()
    }

    /// The session state WeCom reports (service_state/get), and the servicer in state 3.
    async fn state(&self, open_kfid: &str, customer: &str) -> (i64, String) {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/service_state/get?access_token={}", self.base, self.token().await),
            json!({"open_kfid": open_kfid, "external_userid": customer}),
        )
        .await;
        (
            v["service_state"].as_i64().unwrap_or_else(|| panic!("{v}")),
            v["servicer_userid"].as_str().unwrap_or("").to_string(),
        )
    }

    /// What send_msg and send_msg_on_event delivered to `customer`.
    async fn sent_to(&self, customer: &str) -> Vec<Value> {
        let v = sandbox_get(&format!("{}/__sandbox/sent", self.base)).await;
        v["sent"].as_array().expect("sent").iter().filter(|m| m["touser"] == customer).cloned().collect()
    }

    async fn link(&self, open_kfid: &str, scene: &str) -> String {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/add_contact_way?access_token={}", self.base, self.token().await),
            json!({"open_kfid": open_kfid, "scene": scene}),
        )
        .await;
        v["url"].as_str().expect("url").to_string()
    }
}

/// The text of the one QR code in a PNG file.
fn decode_qr(path: &std::path::Path) -> String {
    let img = image::open(path).expect("a PNG").to_luma8();
    let mut p = rqrr::PreparedImage::prepare_from_greyscale(img.width() as usize, img.height() as usize, |x, y| {
        img.get_pixel(x as u32, y as u32)[0]
    });
    let grids = p.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {}", path.display());
    grids[0].decode().expect("decodes").1
}

/// Chooses `value` in the select `css` as a user would (the change event fires).
async fn choose(s: &Session, css: &str, value: &str) {
    s.js(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('change')); return el.value === arguments[1];",
        json!([css, value]),
    )
    .await;
}

/// The app in Chinese, switched from the status bar to the WeCom sandbox (its pages replace the
/// Official Account's; Conversations first), and the sandbox's corp as WeCom clients see it.
async fn on_the_wecom_sandbox(driver: &Driver) -> (Session, Corp) {
    let s = Session::new(driver).await;
    s.wait_for("the agents table", "return document.querySelector('#agents-table tbody tr');").await;
    choose(&s, "#status-profile", "sandbox-wecom").await;
    s.wait_for("the WeCom pages", "return document.querySelector('#nav [data-view=kfaccounts]') && !document.querySelector('#nav [data-view=agents]');").await;
    s.wait_for("Conversations first", "return document.querySelector('#conversations-page .conv-group');").await;
    let band = s.js("return document.getElementById('env-band').textContent;", json!([])).await;
    assert!(
        band.as_str().unwrap().starts_with("沙箱 · 企业微信"),
        "the band names the sandbox and the platform: {band}"
    );
    let info = s.invoke("app_info", json!({})).await;
    let base = info["ok"]["profile"]["base_url"].as_str().unwrap_or_else(|| panic!("{info}")).to_string();
    let demo = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let corp =
        Corp { base, corpid: demo["corpid"].as_str().unwrap().into(), secret: demo["secret"].as_str().unwrap().into() };
    (s, corp)
}

#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_wecom_corp_is_added_and_its_accounts_links_and_servicers_are_managed() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    s.click("#nav [data-view=kfaccounts]").await;
    let rows = s.wait_for("the kf accounts", "return [...document.querySelectorAll('#kf-table tr[data-kfid]')].map(r => r.querySelector('.nick').textContent);").await;
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
    let ordered = s
        .js(
            "const n = arguments[0]; return n.every((x, i) => i === 0 || n[i - 1].localeCompare(x, 'zh-CN') <= 0);",
            json!([asc]),
        )
        .await;
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
    let err = s
        .wait_for(
            "the wrong-secret explanation",
            "return document.querySelector('#profile-form .error-message')?.textContent;",
        )
        .await;
    assert!(err.as_str().unwrap().contains("secret") && err.as_str().unwrap().contains("40001"), "{err}");
    assert_eq!(s.value("#pf-name").await, "集团客服", "what the user typed stays");
    s.type_into("#pf-secret", &corp.secret).await;
    s.click("#pf-test").await;
    let ok = s.wait_for("a successful test", "return document.querySelector('#pf-status.ok')?.textContent;").await;
    assert!(ok.as_str().unwrap().contains(&format!("{} 个客服账号", expected.len())), "{ok}");
    s.screenshot("wecom-profile-form-zh").await;
    s.click("#pf-save").await;
    let saved = s
        .wait_for(
            "the saved profile",
            "const r = [...document.querySelectorAll('#profiles-list .profile-row')].find(r => r.querySelector('.pname').textContent === '集团客服');
             return r ? {id: r.dataset.id, secret: r.querySelector('.secret')?.textContent, detail: r.querySelector('.detail').textContent} : null;",
        )
        .await;
    assert_eq!(saved["secret"], "已保存在系统钥匙串中");
    assert!(saved["detail"].as_str().unwrap().contains(&corp.corpid), "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    s.click(&format!("#profiles-list [data-id='{id}'] .use")).await;
    s.wait_for("the live WeCom profile", &format!("return document.getElementById('status-profile')?.value === '{id}' && document.getElementById('status-env').classList.contains('live');")).await;
    let band = s.js("return [document.getElementById('env-band').dataset.kind, document.getElementById('env-band').textContent];", json!([])).await;
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
    s.js(
        "const f = document.getElementById('kf-add-form'); const r = f.getBoundingClientRect(); const k = window.devicePixelRatio || 1;
         window.__kefudesk.drop([arguments[0]], {x: (r.left + r.width / 2) * k, y: (r.top + r.height / 2) * k}); return true;",
        json!([face]),
    )
    .await;
    s.wait_for(
        "the avatar preview",
        "const i = document.getElementById('kf-avatar-preview'); return i && i.complete && i.naturalWidth === 640;",
    )
    .await;
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
    s.js("window.__kefudesk.nextSavePath = arguments[0]; return true;", json!([png])).await;
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
    s.wait_for(
        "names from the directory",
        "return document.querySelector(\"#servicers-table tr[data-key='u:LiNa'] .nick\")?.textContent === '李娜';",
    )
    .await;
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
    s.wait_for("LiNa gone", "return !document.querySelector(\"#servicers-table tr[data-key='u:LiNa']\") && document.getElementById('servicers-results');").await;
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
    let em = s.js("const sp = document.createElement('span'); sp.textContent = '’'; sp.style.position = 'absolute';
        document.getElementById('view').append(sp); const w = sp.getBoundingClientRect().width / parseFloat(getComputedStyle(sp).fontSize);
        sp.remove(); return w;", json!([])).await;
    assert!(em.as_f64().unwrap() < 0.5, "the English apostrophe is {em} em wide");
    s.set_window_size(860, 560).await;
    s.screenshot("wecom-servicers-en-min").await;
    s.click("#nav [data-view=kfaccounts]").await;
    s.wait_for("English accounts", "return document.querySelector('#kfaccounts-page h1')?.textContent === 'Support accounts' && document.querySelector('#kf-table');").await;
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

#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn a_supervisor_answers_assigns_and_ends_a_wecom_conversation() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let base = corp.base.clone();
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();

    // Welcome words for the first account (Support accounts page): a customer who opens the link gets
    // them within WeCom's 20 seconds, sent by the app itself.
    s.click("#nav [data-view=kfaccounts]").await;
    s.click(&format!("#kf-table tr[data-kfid='{kf}'] .welcome")).await;
    s.type_into("#kf-welcome", "您好，欢迎光临！请问有什么可以帮您？").await;
    s.click("#kf-welcome-save").await;
    s.wait_for(
        "the welcome saved",
        &format!(
            "return document.querySelector(\"#kf-table tr[data-kfid='{kf}'] .welcome\")?.textContent.includes('✓');"
        ),
    )
    .await;
    let entered =
        sandbox_post(&format!("{base}/__sandbox/customers/enter"), json!({"open_kfid": kf, "nickname": "林一"})).await;
    let (newcomer, code) = (
        entered["external_userid"].as_str().unwrap().to_string(),
        entered["welcome_code"].as_str().unwrap_or_else(|| panic!("{entered}")).to_string(),
    );
    let welcomed = poll(
        20,
        || async { corp.sent_to(&newcomer).await.into_iter().next() },
        || "no welcome within WeCom's 20 seconds".into(),
    )
    .await;
    assert_eq!(
        (welcomed["code"].as_str(), welcomed["text"]["content"].as_str()),
        (Some(code.as_str()), Some("您好，欢迎光临！请问有什么可以帮您？"))
    );
    s.click("#nav [data-view=conversations]").await;

    // A customer writes at the sandbox: they appear, by name, with what they wrote.
    let wrote = sandbox_post(
        &format!("{base}/__sandbox/customers/message"),
        json!({"open_kfid": kf, "nickname": "周小满", "text": "我的订单什么时候发货？"}),
    )
    .await;
    let customer = wrote["external_userid"].as_str().unwrap_or_else(|| panic!("{wrote}")).to_string();
    let item = format!("#conv-list .conv-item[data-customer='{customer}']");
    let found = s.wait_for("the customer in the list", &format!("const el = document.querySelector(\"{item}\"); return el && el.closest('.conv-group').dataset.state === '0' && el.textContent;")).await;
    assert!(
        found.as_str().unwrap().contains("周小满") && found.as_str().unwrap().contains("我的订单什么时候发货？"),
        "{found}"
    );
    s.click(&item).await;
    s.wait_for("the conversation", "return document.querySelector('#conv-state')?.dataset.state === '0' && document.querySelector('#conv-messages')?.textContent.includes('我的订单什么时候发货？');").await;

    // Answer twice: the first send moves the session to the smart assistant (1), the second is sent in state 1.
    for (text, state) in [("您好，已经为您查询。", "1"), ("预计明天发货，请留意物流信息。", "1")]
    {
        s.type_into("#composer-text", text).await;
        s.click("#composer-send").await;
        s.wait_for("the message sent", &format!("return document.querySelector('#conv-state')?.dataset.state === '{state}' && [...document.querySelectorAll('#conv-messages .bubble.kf')].some(b => b.textContent.includes('{text}'));")).await;
        assert!(corp.sent_to(&customer).await.iter().any(|m| m["text"]["content"] == text), "{text} reached WeCom");
    }
    assert_eq!(corp.state(&kf, &customer).await.0, 1);
    let left = s.wait_for("replies left", "return document.querySelector('#composer-replies')?.textContent;").await;
    assert!(left.as_str().unwrap().contains('3'), "{left}");

    // A picture dropped on the window (a BMP: converted to a JPEG WeCom takes), then a menu.
    let picture = driver.home.join("商品照片.bmp");
    std::fs::write(&picture, bmp(640, 480)).unwrap();
    s.js("window.__kefudesk.drop([arguments[0]]); return true;", json!([picture])).await;
    s.wait_for(
        "the picture in the composer",
        "return document.getElementById('composer-picture-name')?.textContent === '商品照片.bmp';",
    )
    .await;
    s.click("#composer-send").await;
    s.wait_for("the picture sent", "return document.querySelector('#conv-notice') && [...document.querySelectorAll('#conv-messages .bubble.kf')].length === 3;").await;
    let sent = corp.sent_to(&customer).await;
    assert_eq!(sent.last().unwrap()["msgtype"], "image", "{sent:?}");
    s.click("#composer-kind [data-kind=menu]").await;
    s.type_into("#composer-head", "请为本次服务评价").await;
    // Several lines (WebDriver's typing drops line breaks): set as pasted text.
    s.js("const el = document.querySelector('#composer-items'); el.value = arguments[0]; el.dispatchEvent(new Event('input')); return true;", json!(["满意\n一般\n不满意"])).await;
    s.click("#composer-send").await;
    s.wait_for("the menu sent", "return [...document.querySelectorAll('#conv-messages .bubble.kf')].length === 4;")
        .await;
    let menu = corp.sent_to(&customer).await.last().unwrap().clone();
    assert_eq!(menu["msgtype"], "msgmenu");
    let items: Vec<&str> =
        menu["msgmenu"]["list"].as_array().unwrap().iter().map(|i| i["click"]["content"].as_str().unwrap()).collect();
    assert_eq!(items, ["满意", "一般", "不满意"]);

    // Assign to a servicer: only receiving ones are offered; checked at the sandbox.
    s.click("#conv-move-3").await;
    let servicer = s
        .wait_for("the servicers offered", "return document.querySelector('#move-servicer')?.value;")
        .await
        .as_str()
        .unwrap()
        .to_string();
    s.click("#move-go").await;
    s.wait_for("state 3", "return document.querySelector('#conv-state')?.dataset.state === '3';").await;
    assert_eq!(corp.state(&kf, &customer).await, (3, servicer.clone()));

    // State 3: the composer says why it cannot send, instead of failing.
    let why = s.wait_for("the refusal", "return document.querySelector('#composer-refusal')?.textContent;").await;
    assert!(why.as_str().unwrap().contains("接待人员"), "{why}");
    assert_eq!(s.js("return !!document.querySelector('#composer-text')", json!([])).await, json!(false));
    s.screenshot("wecom-conversation-zh").await;
    let sent_before = corp.sent_to(&customer).await.len();

    // End the session with the ending words (WeCom's msg_code, sent at once).
    s.click("#conv-move-4").await;
    let words = s.wait_for("the ending words", "return document.querySelector('#move-words')?.value;").await;
    s.click("#move-go").await;
    s.wait_for("state 4", "return document.querySelector('#conv-state')?.dataset.state === '4';").await;
    assert_eq!(corp.state(&kf, &customer).await.0, 4);
    let sent = corp.sent_to(&customer).await;
    assert_eq!(sent.len(), sent_before + 1);
    let last = sent.last().unwrap();
    assert!(last["code"].is_string() && last["text"]["content"] == words, "ending words sent with the code: {last}");
    s.wait_for("the notice", "return document.querySelector('#conv-notice')?.textContent.includes('结束');").await;

    s.set_window_size(860, 560).await;
    s.wait_for(
        "the list still there",
        &format!("return document.querySelector(\"{item}\")?.closest('.conv-group')?.dataset.state === '4';"),
    )
    .await;
    s.screenshot("wecom-conversations-zh-min").await;
    s.set_window_size(1180, 780).await;

    // The archive, opened for this customer from the conversation: a Chinese substring search
    // finds their words, by name; exported as CSV.
    s.click("#conv-search").await;
    s.wait_for("the archive for the customer", "return document.querySelector('#archive-table') && document.getElementById('archive-customer')?.textContent.includes('周小满');").await;
    s.type_into("#archive-text", "什么时候发货").await;
    s.click("#archive-search").await;
    let hit = s.wait_for("the match", &format!("const r = [...document.querySelectorAll('#archive-table tbody tr')].find(r => r.textContent.includes('{customer}')); return r && r.querySelector('mark')?.textContent === '什么时候发货' && r.textContent;")).await;
    assert!(
        hit.as_str().unwrap().contains("周小满") && hit.as_str().unwrap().contains("我的订单什么时候发货？"),
        "{hit}"
    );
    s.screenshot("wecom-archive-zh").await;
    let csv = driver.home.join("存档.csv");
    s.js("window.__kefudesk.nextSavePath = arguments[0]; return true;", json!([csv])).await;
    s.click("#archive-export").await;
    s.wait_for("the export notice", "return document.getElementById('archive-notice')?.textContent;").await;
    let text = std::fs::read_to_string(&csv).expect("the CSV was written");
    assert!(text.starts_with('\u{feff}'), "a BOM for spreadsheets");
    assert!(
        text.lines().any(|l| l.contains("周小满") && l.contains(&customer) && l.contains("我的订单什么时候发货？")),
        "{text}"
    );
    assert!(
        text.lines().skip(1).all(|l| l.contains("什么时候发货") && l.contains(&customer)),
        "only this customer's matches: {text}"
    );

    // The same conversation in English at the minimum window size.
    s.click("#nav [data-view=settings]").await;
    s.click("#lang-switch [data-lang=en]").await;
    s.click("#nav [data-view=conversations]").await;
    s.set_window_size(860, 560).await;
    s.wait_for("English conversation", "return document.querySelector('#conversations-page h1')?.textContent === 'Conversations' && document.querySelector('#conv-state')?.dataset.state === '4' && document.querySelector('#composer-refusal');").await;
    s.screenshot("wecom-conversations-en-min").await;
    s.close().await;
}

/// Statistics on the WeCom sandbox: each day of the last 7 (to yesterday) is the sum of what
/// get_corp_statistic says for each account (asked here like any client); a day no account has
/// figures for says so; one account chosen shows that account's; the servicers' table exports.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn wecom_statistics_are_the_accounts_figures_added_up() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let today = (now + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600;
    let token = corp.token().await;
    let accounts = corp.accounts().await;
    // Each account's sessions per day, as WeCom reports them (None: no data that day).
    let mut per_account: Vec<Vec<Option<u64>>> = Vec::new();
    for a in &accounts {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/get_corp_statistic?access_token={token}", corp.base),
            json!({"open_kfid": a["open_kfid"], "start_time": today - 7 * 86_400, "end_time": today - 86_400}),
        )
        .await;
        per_account.push(
            v["statistic_list"].as_array().unwrap().iter().map(|d| d["statistic"]["session_cnt"].as_u64()).collect(),
        );
    }
    let summed: Vec<String> = (0..7)
        .map(|i| {
            let have: Vec<u64> = per_account.iter().filter_map(|days| days[i]).collect();
            if have.is_empty() {
                "无数据".to_string()
            } else {
                have.iter().sum::<u64>().to_string()
            }
        })
        .collect();

    s.click("#nav [data-view=stats]").await;
    const SESSIONS: &str = "return document.querySelector('#stats-cards') && !document.getElementById('stats-progress') ? [...document.querySelectorAll('[data-table=days] tbody tr')].map((r) => r.children[1].textContent) : null;";
    let shown = s.wait_for("the days", SESSIONS).await;
    assert_eq!(shown, json!(summed), "every account added up, day by day");
    s.wait_for("the charts", "return window.Chart && ['trend', 'servicers'].every((id) => window.Chart.getChart(document.getElementById('canvas-' + id)));").await;
    s.screenshot("wecom-stats-zh").await;

    // One account: its own figures; a day it has none of says so.
    let first = accounts[0]["open_kfid"].as_str().unwrap();
    choose(&s, "#st-account", first).await;
    let want: Vec<String> = per_account[0].iter().map(|d| d.map_or("无数据".to_string(), |n| n.to_string())).collect();
    let shown = s
        .wait_for(
            "that account's days",
            &format!(
                "const r = (() => {{ {SESSIONS} }})(); return r && JSON.stringify(r) === {} ? r : null;",
                json!(json!(want).to_string())
            ),
        )
        .await;
    assert_eq!(shown, json!(want));
    let servicers =
        corp.servicers(first).await.iter().filter_map(|x| x["userid"].as_str().map(String::from)).collect::<Vec<_>>();
    let rows = s.js("return [...document.querySelectorAll('[data-table=servicers] tbody tr')].map((r) => r.children[0].textContent);", json!([])).await;
    let mut rows: Vec<String> = rows.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    rows.sort();
    let mut servicers = servicers;
    servicers.sort();
    assert_eq!(rows, servicers, "the people serving that account");
    let csv_path = driver.home.join("servicers.csv");
    s.js("window.__kefudesk.nextSavePath = arguments[0]; return true;", json!([csv_path])).await;
    s.click("#chart-servicers .csv").await;
    s.wait_for("the CSV notice", "return document.getElementById('stats-notice')?.textContent.startsWith('已保存到');")
        .await;
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), servicers.len() + 1, "a header and a row per servicer");

    // Yesterday only (all accounts again): one day, the sum of that day.
    choose(&s, "#st-account", "").await;
    s.wait_for(
        "all accounts again",
        &format!(
            "const r = (() => {{ {SESSIONS} }})(); return r && JSON.stringify(r) === {} ? r : null;",
            json!(json!(summed).to_string())
        ),
    )
    .await;
    s.click("#stats-form [data-range='yesterday']").await;
    let shown = s
        .wait_for("yesterday", &format!("const r = (() => {{ {SESSIONS} }})(); return r && r.length === 1 ? r : null;"))
        .await;
    assert_eq!(shown, json!([summed[6]]));
    // The servicers' chart as a PNG: a picture, not a blank.
    s.wait_for(
        "the chart",
        "return !!(window.Chart && window.Chart.getChart(document.getElementById('canvas-servicers')));",
    )
    .await;
    let png_path = driver.home.join("servicers.png");
    s.js("window.__kefudesk.nextSavePath = arguments[0]; return true;", json!([png_path])).await;
    s.click("#chart-servicers .png").await;
    s.wait_for(
        "the PNG notice",
        &format!(
            "return document.getElementById('stats-notice')?.textContent.includes({});",
            json!(png_path.to_string_lossy())
        ),
    )
    .await;
    let img = image::open(&png_path).expect("a PNG").to_rgb8();
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        img.width() > 200 && colours.len() > 10,
        "a drawn chart: {}×{}, {} colours",
        img.width(),
        img.height(),
        colours.len()
    );
    s.close().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn every_wecom_page_works_at_the_minimum_window_size() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, _corp) = on_the_wecom_sandbox(&driver).await;
    s.set_window_size(860, 560).await;
    s.wait_for("the minimum size", "return innerWidth <= 870 && innerHeight <= 570;").await;
    for lang in ["zh-CN", "en"] {
        if lang == "en" {
            s.click("#nav [data-view=settings]").await;
            s.click("#lang-switch [data-lang=en]").await;
            s.wait_for(
                "English",
                "return document.querySelector('#nav [data-view=settings]').textContent === 'Settings';",
            )
            .await;
        }
        for page in ["conversations", "archive", "kfaccounts", "kflinks", "servicers", "stats", "settings"] {
            s.click(&format!("#nav [data-view={page}]")).await;
            s.wait_for(
                "the page",
                "return document.querySelector('#view .page') && !document.querySelector('#view .loading');",
            )
            .await;
            if page == "stats" {
                s.wait_for(
                    "the figures",
                    "return document.querySelector('#stats-cards') && !document.getElementById('stats-progress');",
                )
                .await;
            }
            let problems = s.js(MIN_SIZE_PROBLEMS, json!([])).await;
            assert_eq!(problems, json!([]), "{lang} {page} at 860×560");
            if lang == "zh-CN" {
                s.screenshot(&format!("wecom-{page}-min-zh")).await;
            }
        }
    }
    s.close().await;
}

#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn every_wecom_control_is_named_and_reached_by_keyboard() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    // A conversation open, so the reply composer and its choices are on the page too.
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();
    let wrote = sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "nickname": "许知远", "text": "发票怎么开？"}),
    )
    .await;
    let customer = wrote["external_userid"].as_str().unwrap_or_else(|| panic!("{wrote}")).to_string();
    let item = format!("#conv-list .conv-item[data-customer='{customer}']");
    s.wait_for("the customer in the list", &format!("return !!document.querySelector(\"{item}\");")).await;
    s.click(&item).await;
    s.wait_for("the composer", "return !!document.querySelector('#composer-text');").await;
    // The customer's details unfolded: their controls are in the sweep too.
    s.click("#customer-panel summary").await;
    s.wait_for("the details", "return document.getElementById('customer-panel').open;").await;
    let mut problems = Vec::new();
    for page in ["conversations", "archive", "kfaccounts", "kflinks", "servicers", "stats", "settings"] {
        if page != "conversations" {
            s.click(&format!("#nav [data-view={page}]")).await;
        }
        s.wait_for(page, &format!("return document.querySelector('#nav [data-view={page}]').getAttribute('aria-current') === 'page' && document.querySelector('#view .page') && !document.querySelector('#view .loading');")).await;
        if page == "stats" {
            s.wait_for(
                "the figures",
                "return document.querySelector('#stats-cards') && !document.getElementById('stats-progress');",
            )
            .await;
        }
        problems.extend(s.accessibility_problems(page).await);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The page redraws when a message arrives: a keyboard user stays on the control they were
    // on (here a copy button, which has no id) and the details stay unfolded.
    s.click("#nav [data-view=conversations]").await;
    let copy = "#customer-panel .copy";
    s.wait_for(
        "the copy button",
        &format!("const b = document.querySelector('{copy}'); b?.focus(); return !!b && document.activeElement === b;"),
    )
    .await;
    let label = s.js(&format!("return document.querySelector('{copy}').getAttribute('aria-label');"), json!([])).await;
    sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "external_userid": customer, "text": "还在吗？"}),
    )
    .await;
    s.wait_for("the new message", "return document.getElementById('conv-messages')?.textContent.includes('还在吗？');")
        .await;
    let after = s.js("return [document.getElementById('customer-panel')?.open, document.activeElement?.getAttribute('aria-label')];", json!([])).await;
    assert_eq!(after, json!([true, label]), "after the redraw");
    s.close().await;
}

/// The archive under TZ=UTC and across a profile switch. Its days and times are China Standard
/// Time wherever the computer is: a customer who wrote at 01:00 CST (17:00 UTC the day before)
/// is found under that CST day and shown at 01:00. After a switch to another profile — here
/// one whose search fails (a stored plain-http gateway, refused) — none of the previous
/// profile's rows stays under the new band, and Settings says what to fix.
#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn the_archive_keeps_cst_days_and_shows_only_the_active_profiles_messages() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8"), ("TZ", "UTC")]);
    // A profile saved before the https rule (or edited by hand): its gateway is plain http.
    let config = driver.home.join(".config/app.kefudesk.desktop");
    std::fs::create_dir_all(&config).unwrap();
    let doc = json!({"version": 2, "profiles": [{"id": "p-old-gateway", "name": "旧网关企业", "platform": "wecom", "corp_id": "ww0000000000000001",
        "token": {"kind": "app_secret"}, "api_base": "http://192.168.1.10:8080"}]});
    std::fs::write(config.join("config.json"), doc.to_string()).unwrap();
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();

    // A customer writes at 01:00 CST today (yesterday if that is less than 15 minutes ago): the
    // sandbox's clock is moved there and back.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut day = (now + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600;
    if now - day < 3600 + 900 {
        day -= 86_400;
    }
    let at = day + 3600;
    sandbox_post(&format!("{}/__sandbox/clock", corp.base), json!({"advance_secs": at - now})).await;
    let wrote = sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "nickname": "早起的顾客", "text": "凌晨的留言：收货地址要改"}),
    )
    .await;
    sandbox_post(&format!("{}/__sandbox/clock", corp.base), json!({"advance_secs": now - at})).await;
    assert!(wrote["external_userid"].is_string(), "{wrote}");
    let date = kefu_e2e::cst_date(day);
    let ymd = format!("{}-{:02}-{:02}", date.0, date.1, date.2);

    // Read into the app's archive by its live reader (asked, like the page does, until it is).
    poll(
        30,
        || async {
            s.invoke("search_archive", json!({"search": {"text": "凌晨的留言"}})).await["ok"]["rows"]
                .as_array()
                .filter(|r| !r.is_empty())
                .cloned()
        },
        || "the message was not archived".into(),
    )
    .await;
    s.click("#nav [data-view=archive]").await;
    s.wait_for("the archive page", "return document.querySelector('#archive-form');").await;
    s.type_into("#archive-text", "凌晨的留言").await;
    s.type_into("#archive-from", &ymd).await;
    s.type_into("#archive-to", &ymd).await;
    s.click("#archive-search").await;
    let row = s.wait_for("the 01:00 CST message under its CST day", "const r = [...document.querySelectorAll('#archive-table tbody tr')].find(r => r.textContent.includes('收货地址要改')); return r && r.querySelector('td.time').textContent;").await;
    let shown = format!("{}/{}/{} 01:00:", date.0, date.1, date.2);
    assert!(row.as_str().unwrap().starts_with(&shown), "shown in CST ({shown}…), not in the machine's UTC: {row}");
    s.screenshot("wecom-archive-cst-zh").await;

    // Another profile: Settings flags its address, and the archive shows none of the sandbox's rows.
    s.click("#nav [data-view=settings]").await;
    let problem = s
        .wait_for(
            "the plain-http profile flagged",
            "return document.querySelector(\"#profiles-list [data-id='p-old-gateway'] .problem\")?.textContent;",
        )
        .await;
    assert!(problem.as_str().unwrap().contains("https://"), "{problem}");
    s.click("#profiles-list [data-id='p-old-gateway'] .use").await;
    s.wait_for(
        "the band names the other profile",
        "return document.getElementById('env-band').textContent.includes('旧网关企业');",
    )
    .await;
    s.click("#nav [data-view=archive]").await;
    let after = s.wait_for("the refusal on the archive page", "const e = document.querySelector('#archive-page .error-box'); return e && { code: e.dataset.code, rows: document.querySelectorAll('#archive-table tbody tr').length, text: document.getElementById('archive-page').textContent };").await;
    assert_eq!(after["code"], "insecure", "{after}");
    assert_eq!(after["rows"], 0, "none of the previous profile's rows: {after}");
    assert!(!after["text"].as_str().unwrap().contains("收货地址要改"), "{after}");
    s.screenshot("wecom-archive-switched-zh").await;
    s.close().await;
}
