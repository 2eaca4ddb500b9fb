//! Every control named and reached by keyboard (Official Account pages and Settings).

use super::*;

/// Adds a button with no name and one that Tab cannot reach, to prove the sweeps notice them.
const ADD_PROBES: &str = "const b = document.createElement('button'); b.id = 'probe-unnamed'; document.querySelector('#view .page-head').append(b);
          const c = document.createElement('button'); c.id = 'probe-untabbable'; c.textContent = 'x'; c.tabIndex = -1; document.querySelector('#view .page-head').append(c); return true;";

/// Takes the probes of `ADD_PROBES` away.
const REMOVE_PROBES: &str = "document.getElementById('probe-unnamed').remove(); document.getElementById('probe-untabbable').remove(); return true;";

/// The licence filter left one component: serde_json.
const ONE_LICENCE_LISTED: &str = "return document.querySelectorAll('#licences li:not([hidden])').length === 1 && document.getElementById('licences-search').value === 'serde_json';";

/// Every control of every page has a name a screen reader can say (as the engine computes it,
/// through WebDriver) and is reached with the Tab key; Settings → About lists the open-source
/// components with their licences.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn every_control_is_named_and_reached_by_keyboard() {
    let (_driver, s, _base) = open_app("en_US.UTF-8").await;
    // The checks find what they look for: a button without a name, one Tab cannot reach.
    s.js(ADD_PROBES, json!([])).await;
    let unnamed = s.unnamed_controls().await;
    assert!(unnamed.len() == 1 && unnamed[0].contains("probe-unnamed"), "{unnamed:?}");
    let missed = s.unreachable_by_tab().await;
    assert!(missed.len() == 1 && missed[0].contains("probe-untabbable"), "{missed:?}");
    s.js(REMOVE_PROBES, json!([])).await;
    let mut problems = Vec::new();
    for page in ["agents", "sessions", "records", "stats", "settings"] {
        s.click(&format!("#nav [data-view={page}]")).await;
        s.wait_for(page, &format!("return document.querySelector('#nav [data-view={page}]').getAttribute('aria-current') === 'page' && document.querySelector('#view section.page') && !document.querySelector('#view .loading');")).await;
        problems.extend(s.accessibility_problems(page).await);
    }
    // The About panel's list of 450 components: each has a name (each is a native, focusable
    // summary; Tab-walking all of them would only measure the list's length).
    s.click("#show-licences").await;
    s.wait_for("the components", "return document.querySelectorAll('#licences li').length > 300;").await;
    for unnamed in s.unnamed_controls().await {
        problems.push(format!("about: no accessible name: {unnamed}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // About: the licence of a component the app is built on, and the vendored chart library.
    s.type_into("#licences-search", "serde_json").await;
    s.wait_for("the filtered list", ONE_LICENCE_LISTED).await;
    s.click("#licences li:not([hidden]) summary").await;
    let text = s
        .wait_for(
            "the licence text",
            "return document.querySelector('#licences li:not([hidden]) .licence-text')?.textContent;",
        )
        .await;
    assert!(
        text.as_str().unwrap().contains("Permission is hereby granted")
            || text.as_str().unwrap().contains("Apache License"),
        "{text}"
    );
    s.type_into("#licences-search", "chart.js").await;
    let row = s
        .wait_for(
            "Chart.js",
            "return document.querySelector('#licences li[data-component=\"chart.js\"] summary')?.textContent;",
        )
        .await;
    assert_eq!(row, "chart.js 4.6.1 — MIT");
    s.screenshot("settings-about-en").await;
    s.close().await;
}
