//! KefuDesk Server in the real window: an agent signs in from Settings (a wrong password first:
//! worded, what was typed kept), the app switches to the server's profile, and a customer who
//! writes is answered through the server — checked at the sandbox (delivered) and in the
//! server's database (archived with who sent it, from this computer).

use kefu_server::demo;
use kefu_server::staff::Role;
use kefu_testpg::TempPostgres;

use super::*;

const PASSWORD: &str = "a long password 1";

/// The Settings card says the agent signed in.
const SIGNED_IN: &str = "return document.getElementById('server-done')?.textContent.includes('林晓');";

/// The profile list shows the server's profile, in use.
const SERVER_PROFILE_IN_USE: &str =
    "const r = document.querySelector('#profiles-list .profile-row.active'); return r && r.textContent.includes('KefuDesk 服务器') && r.textContent;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display, a Secret Service, tauri-driver, WebKitWebDriver and PostgreSQL: run through `make test`"]
async fn an_agent_signs_in_to_the_team_server_and_answers_through_it() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let pg = TempPostgres::start();
    let server = kefu_server::start(kefu_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: pg.create_database("kefu"),
        sealer: kefu_server::sealer::Sealer::new([5; 32]),
    })
    .await
    .unwrap();
    let number = demo::connect_wecom_sandbox(&server, &corp.base, &corp.corpid, &corp.secret).await.unwrap();
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();
    demo::add_staff(&server, "lin", "林晓", Role::Agent, PASSWORD, &[(number, kf.clone())]).await.unwrap();
    let address = format!("http://{}", server.addr);

    // Settings → Connect to KefuDesk Server; a wrong password is worded and the form kept.
    s.click("#nav [data-view=settings]").await;
    s.click("#server-connect").await;
    s.type_into("#srv-address", &address).await;
    s.type_into("#srv-login", "lin").await;
    s.type_into("#srv-password", "wrong password").await;
    s.click("#srv-submit").await;
    s.wait_for(
        "the refusal",
        "return document.querySelector('#server-card .error-box')?.textContent.includes('密码不正确');",
    )
    .await;
    assert_eq!(s.value("#srv-address").await, json!(address), "what was typed stays");

    s.type_into("#srv-password", PASSWORD).await;
    s.click("#srv-submit").await;
    s.wait_for("signed in", SIGNED_IN).await;
    let row = s.wait_for("the server's profile in use", SERVER_PROFILE_IN_USE).await;
    assert!(row.as_str().unwrap().contains("林晓"), "{row}");
    // The band above every page says the desktop works through the server, and as whom.
    let band = s
        .wait_for(
            "the band",
            "const t = document.getElementById('env-band').textContent; return t.includes('KefuDesk 服务器') && t;",
        )
        .await;
    assert!(
        band.as_str().unwrap().starts_with("正式环境") && band.as_str().unwrap().contains("林晓（客服）"),
        "{band}"
    );
    s.screenshot("team-server-settings-zh").await;

    // A customer writes at the sandbox: the conversation reaches the window through the server.
    s.click("#nav [data-view=conversations]").await;
    let wrote = sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "nickname": "陈静", "text": "退货地址是哪里？"}),
    )
    .await;
    let customer = wrote["external_userid"].as_str().unwrap_or_else(|| panic!("{wrote}")).to_string();
    let item = format!("#conv-list .conv-item[data-customer='{customer}']");
    s.wait_for(
        "the customer in the list",
        &format!("return document.querySelector(\"{item}\")?.textContent.includes('退货地址是哪里？');"),
    )
    .await;
    s.click(&item).await;
    s.wait_for(
        "the conversation",
        "return document.querySelector('#conv-messages')?.textContent.includes('退货地址是哪里？');",
    )
    .await;

    // The reply goes through the server: delivered at WeCom, archived with its sender.
    let reply = "寄到上海市浦东新区，收件人售后部。";
    s.type_into("#composer-text", reply).await;
    s.click("#composer-send").await;
    s.wait_for(
        "the reply shown",
        &format!(
            "return [...document.querySelectorAll('#conv-messages .bubble.kf')].some(b => b.textContent.includes('{reply}'));"
        ),
    )
    .await;
    assert!(corp.sent_to(&customer).await.iter().any(|m| m["text"]["content"] == reply), "delivered at WeCom");
    let db = server.state.db.get().await.unwrap();
    let row = db
        .query_one(
            "select s.name, m.desktop from wecom_messages m join staff s on s.id = m.sent_by
              where m.external_userid = $1 and m.body->'text'->>'content' = $2",
            &[&customer, &reply],
        )
        .await
        .unwrap();
    let (name, desktop): (String, Option<String>) = (row.get(0), row.get(1));
    assert_eq!(name, "林晓");
    assert!(desktop.is_some_and(|d| !d.is_empty()), "the desktop is named");
    s.screenshot("team-server-conversation-zh").await;
    s.close().await;
}

