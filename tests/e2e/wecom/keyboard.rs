//! Every WeCom control named and reached by keyboard.

use super::*;

/// Whether the customer panel is open, and the focused control's name.
const PANEL_AND_FOCUS: &str =
    "return [document.getElementById('customer-panel')?.open, document.activeElement?.getAttribute('aria-label')];";

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
            s.wait_for("the figures", STATS_DONE).await;
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
    let after = s.js(PANEL_AND_FOCUS, json!([])).await;
    assert_eq!(after, json!([true, label]), "after the redraw");
    s.close().await;
}
