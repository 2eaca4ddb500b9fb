//! The Sessions page (Official Account): watching the queue, assigning, transferring, closing,
//! messaging; customers by name, sorting, stale data greyed.

use super::*;

/// The queue's total, as the page shows it.
const QUEUE_TOTAL: &str = "return document.getElementById('queue-total').textContent;";

/// The banner above the queue.
const QUEUE_BANNER: &str = "return document.querySelector('#queue-banner p')?.textContent;";

/// When the next automatic refresh is due (null: none).
const NEXT_REFRESH: &str =
    "return document.querySelector('#sessions-page')?.parentElement.dataset.nextRefresh || null;";

/// When the next automatic refresh is due.
const NEXT_REFRESH_DUE: &str = "return document.querySelector('#sessions-page').parentElement.dataset.nextRefresh;";

/// The notice that the overview on screen is old.
const STALE_NOTICE: &str = "return document.getElementById('sessions-stale')?.textContent || null;";

/// The overview's actions are off (old data).
const OVERVIEW_INERT: &str = "return document.getElementById('sessions-overview').hasAttribute('inert');";

/// An agent's first session: the agent's account and the customer's openid.
const FIRST_SESSION: &str = "const r = document.querySelector('.agent-block tr[data-openid]'); return [r.closest('.agent-block').dataset.account, r.dataset.openid];";

/// The lookup's answer, once it says who serves the customer.
const LOOKUP_IN_SESSION: &str =
    "const t = document.getElementById('lookup-result')?.textContent; return t && t.includes(' 正由 ') ? t : null;";

/// Automatic refresh is paused, and nothing is due.
const PAUSED: &str = "const p = document.getElementById('sessions-pause'); return p.getAttribute('aria-pressed') === 'true' && !p.closest('#sessions-page').parentElement.dataset.nextRefresh;";

/// Automatic refresh is back on, a refresh due.
const RESUMED: &str = "const p = document.getElementById('sessions-pause'); return p.getAttribute('aria-pressed') === 'false' && p.closest('#sessions-page').parentElement.dataset.nextRefresh;";

/// The quota notice is gone and the overview is live again.
const QUOTA_GONE: &str = "return !document.getElementById('sessions-quota') && !document.getElementById('sessions-stale') && !document.getElementById('sessions-overview').hasAttribute('inert') && !document.getElementById('sessions-refresh').disabled;";

/// The first waiting customer and an agent with room other than the menu's default.
const PICK_OTHER_AGENT: &str = "const sel = document.getElementById('assign-0'); const os = [...sel.options].filter((o) => !o.selected); const o = os.find((o) => o.dataset.full === 'false') || os[0]; return o ? [sel.closest('tr').dataset.openid, o.value] : null;";

/// Scrolls the page and the queue down; where they are.
const SCROLL_DOWN: &str = "const v = document.getElementById('view'); v.scrollTop = 200; const q = document.querySelector('.queue-scroll'); q.scrollTop = 120; return [v.scrollTop, q.scrollTop];";

/// Where the page and the queue are scrolled to.
const SCROLLED: &str =
    "return [document.getElementById('view').scrollTop, document.querySelector('.queue-scroll').scrollTop];";

/// Scrolls the page and the queue back to the top.
const SCROLL_TOP: &str = "document.getElementById('view').scrollTop = 0; document.querySelector('.queue-scroll').scrollTop = 0; return true;";

/// The notice that the message was sent as the agent.
const SENT_NOTICE: &str =
    "const n = document.getElementById('sessions-notice')?.textContent; return n && n.startsWith('已以') ? n : null;";

/// The chat record shows messages only.
const MESSAGES_ONLY: &str = "return document.querySelector('#records-chat [data-filter=messages].on') && document.querySelectorAll('#records-chat .bubble').length;";

/// Records sorted newest first: the first row's time.
const NEWEST_FIRST: &str = "return document.querySelector('#records-table .c-time[aria-sort=descending]') && document.querySelector('#records-body .vrow[data-index=\"0\"] .c-time')?.title || null;";

/// The composer's explanation of WeChat's 45015 (the 48-hour window closed).
const WINDOW_CLOSED_ERROR: &str =
    "const e = document.querySelector('#compose-error[data-errcode=\"45015\"]'); return e && e.textContent;";

/// The batch-assign form, once a refresh is over.
const BATCH_FORM: &str =
    "return !document.getElementById('sessions-refresh').disabled && document.getElementById('batch-count');";

/// Each result of the batch: the customer, the agent, done or failed.
const BATCH_RESULTS: &str = "return [...document.querySelectorAll('#batch-results li')].map((l) => [l.dataset.openid, l.dataset.agent, l.className]);";

/// The overview is live again: not stale, its actions on.
const LIVE_AGAIN: &str = "return !document.getElementById('sessions-stale') && !document.getElementById('sessions-overview').hasAttribute('inert') && !document.getElementById('sessions-refresh').disabled;";

/// The batch's first result: customer, agent, words.
const FIRST_RESULT: &str =
    "const l = document.querySelector('#batch-results li'); return [l.dataset.openid, l.dataset.agent, l.textContent];";

/// The Sessions page is drawn and no refresh is under way.
const SESSIONS_READY: &str =
    "return document.getElementById('queue-total') && !document.getElementById('sessions-refresh').disabled;";