/// Signs in to the server at `address` from Settings, and waits for the WeCom pages.
async fn sign_in(s: &Session, address: &str, login: &str) {
    s.click("#nav [data-view=settings]").await;
    s.click("#server-connect").await;
    s.type_into("#srv-address", address).await;
    s.type_into("#srv-login", login).await;
    s.type_into("#srv-password", PASSWORD).await;
    s.click("#srv-submit").await;
    s.wait_for("signed in", "return document.getElementById('server-done')?.textContent;").await;
    s.wait_for("the WeCom pages", WECOM_PAGES).await;
}

/// The conversation with `customer` open, holding `text`.
async fn open_conversation(s: &Session, customer: &str, text: &str) {
    s.click("#nav [data-view=conversations]").await;
    let item = format!("#conv-list .conv-item[data-customer='{customer}']");
    s.wait_for("the customer in the list", &format!("return !!document.querySelector(\"{item}\");")).await;
    s.click(&item).await;
    s.wait_for(
        "the conversation",
        &format!("return document.querySelector('#conv-messages')?.textContent.includes('{text}');"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display, a Secret Service, tauri-driver, WebKitWebDriver and PostgreSQL: run through `make test`"]
async fn two_desktops_share_one_conversation_through_the_server() {
    // Desktop A: an agent. Desktop B: a supervisor, on a session bus and keyring of its own, as
    // on a second computer.
    let driver_a = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (a, corp) = on_the_wecom_sandbox(&driver_a).await;
    let driver_b = Driver::start_on_own_bus(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let b = Session::new(&driver_b).await;
    b.wait_for("desktop B started", "return document.querySelector('#agents-table tbody tr');").await;

    let pg = TempPostgres::start();
    let server = kefu_server::start(kefu_server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: pg.create_database("kefu"),
        sealer: kefu_server::sealer::Sealer::new([6; 32]),
    })
    .await
    .unwrap();
    let number = demo::connect_wecom_sandbox(&server, &corp.base, &corp.corpid, &corp.secret).await.unwrap();
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();
    demo::add_staff(&server, "lin", "林晓", Role::Agent, PASSWORD, &[(number, kf.clone())]).await.unwrap();
    demo::add_staff(&server, "zhou", "周敏", Role::Supervisor, PASSWORD, &[]).await.unwrap();
    let address = format!("http://{}", server.addr);
    sign_in(&a, &address, "lin").await;
    sign_in(&b, &address, "zhou").await;

    // A customer writes: both desktops show them.
    let wrote = sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "nickname": "吴磊", "text": "能开专票吗？"}),
    )
    .await;
    let customer = wrote["external_userid"].as_str().unwrap_or_else(|| panic!("{wrote}")).to_string();
    open_conversation(&a, &customer, "能开专票吗？").await;
    open_conversation(&b, &customer, "能开专票吗？").await;

    // A replies; B sees the reply with who sent it, and the replies left count it.
    let reply = "可以的，请提供公司抬头和税号。";
    a.type_into("#composer-text", reply).await;
    a.click("#composer-send").await;
    a.wait_for(
        "the reply on A",
        &format!("return [...document.querySelectorAll('#conv-messages .bubble.kf')].some(b => b.textContent.includes('{reply}'));"),
    )
    .await;
    let bubble = b
        .wait_for(
            "the reply on B",
            &format!("const el = [...document.querySelectorAll('#conv-messages .bubble.kf')].find(b => b.textContent.includes('{reply}')); return el && el.querySelector('.sender')?.textContent;"),
        )
        .await;
    assert!(bubble.as_str().unwrap().contains("林晓"), "B names who replied: {bubble}");
    let left = b
        .wait_for(
            "B's replies left",
            "const t = document.querySelector('#composer-replies')?.textContent; return t && t.includes('4') && t;",
        )
        .await;
    assert!(left.as_str().unwrap().contains('4'), "{left}");
    assert!(corp.sent_to(&customer).await.iter().any(|m| m["text"]["content"] == reply), "delivered at WeCom once");
    assert_eq!(corp.sent_to(&customer).await.len(), 1);
    b.screenshot("team-server-desktop-b-zh").await;
    a.close().await;
    b.close().await;
}
