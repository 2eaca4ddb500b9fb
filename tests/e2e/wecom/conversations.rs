//! The WeCom Conversations page: a customer who writes is answered, assigned, refused in words,
//! and the session ended with ending words.

use super::*;

/// The customer's conversation is open, waiting (state 0), with their question.
const CONVERSATION_OPEN: &str = "return document.querySelector('#conv-state')?.dataset.state === '0' && document.querySelector('#conv-messages')?.textContent.includes('我的订单什么时候发货？');";

/// The picture is sent: three messages from the account.
const PICTURE_SENT: &str = "return document.querySelector('#conv-notice') && [...document.querySelectorAll('#conv-messages .bubble.kf')].length === 3;";

/// Types `arguments[0]` into the menu's items (several lines).
const TYPE_MENU_ITEMS: &str = "const el = document.querySelector('#composer-items'); el.value = arguments[0]; el.dispatchEvent(new Event('input')); return true;";

/// The archive, narrowed to the customer.
const ARCHIVE_OF_CUSTOMER: &str = "return document.querySelector('#archive-table') && document.getElementById('archive-customer')?.textContent.includes('周小满');";

/// The conversation in English.
const CONVERSATION_IN_ENGLISH: &str = "return document.querySelector('#conversations-page h1')?.textContent === 'Conversations' && document.querySelector('#conv-state')?.dataset.state === '4' && document.querySelector('#composer-refusal');";

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
    s.wait_for("the conversation", CONVERSATION_OPEN).await;

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
    s.wait_for("the picture sent", PICTURE_SENT).await;
    let sent = corp.sent_to(&customer).await;
    assert_eq!(sent.last().unwrap()["msgtype"], "image", "{sent:?}");
    s.click("#composer-kind [data-kind=menu]").await;
    s.type_into("#composer-head", "请为本次服务评价").await;
    // Several lines (WebDriver's typing drops line breaks): set as pasted text.
    s.js(TYPE_MENU_ITEMS, json!(["满意\n一般\n不满意"])).await;
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
    s.wait_for("the archive for the customer", ARCHIVE_OF_CUSTOMER).await;
    s.type_into("#archive-text", "什么时候发货").await;
    s.click("#archive-search").await;
    let hit = s.wait_for("the match", &format!("const r = [...document.querySelectorAll('#archive-table tbody tr')].find(r => r.textContent.includes('{customer}')); return r && r.querySelector('mark')?.textContent === '什么时候发货' && r.textContent;")).await;
    assert!(
        hit.as_str().unwrap().contains("周小满") && hit.as_str().unwrap().contains("我的订单什么时候发货？"),
        "{hit}"
    );
    s.screenshot("wecom-archive-zh").await;
    let csv = driver.home.join("存档.csv");
    s.js(SAVE_NEXT_TO, json!([csv])).await;
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
    s.wait_for("English conversation", CONVERSATION_IN_ENGLISH).await;
    s.screenshot("wecom-conversations-en-min").await;
    s.close().await;
}