/// Chooses, for the first waiting customer, an agent with room.
const PICK_AGENT_WITH_ROOM: &str = "const sel = document.getElementById('assign-0'); const o = [...sel.options].find((o) => !o.selected && o.dataset.full === 'false') || [...sel.options].find((o) => !o.selected); return o ? [sel.closest('tr').dataset.openid, o.value] : null;";

/// No question open and still on the sandbox.
const STILL_SANDBOX: &str =
    "return !document.getElementById('live-switch') && document.getElementById('env-band').dataset.kind === 'sandbox';";

/// The band's words, once it shows a live account.
const LIVE_BAND: &str =
    "const b = document.getElementById('env-band'); return b.dataset.kind === 'live' ? b.textContent : null;";

#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn sessions_are_watched_assigned_transferred_closed_and_messaged() {
    let (driver, s, base) = open_app("zh_CN.UTF-8").await;
    let token = sandbox_token(&base).await;
    let wx = |path: &str| format!("{base}{path}{}access_token={token}", if path.contains('?') { '&' } else { '?' });
    let queue = sandbox_get(&wx("/customservice/kfsession/getwaitcase")).await;
    let waiting: Vec<String> =
        queue["waitcaselist"].as_array().unwrap().iter().map(|w| w["openid"].as_str().unwrap().to_string()).collect();
    let count = queue["count"].as_i64().unwrap();
    let online = sandbox_get(&wx("/cgi-bin/customservice/getonlinekflist")).await;
    let free: i64 = online["kf_online_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["auto_accept"].as_i64().unwrap() - a["accepted_case"].as_i64().unwrap()).max(0))
        .sum();
    let mut online: Vec<String> = online["kf_online_list"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"].as_i64() > Some(0))
        .map(|a| a["kf_account"].as_str().unwrap().to_string())
        .collect();
    online.sort();
    assert!(count > 0 && online.len() >= 2, "demo data: {count} waiting, {online:?} online");
    let serving = |openid: String| {
        let url = wx(&format!("/customservice/kfsession/getsession?openid={openid}"));
        async move { sandbox_get(&url).await["kf_account"].as_str().unwrap_or_default().to_string() }
    };

    s.click("#nav [data-view=sessions]").await;
    s.wait_for("the queue", "return document.getElementById('queue-total')?.textContent;").await;
    assert_eq!(s.js(SELECT, json!(["#sessions-interval", "0"])).await, true, "auto-refresh off while we look");
    let total = s.js(QUEUE_TOTAL, json!([])).await;
    assert_eq!(total, format!("{count} 人排队"));
    let rows = s
        .js("return [...document.querySelectorAll('#queue-table tbody tr')].map(r => r.dataset.openid);", json!([]))
        .await;
    assert_eq!(rows, json!(waiting), "the sandbox's queue, in arrival order");
    // Free places while customers wait: a banner that says what to do, with the sandbox's numbers.
    assert!(free > 0, "the demo has free places");
    let banner = s.js(QUEUE_BANNER, json!([])).await;
    assert_eq!(banner, format!("{free} 个空位、{count} 人排队——请分配，或检查客服是否开启了自动接入。"));
    let estimate = s.js("return document.querySelector('#queue-table tbody tr .estimate').title;", json!([])).await;
    assert!(estimate.as_str().unwrap().contains("估算"), "the estimate explains its basis: {estimate}");

    // A rush while the window is in the background: the true total, the changes, a notification.
    s.js("window.__kefudesk.background = true; return true;", json!([])).await;
    let rush = sandbox_post(&format!("{base}/__sandbox/queue/rush"), json!({"count": 150})).await;
    assert_eq!(rush["errcode"], 0, "{rush}");
    s.click("#sessions-refresh").await;
    let total = s
        .wait_for(
            "the longer queue",
            &format!(
                "const t = document.getElementById('queue-total').textContent; return t.includes('{}') ? t : null;",
                count + 150
            ),
        )
        .await;
    assert_eq!(total, format!("显示 100 / {} 人（微信只列出最早的 100 人）", count + 150));
    assert_eq!(s.js("return document.querySelectorAll('#queue-table tbody tr').length;", json!([])).await, 100);
    let change = s
        .js("return document.querySelector('#sessions-changes [data-kind=newWaiting]')?.textContent;", json!([]))
        .await;
    assert_eq!(change, "新排队 150 人");
    let notes = s.js("return window.__kefudesk.notifications;", json!([])).await;
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
    assert!(
        notes[0]["body"].as_str().unwrap().contains(&format!("{} 位客户在排队（比上次刷新多 150 位）", count + 150)),
        "{notes}"
    );
    s.js("window.__kefudesk.background = false; return true;", json!([])).await;
    s.screenshot("sessions-zh").await;

    // Customers are people: the first in line shows what they wrote (the sandbox's record) and
    // gets a note, kept by the app; from then on the page names them by it.
    let (a, b, w) = (online[0].clone(), online[1].clone(), waiting[0].clone());
    let row = format!("#queue-table tr[data-openid='{w}']");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let history = sandbox_post(
        &wx("/customservice/msgrecord/getmsglist"),
        json!({"starttime": now - 86_000, "endtime": now + 60, "msgid": 1, "number": 10000}),
    )
    .await;
    let wrote = history["recordlist"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|r| r["openid"] == json!(w) && r["opercode"] == 2001)
        .map(|r| r["text"].as_str().unwrap().to_string())
        .expect("the waiting customer's message");
    let said = s.js(&format!("return document.querySelector(\"{row} .said\")?.title;"), json!([])).await;
    assert_eq!(said, json!(wrote), "what they wrote, from the records");
    assert_eq!(
        s.js(&format!("return document.querySelector(\"{row} .cust-id code.id\").textContent;"), json!([])).await,
        json!(w),
        "the openid beside, grey"
    );
    s.click(&format!("{row} .edit-note")).await;
    s.type_into("#note-input", "王女士 · 退货").await;
    s.click(&format!("{row} .note-save")).await;
    s.wait_for(
        "the note",
        &format!("return document.querySelector(\"{row} .note\")?.textContent === '王女士 · 退货';"),
    )
    .await;
    assert_eq!(s.invoke("customer_notes", json!({})).await["ok"][&w], "王女士 · 退货", "kept by the app");
    assert_eq!(
        s.js(
            &format!("const s = document.querySelector(\"{row} select\"); s.value = arguments[0]; return s.value;"),
            json!([a])
        )
        .await,
        json!(a)
    );
    s.click(&format!("{row} .assign-btn")).await;
    s.wait_for(
        "the assigned session",
        &format!("return document.querySelector(\".agent-block[data-account='{a}'] tr[data-openid='{w}'].changed\");"),
    )
    .await;
    let notice = s.js("return document.getElementById('sessions-notice').textContent;", json!([])).await;
    assert!(notice.as_str().unwrap().starts_with("已将 「王女士 · 退货」 分配给"), "named by the note: {notice}");
    assert_eq!(
        s.js(&format!("return document.querySelector(\"{row}\");"), json!([])).await,
        Value::Null,
        "gone from the queue"
    );
    assert_eq!(serving(w.clone()).await, a);

    // Transfer it to another agent: explained, then closed with one and opened with the other.
    s.click(&format!(".agent-block[data-account='{a}'] tr[data-openid='{w}'] .transfer")).await;
    let explain = s.js("return document.getElementById('transfer-explain').textContent;", json!([])).await;
    assert!(explain.as_str().unwrap().starts_with("微信没有转接接口"), "{explain}");
    assert_eq!(s.js(SELECT, json!(["#transfer-to", b])).await, true);
    s.click("#transfer-go").await;
    s.wait_for(
        "the transferred session",
        &format!("return document.querySelector(\".agent-block[data-account='{b}'] tr[data-openid='{w}'].changed\");"),
    )
    .await;
    assert_eq!(
        s.js("return document.querySelector('#sessions-changes [data-kind=transferred]')?.textContent;", json!([]))
            .await,
        "转接 1 个"
    );
    assert_eq!(serving(w.clone()).await, b);

    // Close it with a goodbye message: the customer gets it from that agent, then it is closed.
    s.click(&format!(".agent-block[data-account='{b}'] tr[data-openid='{w}'] .close")).await;
    s.type_into("#close-note", "感谢您的咨询，再见！").await;
    s.click("#close-go").await;
    s.wait_for("the closed session", &format!("return !document.querySelector(\".agent-block tr[data-openid='{w}']\") && document.getElementById('sessions-notice')?.textContent.startsWith('已关闭');")).await;
    assert_eq!(serving(w.clone()).await, "");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let recent = sandbox_post(
        &wx("/customservice/msgrecord/getmsglist"),
        json!({"starttime": now - 3600, "endtime": now + 60, "msgid": 1, "number": 10000}),
    )
    .await;
    let mine: Vec<(i64, String, String)> = recent["recordlist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["openid"] == json!(w))
        .map(|r| {
            (
                r["opercode"].as_i64().unwrap(),
                r["worker"].as_str().unwrap().to_string(),
                r["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let tail = &mine[mine.len() - 2..];
    assert_eq!(
        tail,
        [(2002, b.clone(), "感谢您的咨询，再见！".to_string()), (1004, b.clone(), String::new())],
        "{mine:?}"
    );

    // Look customers up: the one just closed, and one being served.
    s.type_into("#lookup-openid", &w).await;
    s.click("#lookup-find").await;
    let found = s.wait_for("the lookup", "return document.getElementById('lookup-result')?.textContent;").await;
    assert_eq!(found, "「王女士 · 退货」 不在会话中，也没有排队。");
    let served = s.js(FIRST_SESSION, json!([])).await;
    let (agent, customer) = (served[0].as_str().unwrap().to_string(), served[1].as_str().unwrap().to_string());
    s.type_into("#lookup-openid", &customer).await;
    s.click("#lookup-find").await;
    let found = s.wait_for("the second lookup", LOOKUP_IN_SESSION).await;
    assert!(!found.as_str().unwrap().contains(&customer), "a person, not an openid: {found}");
    assert_eq!(
        s.js("return document.querySelector('#lookup .customer-cell').dataset.customer;", json!([])).await,
        json!(customer)
    );
    let nick = s
        .js(
            &format!("return document.querySelector(\".agent-block[data-account='{agent}'] .nick\").textContent;"),
            json!([]),
        )
        .await;
    assert!(found.as_str().unwrap().contains(nick.as_str().unwrap()), "{found}");
    let session = sandbox_get(&wx(&format!("/customservice/kfsession/getsession?openid={customer}"))).await;
    assert_eq!(session["kf_account"], agent.as_str(), "the sandbox agrees who serves them: {session}");

    // Auto-refresh every 10 s picks a new customer up by itself; paused, it does not.
    assert_eq!(s.js(SELECT, json!(["#sessions-interval", "10"])).await, true);
    let before = s.js(QUEUE_TOTAL, json!([])).await;
    sandbox_post(&format!("{base}/__sandbox/queue/rush"), json!({"count": 1})).await;
    let after = s
        .wait_for(
            "the auto-refresh",
            &format!("const t = document.getElementById('queue-total').textContent; return t !== {before} ? t : null;"),
        )
        .await;
    assert_ne!(before, after);
    // Paused: nothing is scheduled, and when the refresh would have been due (the page's own
    // schedule, plus a second) the page has not asked WeChat again and still shows the old queue.
    let due = s.wait_for("a refresh scheduled", NEXT_REFRESH).await;
    s.click("#sessions-pause").await;
    s.wait_for("the pause", PAUSED).await;
    let asked = |stats: &Value| stats["requests"]["/customservice/kfsession/getwaitcase"].as_i64().unwrap_or(0);
    let asked_before = asked(&sandbox_get(&format!("{base}/__sandbox/stats")).await);
    sandbox_post(&format!("{base}/__sandbox/queue/rush"), json!({"count": 1})).await;
    let due: i64 = due.as_str().unwrap().parse().unwrap();
    s.wait_for("the time the refresh was due", &format!("return Date.now() > {due} + 1000;")).await;
    assert_eq!(s.js(QUEUE_TOTAL, json!([])).await, after, "paused");
    assert_eq!(
        asked(&sandbox_get(&format!("{base}/__sandbox/stats")).await),
        asked_before,
        "no overview was read while paused"
    );
    s.click("#sessions-refresh").await;
    s.wait_for("the refresh", "return !document.getElementById('sessions-refresh').disabled;").await;

    // Out of quota (WeChat's 45009): the page says until when, and even with auto-refresh on
    // nothing is scheduled before the next CST midnight, when the daily quota is back.
    s.click("#sessions-pause").await;
    s.wait_for("auto-refresh back on", RESUMED).await;
    sandbox_post(
        &format!("{base}/__sandbox/faults"),
        json!({"path": "/customservice/kfsession/getwaitcase", "kind": "errcode", "errcode": 45009}),
    )
    .await;
    s.click("#sessions-refresh").await;
    let notice =
        s.wait_for("the quota notice", "return document.getElementById('sessions-quota')?.textContent || null;").await;
    let next: i64 = s.js(NEXT_REFRESH_DUE, json!([])).await.as_str().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let cst_midnight_ms = (cst_day_start(now) + DAY) * 1000;
    assert!(next >= cst_midnight_ms - 1000, "next refresh at {next}, the quota is back at {cst_midnight_ms}: {notice}");
    // The old overview stays, but does not pass for live: greyed, dated, its actions off.
    let stale = s.wait_for("the stale notice", STALE_NOTICE).await;
    assert!(stale.as_str().unwrap().starts_with("以下为 ") && stale.as_str().unwrap().contains("刷新失败"), "{stale}");
    assert_eq!(s.js(OVERVIEW_INERT, json!([])).await, true, "actions are off");
    reqwest::Client::new().delete(format!("{base}/__sandbox/faults")).send().await.unwrap();
    s.click("#sessions-refresh").await;
    s.wait_for("the quota notice gone", QUOTA_GONE).await;

    // A choice in an assign menu survives an automatic refresh, and the customer goes to the
    // chosen agent (checked at the sandbox), not the menu's default.
    let pick = s.js(PICK_OTHER_AGENT, json!([])).await;
    let (waiter, chosen) = (pick[0].as_str().unwrap().to_string(), pick[1].as_str().unwrap().to_string());
    assert_eq!(s.js(SELECT, json!(["#assign-0", chosen])).await, true);
    let due = s.js(NEXT_REFRESH_DUE, json!([])).await;
    // Scrolled down the page and inside the queue: both stay where they are through the refresh.
    let scrolled = s.js(SCROLL_DOWN, json!([])).await;
    assert!(
        scrolled[0].as_f64() > Some(0.0) && scrolled[1].as_f64() > Some(0.0),
        "the page and the queue can scroll: {scrolled}"
    );
    s.wait_for("an automatic refresh", &format!("const n = document.querySelector('#sessions-page')?.parentElement.dataset.nextRefresh; return n && n !== {due};")).await;
    let after = s.js(SCROLLED, json!([])).await;
    assert_eq!(after, scrolled, "the scroll positions survived the refresh");
    s.js(SCROLL_TOP, json!([])).await;
    let row = format!("#queue-table tr[data-openid='{waiter}']");
    assert_eq!(
        s.js(&format!("return document.querySelector(\"{row} select\").value;"), json!([])).await,
        chosen.as_str(),
        "still chosen after the refresh"
    );
    s.click(&format!("{row} .assign-btn")).await;
    s.wait_for(
        "the customer left the queue",
        &format!("return !document.querySelector(\"{row}\") && !document.getElementById('sessions-refresh').disabled;"),
    )
    .await;
    let session = sandbox_get(&wx(&format!("/customservice/kfsession/getsession?openid={waiter}"))).await;
    assert_eq!(session["kf_account"], chosen.as_str(), "the sandbox agrees: {session}");

    // A message as the agent; "typing…" while it is written.
    let msg = format!(".agent-block[data-account='{agent}'] tr[data-openid='{customer}'] .message");
    s.click(&msg).await;
    s.type_into("#compose-text", "您好，请稍等，正在为您查询。").await;
    s.click("#compose-send").await;
    let sent = s.wait_for("the sent notice", SENT_NOTICE).await;
    assert!(
        sent.as_str().unwrap().contains("的身份发送给 ") && !sent.as_str().unwrap().contains(&customer),
        "named, not by openid: {sent}"
    );
    let stats = sandbox_get(&format!("{base}/__sandbox/stats")).await;
    assert!(stats["requests"]["/cgi-bin/message/custom/typing"].as_i64() >= Some(1), "typing… was asked for: {stats}");
    // Read back from the sandbox's chat records: the words, by that agent, to that customer.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let recent = sandbox_post(
        &wx("/customservice/msgrecord/getmsglist"),
        json!({"starttime": now - 3600, "endtime": now + 60, "msgid": 1, "number": 10000}),
    )
    .await;
    assert!(
        recent["recordlist"].as_array().unwrap().iter().any(|r| r["openid"] == customer.as_str()
            && r["worker"] == agent.as_str()
            && r["opercode"] == 2002
            && r["text"] == "您好，请稍等，正在为您查询。"),
        "the message is in the sandbox's records"
    );

    // "Chat records" on a customer opens Records for that customer (the last 7 days), fetched.
    s.click(&format!(".agent-block tr[data-openid='{customer}'] .records-link")).await;
    s.wait_for("the customer's records", RECORDS_SHOWN).await;
    assert_eq!(s.value("#rf-customer").await, json!(customer));
    let shown = s
        .js("return [...document.querySelectorAll('#records-body .vrow .c-customer')].map((c) => c.title);", json!([]))
        .await;
    assert!(
        !shown.as_array().unwrap().is_empty() && shown.as_array().unwrap().iter().all(|c| c == &json!(customer)),
        "only that customer: {shown}"
    );
    // In Chinese too: the conversation and its chips, a header click that orders the table (and
    // the export) newest first, a month-first date refused in words with the text kept, 昨天.
    let theirs: Vec<Value> =
        last_days_records(&base, &token, 7).await.into_iter().filter(|r| r["openid"] == customer.as_str()).collect();
    let summary = s.js("return document.getElementById('records-summary').textContent;", json!([])).await;
    assert_eq!(summary, format!("共 {} 条记录 · 7 天", theirs.len()));
    s.click("#records-body .vrow[data-index='0']").await;
    let n = s.wait_for("the conversation", CHAT_LINES).await;
    assert_eq!(n, json!(theirs.len()));
    assert_eq!(
        s.js("return document.querySelector('#records-chat [data-filter=messages]').textContent;", json!([])).await,
        "只看消息"
    );
    s.click("#records-chat [data-filter=messages]").await;
    let n = s.wait_for("messages only", MESSAGES_ONLY).await;
    assert_eq!(n, json!(theirs.iter().filter(|r| r["opercode"].as_i64() >= Some(2000)).count()));
    s.click("#records-chat-close").await;
    s.click("#records-table .th-sort[data-sort=time]").await;
    let newest = format_cst(theirs.iter().map(|r| r["time"].as_i64().unwrap()).max().unwrap());
    let top = s.wait_for("newest first", NEWEST_FIRST).await;
    assert_eq!(top, json!(newest));
    let csv_path = driver.home.join("customer.csv");
    s.js(SAVE_NEXT_TO, json!([csv_path])).await;
    s.click("#records-export").await;
    s.wait_for(
        "the export notice",
        "return document.getElementById('records-notice')?.textContent.startsWith('已导出');",
    )
    .await;
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let times: Vec<String> =
        csv::Reader::from_reader(&text.as_bytes()[3..]).records().map(|l| l.unwrap()[0].to_string()).collect();
    assert_eq!(times.len(), theirs.len());
    assert!(
        times.windows(2).all(|p| p[0] >= p[1]) && times[0] == newest,
        "the export is in the table's order: {times:?}"
    );
    s.click("#records-table .th-sort[data-sort=time]").await;
    s.type_into("#rf-from", "11/20/2026").await;
    s.click("#rf-fetch").await;
    let err = s.wait_for("the date explanation", RECORDS_ERROR).await;
    assert_eq!(err, "「开始日期」不是有效日期（11/20/2026）：请按 年-月-日 输入，如 2026-11-20。");
    assert_eq!(s.value("#rf-from").await, "11/20/2026", "kept as typed");
    assert_eq!(
        s.js("return document.querySelector('#records-form [data-range=yesterday]').textContent;", json!([])).await,
        "昨天"
    );
    s.click("#records-form [data-range='yesterday']").await;
    let yesterday = format_cst(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400,
    )[..10]
        .to_string();
    assert_eq!((s.value("#rf-from").await, s.value("#rf-to").await), (json!(yesterday), json!(yesterday)));
    s.click("#nav [data-view=sessions]").await;
    s.wait_for("the sessions again", &format!("return document.querySelector(\"{msg}\");")).await;

    // Two days later the 48-hour window is closed: WeChat's 45015, explained; the text stays.
    sandbox_post(&format!("{base}/__sandbox/clock"), json!({"advance_secs": 49 * 3600})).await;
    s.click(&msg).await;
    s.type_into("#compose-text", "还在吗？").await;
    s.click("#compose-send").await;
    let err = s.wait_for("the 45015 explanation", WINDOW_CLOSED_ERROR).await;
    assert!(err.as_str().unwrap().contains("用户超过 48 小时未互动"), "{err}");
    assert_eq!(s.value("#compose-text").await, "还在吗？");
    s.screenshot("sessions-45015-zh").await;

    // Batch: the first 2 waiting go to the agents with the most free places (at the sandbox),
    // each outcome listed by name.
    s.click("#sessions-refresh").await;
    s.wait_for("the batch form", BATCH_FORM).await;
    // Two days on, the first token has expired: a fresh one for the checks.
    let fresh = sandbox_token(&base).await;
    let wx = |path: &str| format!("{base}{path}{}access_token={fresh}", if path.contains('?') { '&' } else { '?' });
    let serving = |openid: String| {
        let url = wx(&format!("/customservice/kfsession/getsession?openid={openid}"));
        async move { sandbox_get(&url).await["kf_account"].as_str().unwrap_or_default().to_string() }
    };
    let queue = sandbox_get(&wx("/customservice/kfsession/getwaitcase")).await;
    let first: Vec<String> = queue["waitcaselist"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|w| w["openid"].as_str().unwrap().to_string())
        .collect();
    let online = sandbox_get(&wx("/cgi-bin/customservice/getonlinekflist")).await;
    let most_free = online["kf_online_list"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"].as_i64() > Some(0))
        .map(|a| a["auto_accept"].as_i64().unwrap() - a["accepted_case"].as_i64().unwrap())
        .max()
        .unwrap();
    s.type_into("#batch-count", "2").await;
    s.click("#batch-go").await;
    let done = s.wait_for("the batch results", BATCH_RESULTS).await;
    let done = done.as_array().unwrap();
    assert_eq!(
        done.iter().map(|d| d[0].as_str().unwrap().to_string()).collect::<Vec<_>>(),
        first,
        "the first two, in order"
    );
    for d in done {
        assert_eq!(d[2], "done", "{d}");
        assert_eq!(
            serving(d[0].as_str().unwrap().to_string()).await,
            d[1].as_str().unwrap(),
            "assigned at the sandbox"
        );
    }
    let first_agent =
        online["kf_online_list"].as_array().unwrap().iter().find(|a| a["kf_account"] == done[0][1]).unwrap();
    assert_eq!(
        first_agent["auto_accept"].as_i64().unwrap() - first_agent["accepted_case"].as_i64().unwrap(),
        most_free,
        "the most free places first"
    );
    assert!(
        driver.files_containing(&token).is_empty() && driver.files_containing(&fresh).is_empty(),
        "no access_token in any file"
    );
    s.close().await;
}

/// The Sessions page's staff points in English (the long test above runs in Chinese): the band,
/// the queue's numbers and banner, a header click that orders the queue (and survives a
/// reload), a customer named by their note in the notice, and an overview that looks stale
/// after a failed refresh — each checked against the sandbox.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn the_sessions_page_in_english_names_customers_sorts_and_greys_stale_data() {
    let (_driver, s, base) = open_app("en_US.UTF-8").await;
    let token = sandbox_token(&base).await;
    let wx = |path: &str| format!("{base}{path}{}access_token={token}", if path.contains('?') { '&' } else { '?' });
    let band = s.js(BAND, json!([])).await;
    assert_eq!(band["kind"], "sandbox");
    assert!(band["text"].as_str().unwrap().starts_with("Sandbox"), "{band}");

    s.click("#nav [data-view=sessions]").await;
    s.wait_for("the queue", "return document.querySelector('#queue-table tbody tr');").await;
    assert_eq!(s.js(SELECT, json!(["#sessions-interval", "0"])).await, true, "auto-refresh off while we look");
    let queue = sandbox_get(&wx("/customservice/kfsession/getwaitcase")).await;
    let waiting: Vec<(String, i64)> = queue["waitcaselist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["openid"].as_str().unwrap().to_string(), w["latest_time"].as_i64().unwrap()))
        .collect();
    let online = sandbox_get(&wx("/cgi-bin/customservice/getonlinekflist")).await;
    let online = online["kf_online_list"].as_array().unwrap().clone();
    let free: i64 =
        online.iter().map(|a| (a["auto_accept"].as_i64().unwrap() - a["accepted_case"].as_i64().unwrap()).max(0)).sum();
    assert_eq!(s.js(QUEUE_TOTAL, json!([])).await, format!("{} waiting", waiting.len()));
    let banner = s.js(QUEUE_BANNER, json!([])).await;
    assert_eq!(
        banner,
        format!(
            "{free} free places and {} waiting — assign them, or check that the agents have auto-accept on.",
            waiting.len()
        )
    );
    s.screenshot("sessions-en").await;

    // "Waited" sorts shortest wait first (the newest in the sandbox's queue), and stays so
    // after the app reloads; "#" brings WeChat's order back.
    const QUEUE: &str = "return [...document.querySelectorAll('#queue-table tbody tr')].map((r) => r.dataset.openid);";
    s.click("#queue-table .th-sort[data-sort=waited]").await;
    let mut newest_first = waiting.clone();
    newest_first.sort_by_key(|w| std::cmp::Reverse(w.1));
    let want: Vec<&String> = newest_first.iter().map(|w| &w.0).collect();
    let rows = s.wait_for("sorted by wait", &format!("if (document.querySelector('#queue-table th.c-waited')?.getAttribute('aria-sort') !== 'ascending') return null; {QUEUE}")).await;
    assert_eq!(rows, json!(want));
    // A live account (its secret kept for this run only), offered in the status bar after the reload.
    let demo = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let profile = json!({"name": "East China store", "app_id": demo["appid"], "oa_wechat_id": demo["oa_wechat_id"], "token_kind": "app_secret", "api_base": base});
    let saved =
        s.invoke("save_profile", json!({"profile": profile, "secret": demo["secret"], "remember": "memory"})).await;
    let live_id = saved["ok"]["profiles"]
        .as_array()
        .unwrap_or_else(|| panic!("{saved}"))
        .iter()
        .find(|p| p["name"] == "East China store")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    s.js(RELOAD, json!([])).await;
    s.wait_for(
        "the agents after the reload",
        "return !window.__beforeReload && document.querySelector('#agents-table tbody tr');",
    )
    .await;
    s.click("#nav [data-view=sessions]").await;
    let rows = s.wait_for("still sorted by wait", &format!("if (document.querySelector('#queue-table th.c-waited')?.getAttribute('aria-sort') !== 'ascending') return null; {QUEUE}")).await;
    assert_eq!(rows, json!(want), "the sort survived");
    assert_eq!(s.js(SELECT, json!(["#sessions-interval", "0"])).await, true);
    s.click("#queue-table .th-sort[data-sort=position]").await;
    let rows = s.wait_for("WeChat's order", &format!("if (document.querySelector('#queue-table th.c-position')?.getAttribute('aria-sort') !== 'ascending') return null; {QUEUE}")).await;
    assert_eq!(rows, json!(waiting.iter().map(|w| &w.0).collect::<Vec<_>>()));

    // A note names the customer; assigning them says so by name, and the sandbox agrees.
    let (w, _) = waiting[0].clone();
    let row = format!("#queue-table tr[data-openid='{w}']");
    s.click(&format!("{row} .edit-note")).await;
    s.type_into("#note-input", "Ms Wang · refund").await;
    s.click(&format!("{row} .note-save")).await;
    s.wait_for(
        "the note",
        &format!("return document.querySelector(\"{row} .note\")?.textContent === 'Ms Wang · refund';"),
    )
    .await;
    let to = online
        .iter()
        .find(|a| a["status"].as_i64() > Some(0) && a["auto_accept"].as_i64() > a["accepted_case"].as_i64())
        .expect("an agent with a free place");
    let to = to["kf_account"].as_str().unwrap().to_string();
    assert_eq!(s.js(&format!("const s = document.querySelector(\"{row} select\"); s.value = arguments[0]; s.dispatchEvent(new Event('change')); return s.value;"), json!([to])).await, json!(to));
    s.click(&format!("{row} .assign-btn")).await;
    let notice = s.wait_for("the notice", &format!("const n = document.getElementById('sessions-notice')?.textContent; return n && !document.querySelector(\"{row}\") ? n : null;")).await;
    let nick = agents_from_sandbox(&base).await.into_iter().find(|a| a["kf_account"] == to.as_str()).unwrap()
        ["kf_nick"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(notice, format!("“Ms Wang · refund” assigned to {nick}."));
    let session = sandbox_get(&wx(&format!("/customservice/kfsession/getsession?openid={w}"))).await;
    assert_eq!(session["kf_account"], to.as_str(), "the sandbox agrees: {session}");

    // A failed refresh (out of quota): the old overview is dated, greyed and inert, in English.
    sandbox_post(
        &format!("{base}/__sandbox/faults"),
        json!({"path": "/customservice/kfsession/getwaitcase", "kind": "errcode", "errcode": 45009}),
    )
    .await;
    s.click("#sessions-refresh").await;
    let stale = s.wait_for("the stale notice", STALE_NOTICE).await;
    assert!(
        stale.as_str().unwrap().starts_with("Showing the data of ")
            && stale.as_str().unwrap().contains("the refresh failed"),
        "{stale}"
    );
    assert_eq!(s.js(OVERVIEW_INERT, json!([])).await, true, "actions are off");
    reqwest::Client::new().delete(format!("{base}/__sandbox/faults")).send().await.unwrap();
    s.click("#sessions-refresh").await;
    s.wait_for("live again", LIVE_AGAIN).await;

    // Batch assignment in English: the first waiting customer to the agent with the most free
    // places, the outcome in words, the sandbox agreeing.
    let queue = sandbox_get(&wx("/customservice/kfsession/getwaitcase")).await;
    let first = queue["waitcaselist"][0]["openid"].as_str().expect("someone still waiting").to_string();
    s.type_into("#batch-count", "1").await;
    s.click("#batch-go").await;
    let done = s
        .wait_for("the batch results", "return document.querySelector('#batch-results > span')?.textContent || null;")
        .await;
    assert_eq!(done, "1 assigned, 0 not.");
    let item = s.js(FIRST_RESULT, json!([])).await;
    assert_eq!(item[0], json!(first));
    let session = sandbox_get(&wx(&format!("/customservice/kfsession/getsession?openid={first}"))).await;
    assert_eq!(session["kf_account"], item[1], "the sandbox agrees: {session}");
    let nick = agents_from_sandbox(&base).await.into_iter().find(|a| a["kf_account"] == item[1]).unwrap()["kf_nick"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(item[2].as_str().unwrap().ends_with(&format!(" → {nick}")), "{item}");

    // "Chat records" on the customer named above opens Records for them.
    s.click(&format!(".agent-block tr[data-openid='{w}'] .records-link")).await;
    s.wait_for("the customer's records", RECORDS_SHOWN).await;
    assert_eq!(s.value("#rf-customer").await, json!(w));
    let shown = s
        .js(
            "return [...document.querySelectorAll('#records-body .vrow .c-customer')].map((c) => c.textContent);",
            json!([]),
        )
        .await;
    assert!(
        shown.as_array().unwrap().iter().all(|c| c.as_str().unwrap().starts_with("Ms Wang · refund")),
        "named by the note: {shown}"
    );

    // Keys in English too: Ctrl+F goes to the customer lookup, F5 reads the overview again (at
    // the sandbox) without reloading the app.
    s.click("#nav [data-view=sessions]").await;
    s.wait_for("the sessions again", SESSIONS_READY).await;
    s.press("#view", "\u{E009}f\u{E000}").await;
    s.wait_for("the lookup focused", "return document.activeElement?.id === 'lookup-openid';").await;
    let overviews = |stats: &Value| stats["requests"]["/customservice/kfsession/getwaitcase"].as_i64().unwrap_or(0);
    let before = overviews(&sandbox_get(&format!("{base}/__sandbox/stats")).await);
    s.js(MARK_PAGE, json!([])).await;
    s.press("#view", "\u{E035}").await;
    poll(
        20,
        || async { (overviews(&sandbox_get(&format!("{base}/__sandbox/stats")).await) > before).then_some(()) },
        || "F5 did not read the overview again".into(),
    )
    .await;
    assert_eq!(s.js(PAGE_MARKED, json!([])).await, true, "the app was not reloaded");

    // A choice in an assign menu survives an automatic refresh; the customer goes to the chosen agent.
    s.wait_for(
        "the refresh done",
        "return !document.getElementById('sessions-refresh').disabled && document.getElementById('assign-0');",
    )
    .await;
    let pick = s.js(PICK_AGENT_WITH_ROOM, json!([])).await;
    let (waiter, chosen) = (pick[0].as_str().unwrap().to_string(), pick[1].as_str().unwrap().to_string());
    assert_eq!(s.js(SELECT, json!(["#assign-0", chosen])).await, true);
    assert_eq!(s.js(SELECT, json!(["#sessions-interval", "10"])).await, true);
    let due = s.wait_for("a refresh scheduled", NEXT_REFRESH).await;
    s.wait_for("an automatic refresh", &format!("const n = document.querySelector('#sessions-page')?.parentElement.dataset.nextRefresh; return n && n !== {due};")).await;
    let row = format!("#queue-table tr[data-openid='{waiter}']");
    assert_eq!(
        s.js(&format!("return document.querySelector(\"{row} select\").value;"), json!([])).await,
        chosen.as_str(),
        "still chosen after the refresh"
    );
    s.click(&format!("{row} .assign-btn")).await;
    s.wait_for("the customer left the queue", &format!("return !document.querySelector(\"{row}\");")).await;
    let session = sandbox_get(&wx(&format!("/customservice/kfsession/getsession?openid={waiter}"))).await;
    assert_eq!(session["kf_account"], chosen.as_str(), "the sandbox agrees: {session}");

    // Switching to the live account asks first, in English; cancel stays; yes makes the band live.
    s.click(&format!("#status-profile option[value='{live_id}']")).await;
    let ask = s.wait_for("the live-switch question", LIVE_SWITCH_QUESTION).await;
    assert_eq!(
        ask,
        "Switch to the live account “East China store” (Official Account)? From then on, actions reach real customers."
    );
    s.click("#live-switch-no").await;
    s.wait_for("still the sandbox", STILL_SANDBOX).await;
    s.click(&format!("#status-profile option[value='{live_id}']")).await;
    s.click("#live-switch-yes").await;
    let band = s.wait_for("the live band", LIVE_BAND).await;
    assert!(band.as_str().unwrap().starts_with("Live · East China store · Official Account"), "{band}");
    s.close().await;
}
