//! The Records page (Official Account): several days browsed, searched and exported.

use super::*;

/// The distance between the first two rows, once rows are drawn.
const ROW_PITCH: &str = "const r = document.querySelectorAll('#records-body .vrow'); return r.length > 2 && r[0].querySelector('.c-time') ? r[1].offsetTop - r[0].offsetTop : null;";

/// The chat record shows messages only.
const MESSAGES_ONLY: &str = "return document.querySelector('#records-chat [data-filter=messages].on') && document.querySelectorAll('#records-chat .bubble, #records-chat .event-line').length;";

/// The chat record shows events only.
const EVENTS_ONLY: &str = "return document.querySelector('#records-chat [data-filter=events].on') && document.querySelectorAll('#records-chat .event-line').length;";

/// Records: fetch the last 7 CST days through the page (progress, then the summary), scroll the
/// virtualised table to the end, search, and export — the CSV holds exactly the records the
/// sandbox returns to any WeChat client for those days.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn records_of_several_days_are_browsed_searched_and_exported() {
    let (driver, s, base) = open_app("en_US.UTF-8").await;
    // What the sandbox itself says, asked day by day like any WeChat client.
    let token = sandbox_token(&base).await;
    let expected: Vec<(String, String, String, i64, String)> = last_days_records(&base, &token, 7)
        .await
        .iter()
        .map(|r| {
            (
                format_cst(r["time"].as_i64().unwrap()),
                r["worker"].as_str().unwrap().into(),
                r["openid"].as_str().unwrap().into(),
                r["opercode"].as_i64().unwrap(),
                r["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(expected.len() > 1000, "demo history: {}", expected.len());

    s.click("#nav [data-view=records]").await;
    // Days are typed year-month-day in every language: a month-first date is refused in words,
    // and what was typed stays in the field; "yesterday" is yesterday in China Standard Time.
    s.type_into("#rf-from", "11/20/2026").await;
    s.click("#rf-fetch").await;
    let err = s.wait_for("the date explanation", RECORDS_ERROR).await;
    assert!(err.as_str().unwrap().contains("year-month-day") && err.as_str().unwrap().contains("11/20/2026"), "{err}");
    assert_eq!(s.value("#rf-from").await, "11/20/2026", "kept as typed");
    assert!(s.js("return !document.getElementById('records-summary');", json!([])).await == true, "nothing fetched");
    s.click("#records-form [data-range='yesterday']").await;
    let yesterday = format_cst(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400,
    )[..10]
        .to_string();
    assert_eq!((s.value("#rf-from").await, s.value("#rf-to").await), (json!(yesterday), json!(yesterday)));
    s.click("#records-form [data-range='last7']").await;
    let pages = |stats: Value| stats["requests"]["/customservice/msgrecord/getmsglist"].as_i64().unwrap_or(0);
    let asked_before = pages(sandbox_get(&format!("{base}/__sandbox/stats")).await);
    s.click("#rf-fetch").await;
    let summary = s.wait_for("the summary", "return document.getElementById('records-summary')?.textContent;").await;
    assert!(
        summary.as_str().unwrap().contains(&format!("{} records", group(expected.len())))
            && summary.as_str().unwrap().ends_with("7 days"),
        "{summary}"
    );
    assert_eq!(
        pages(sandbox_get(&format!("{base}/__sandbox/stats")).await) - asked_before,
        7,
        "one request a day, counted at the sandbox"
    );
    let step = s.wait_for("the first rows", ROW_PITCH).await;
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
    let closed = expected.iter().filter(|r| r.3 == 1004).count();
    s.type_into("#records-search", "session closed").await;
    let matching = s.wait_for("the search", &format!("const m = document.getElementById('records-matching')?.textContent; return m && m.includes('{}') ? m : null;", group(closed))).await;
    assert!(matching.as_str().unwrap().contains("matching"), "{matching}");
    s.type_into("#records-search", "").await;
    s.wait_for("the whole result again", "return document.getElementById('records-matching')?.textContent === '';")
        .await;

    // A row opens that customer's conversation: every record of theirs in the range (as the
    // sandbox has them), the agents by nickname; chips narrow it to messages or session events.
    let customer = s
        .wait_for(
            "a row",
            "return document.querySelector('#records-body .vrow[data-index=\"0\"]')?.dataset.customer || null;",
        )
        .await;
    let customer = customer.as_str().unwrap().to_string();
    s.click("#records-body .vrow[data-index='0']").await;
    let theirs: Vec<_> = expected.iter().filter(|r| r.2 == customer).collect();
    let shown = s.wait_for("the conversation", CHAT_LINES).await;
    assert_eq!(shown, json!(theirs.len()), "all of {customer}'s records");
    let agents = agents_from_sandbox(&base).await;
    let nick_of = |account: &str| {
        agents
            .iter()
            .find(|a| a["kf_account"] == account)
            .map(|a| a["kf_nick"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let senders = s
        .js(
            "return [...document.querySelectorAll('#records-chat .bubble.kf .sender')].map((e) => e.textContent);",
            json!([]),
        )
        .await;
    let want: Vec<String> = theirs.iter().filter(|r| r.3 == 2002).map(|r| nick_of(&r.1)).collect();
    assert_eq!(senders, json!(want), "agents by nickname, in order");
    s.click("#records-chat [data-filter=messages]").await;
    let n = s.wait_for("messages only", MESSAGES_ONLY).await;
    assert_eq!(n, json!(theirs.iter().filter(|r| r.3 >= 2000).count()));
    assert_eq!(s.js("return document.querySelectorAll('#records-chat .event-line').length;", json!([])).await, 0);
    s.click("#records-chat [data-filter=events]").await;
    let n = s.wait_for("events only", EVENTS_ONLY).await;
    assert_eq!(n, json!(theirs.iter().filter(|r| r.3 < 2000).count()));
    s.screenshot("records-chat-en").await;
    s.press("#records-chat [data-filter=events]", "\u{E00C}").await;
    s.wait_for("the conversation closed by Esc", "return !document.getElementById('records-chat');").await;

    // Export (the save dialog's answer given through the app's test hook).
    let csv_path = driver.home.join("records.csv");
    s.js(SAVE_NEXT_TO, json!([csv_path])).await;
    s.click("#records-export").await;
    let notice =
        s.wait_for("the export notice", "return document.getElementById('records-notice')?.textContent;").await;
    assert!(notice.as_str().unwrap().contains(&format!("Exported {} records", group(expected.len()))), "{notice}");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    let mut rows: Vec<(String, String, String, i64, String)> = Vec::new();
    let mut times = Vec::new();
    for line in csv::Reader::from_reader(&text.as_bytes()[3..]).records() {
        let line = line.expect("a CSV row");
        times.push(line[0].to_string());
        rows.push((
            line[0].to_string(),
            line[1].to_string(),
            line[2].to_string(),
            line[4].parse().unwrap(),
            line[5].to_string(),
        ));
    }
    assert!(times.windows(2).all(|p| p[0] <= p[1]), "sorted by time");
    let mut want = expected.clone();
    want.sort();
    rows.sort();
    assert_eq!(rows, want, "the CSV holds exactly the sandbox's records");
    s.close().await;
}
