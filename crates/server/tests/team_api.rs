//! The desktops' side of KefuDesk Server, over real HTTP: staff sign in, roles and grants are
//! checked at the server, a customer's message reaches every signed-in desktop live (also one
//! connected to a second instance on the same database), a reply sent from one desktop is
//! delivered at the sandbox and shown on the other with who sent it and the replies left, a
//! note is shared, the audit log records it, and ending an agent's sessions signs them out.

mod common;

use common::{sent_at_sandbox, server, Desk, Team, STAFF_PASSWORD};
use kefu_sandbox::FaultInjection;
use kefu_testpg::TempPostgres;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_team_shares_one_archive_live_with_roles_checked_at_the_server() {
    let t = Team::start(2).await;
    let (one, two, admin, corp) = (&t.one, t.two.as_ref().unwrap(), &t.admin, t.corp);
    let (granted, other, lin_id) = (t.granted.clone(), t.other.clone(), t.lin);
    let base = t.sandbox.base_url();

    // Desktop A: the agent, on instance one. Desktop B: the supervisor, on instance two.
    let a = Desk::sign_in(one, "lin", STAFF_PASSWORD, "front desk").await;
    let b = Desk::sign_in(two, "Zhou", STAFF_PASSWORD, "back office").await;
    let (_, mine) = a.get("/api/v1/wecom/accounts").await;
    let mine: Vec<&str> =
        mine["corps"][0]["accounts"].as_array().unwrap().iter().map(|a| a["open_kfid"].as_str().unwrap()).collect();
    assert_eq!(mine, [granted.as_str()], "the agent sees only the account granted");
    let (status, body) = a.get(&format!("/api/v1/wecom/corps/{corp}/accounts/{other}/conversations")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_granted")), "checked at the server");
    assert_eq!(a.get("/api/v1/audit").await.0, StatusCode::FORBIDDEN, "agents do not read the audit log");
    assert_eq!(
        a.post("/api/v1/staff", json!({"login": "x", "name": "x", "role": "admin", "password": "0123456789"})).await.0,
        403
    );

    let mut live_a = a.listen().await;
    let mut live_b = b.listen().await;

    // A customer writes: both desktops hear of it at once, without polling WeChat.
    let customer = t.customer_writes(&granted, "在吗？我想退货").await;
    // (The first read also brings the sandbox's backlog of the last days: other customers.)
    for (who, live) in [("A", &mut live_a), ("B", &mut live_b)] {
        loop {
            let e = live.next_of("wecom_message").await;
            assert_eq!(e["corp"].as_i64(), Some(corp), "{who}: {e}");
            if e["external_userid"] == customer.as_str() {
                break;
            }
        }
    }
    let syncs = t.sandbox.requests("/cgi-bin/kf/sync_msg");
    let conversation = format!("/api/v1/wecom/corps/{corp}/accounts/{granted}/customers/{customer}/messages");
    let (_, seen_b) = b.get(&conversation).await;
    let texts = |v: &Value| -> Vec<String> {
        let list = v["messages"].as_array().unwrap().iter();
        list.filter_map(|m| m["message"]["text"]["content"].as_str().map(String::from)).collect()
    };
    assert_eq!(texts(&seen_b), ["在吗？我想退货"], "{seen_b}");
    assert_eq!(seen_b["replies"]["left"], 5);
    assert_eq!(
        t.sandbox.requests("/cgi-bin/kf/sync_msg"),
        syncs,
        "reading the conversation asks the archive, not WeChat"
    );

    // A replies: delivered at the sandbox; B hears of it and sees who sent it, and 4 replies left.
    let (status, sent) = a.post(&conversation, json!({"text": "您好，请把订单号发给我", "msgid": "deskA0001"})).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["replies"]["left"], 4);
    let delivered = sent_at_sandbox(&base).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        (delivered[0]["touser"].as_str(), delivered[0]["text"]["content"].as_str()),
        (Some(customer.as_str()), Some("您好，请把订单号发给我"))
    );
    let e = live_b.next_of("wecom_message").await;
    assert_eq!(e["msgid"], "deskA0001");
    let (_, seen_b) = b.get(&conversation).await;
    assert_eq!(texts(&seen_b), ["在吗？我想退货", "您好，请把订单号发给我"]);
    let reply = seen_b["messages"].as_array().unwrap().last().unwrap();
    assert_eq!((reply["sent_by"]["name"].as_str(), reply["desktop"].as_str()), (Some("林晓"), Some("front desk")));
    assert_eq!(seen_b["replies"]["left"], 4, "B shows the true replies left");

    // The same message again (A retried after a lost answer): nothing is sent twice.
    let (_, again) = a.post(&conversation, json!({"text": "您好，请把订单号发给我", "msgid": "deskA0001"})).await;
    assert_eq!(again["already_sent"], true);
    assert_eq!(sent_at_sandbox(&base).await.len(), 1);

    // A note written on A shows on B.
    let note = format!("/api/v1/wecom/corps/{corp}/customers/{customer}/note");
    let (status, _) = a.put(&note, json!({"text": "老客户，上次退过一次货"})).await;
    assert_eq!(status, 200);
    assert_eq!(live_b.next_of("wecom_note").await["external_userid"], customer.as_str());
    let (_, n) = b.get(&note).await;
    assert_eq!((n["note"]["text"].as_str(), n["note"]["by"].as_str()), (Some("老客户，上次退过一次货"), Some("林晓")));

    // A customer of the other account: the supervisor hears of it, the agent does not — the
    // agent's next event is the quick reply the supervisor adds after it.
    let elsewhere = t.customer_writes(&other, "有人吗").await;
    loop {
        let e = live_b.next_of("wecom_message").await;
        if e["external_userid"] == elsewhere.as_str() {
            break;
        }
    }
    let (status, _) = b.post("/api/v1/quick-replies", json!({"text": "请稍等，马上为您查询"})).await;
    assert_eq!(status, 200);
    loop {
        let e = live_a.next().await;
        if e["kind"] == "quick_replies" {
            break;
        }
        if e["kind"] == "wecom_message" {
            assert_eq!(e["open_kfid"], granted.as_str(), "only the account granted reaches the agent: {e}");
        }
    }
    let (_, replies) = a.get("/api/v1/quick-replies").await;
    assert_eq!(replies["quick_replies"][0]["text"], "请稍等，马上为您查询");
    assert_eq!(a.post("/api/v1/quick-replies", json!({"text": "x"})).await.0, StatusCode::FORBIDDEN);

    // The supervisor's audit log holds the reply: who, from which desktop, which message.
    let (status, log) = b.get("/api/v1/audit").await;
    assert_eq!(status, 200);
    let entry = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "message_sent")
        .expect("the reply is audited");
    assert_eq!((entry["staff_name"].as_str(), entry["desktop"].as_str()), (Some("林晓"), Some("front desk")));
    assert_eq!(entry["detail"]["msgid"], "deskA0001");

    // Four more replies use the window; a sixth is refused before WeChat is asked.
    for i in 2..=5 {
        let (status, body) = a.post(&conversation, json!({"text": format!("第{i}条")})).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, refused) = a.post(&conversation, json!({"text": "第6条"})).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::CONFLICT, Some("send_refused_5_replies")));
    assert_eq!(sent_at_sandbox(&base).await.len(), 5, "the sixth never reached WeChat");

    // The admin ends the agent's sessions: A's stream says so and A's token no longer works.
    let (status, _) = admin.post(&format!("/api/v1/staff/{lin_id}/sessions/end"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(live_a.next_of("signed_out").await["kind"], "signed_out");
    assert_eq!(a.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_is_rate_limited_and_the_last_admin_stays() {
    let pg = TempPostgres::start();
    let url = pg.create_database("kefu");
    let s = server(&url).await;
    let (login, password) = s.first_admin.clone().unwrap();
    let anon = Desk::new(&s);
    let (status, body) = anon.post("/api/v1/login", json!({"login": login, "password": "wrong password"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("wrong_password")));
    for _ in 0..4 {
        anon.post("/api/v1/login", json!({"login": login, "password": "wrong password"})).await;
    }
    let (status, body) = anon.post("/api/v1/login", json!({"login": login, "password": password})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "after 5 wrong passwords even the right one waits: {body}");
    assert!(body["retry_after"].as_u64().unwrap() > 0);
    assert!(body.get("token").is_none());

    // An unknown login is answered like a wrong password, and counted the same way.
    let (status, body) = anon.post("/api/v1/login", json!({"login": "nobody", "password": "whatever"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("wrong_password")));

    // The tries are counted in the database: the lock holds on a second instance.
    let other = server(&url).await;
    let (status, _) = Desk::new(&other).post("/api/v1/login", json!({"login": login, "password": password})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let db = s.state.db.get().await.unwrap();
    db.execute("delete from login_failures", &[]).await.unwrap();
    let admin = Desk::sign_in(&s, &login, &password, "office").await;

    // Nothing of the password is stored in the clear.
    let stored: String =
        db.query_one("select password_hash from staff where login = $1", &[&login]).await.unwrap().get(0);
    assert!(stored.starts_with("$argon2id$") && !stored.contains(&password));
    let (_, me) = admin.get("/api/v1/me").await;
    let me = me["staff"]["id"].as_i64().unwrap();
    let (status, body) = admin.patch(&format!("/api/v1/staff/{me}"), json!({"role": "agent"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid")), "{body}");
    let (_, me_after) = admin.get("/api/v1/me").await;
    assert_eq!(me_after["staff"]["role"], "admin", "the last admin is still one");
    let (status, _) = admin.post("/api/v1/logout", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(admin.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED, "signed out");
    drop(pg);
}

#[tokio::test]
async fn the_shared_archive_is_searched_in_chinese_within_the_accounts_granted() {
    let t = Team::start(1).await;
    let db = t.one.state.db.get().await.unwrap();
    let texts = [
        (&t.granted, "我想退货，怎么办？"),
        (&t.granted, "退款什么时候到账"),
        (&t.granted, "折扣是100%吗"),
        (&t.granted, "折扣是100元吗"),
        (&t.other, "退货地址在哪里"),
    ];
    for (i, (open_kfid, text)) in texts.iter().enumerate() {
        db.execute(
            "insert into wecom_messages (corp, open_kfid, msgid, external_userid, origin, msgtype, send_time, body)
             values ($1, $2, $3, 'wmSearchCustomer', 3, 'text', $4, $5)",
            &[
                &t.corp,
                open_kfid,
                &format!("search{i}"),
                &(1_700_000_000 + i as i64),
                &json!({"text": {"content": text}}),
            ],
        )
        .await
        .unwrap();
    }
    let found = |v: &Value| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(|r| r["message"]["text"]["content"].as_str().unwrap().to_string())
            .collect()
    };
    let lin = Desk::sign_in(&t.one, "lin", STAFF_PASSWORD, "front desk").await;
    let zhou = Desk::sign_in(&t.one, "zhou", STAFF_PASSWORD, "back office").await;
    let (status, v) = lin.get("/api/v1/wecom/search?q=%E9%80%80%E8%B4%A7").await; // 退货
    assert_eq!(status, 200, "{v}");
    assert_eq!(found(&v), ["我想退货，怎么办？"], "the agent finds the two-character word in the account granted only");
    let (_, v) = zhou.get("/api/v1/wecom/search?q=%E9%80%80%E8%B4%A7").await;
    assert_eq!(found(&v), ["退货地址在哪里", "我想退货，怎么办？"], "the supervisor in every account, newest first");
    let (_, v) = lin.get("/api/v1/wecom/search?q=%E9%80%80").await; // 退: one character
    assert_eq!(found(&v), ["退款什么时候到账", "我想退货，怎么办？"]);
    let (_, v) = lin.get("/api/v1/wecom/search?q=100%25").await; // 100%: the sign is itself
    assert_eq!(found(&v), ["折扣是100%吗"]);
    let (status, v) = lin.get("/api/v1/wecom/search?q=%20").await;
    assert_eq!((status, v["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid")));
}
