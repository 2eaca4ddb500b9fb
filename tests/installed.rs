//! The installed package, opened like a user opens it: `make test-package` installs the `.deb`
//! and runs this against its binary (`KEFUDESK_APP=/usr/bin/kefudesk`), with
//! `KEFUDESK_E2E_HOME` kept so the package test can check the user's config survives removal.

use kefu_e2e::{agents_from_sandbox, Driver, Session};
use serde_json::json;

#[tokio::test]
#[ignore = "needs the installed package, a display and tauri-driver: run through `make test-package`"]
async fn the_installed_app_opens_on_the_sandbox_agents_and_settings() {
    let app = std::env::var("KEFUDESK_APP")
        .expect("KEFUDESK_APP names the installed binary: run through `make test-package`");
    assert!(!app.contains("/target/"), "{app} is a build, not the installed package");

    // Painted as on a machine with a GPU (composited; forced, as this machine has none): the
    // other E2E tests see the app as it paints here, without compositing.
    let driver =
        Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8"), ("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]);
    let s = Session::new(&driver).await;

    // With no account set up, the installed app opens the built-in sandbox on the Agents page.
    let rows = s
        .wait_for("the agents table", "const r = [...document.querySelectorAll('#agents-table tbody tr[data-account]')]; return r.length ? r.map((tr) => tr.dataset.account) : null;")
        .await;
    let info = s.invoke("app_info", json!({})).await;
    assert_eq!(info["ok"]["profile"]["kind"], "sandbox", "{info}");
    assert_eq!(info["ok"]["version"], env!("CARGO_PKG_VERSION"), "the package holds this version");
    let diagnostics = s.invoke("diagnostics", json!({})).await;
    assert!(diagnostics["ok"].as_str().unwrap().contains("Painting: GPU (composited)"), "{diagnostics}");
    let web = driver.web_process_environment();
    assert!(web.iter().any(|v| v == "WEBKIT_DISABLE_COMPOSITING_MODE=0"), "the user's choice reaches WebKit as it is");
    assert!(
        !web.iter().any(|v| v.starts_with("WEBKIT_DISABLE_DMABUF_RENDERER=")),
        "composited, the DMA-BUF renderer is left on"
    );
    let mut want: Vec<String> = agents_from_sandbox(info["ok"]["profile"]["base_url"].as_str().unwrap())
        .await
        .iter()
        .map(|a| a["kf_account"].as_str().unwrap().to_string())
        .collect();
    let mut got: Vec<String> = serde_json::from_value(rows).unwrap();
    want.sort();
    got.sort();
    assert_eq!(got, want, "every agent of the sandbox is listed");
    // The release build embeds the UI: its strings, styles and fonts are there.
    let status = s.js("return document.getElementById('statusbar').textContent", json!([])).await;
    assert!(status.as_str().unwrap().contains("沙箱"), "{status}");
    s.screenshot("installed-agents-zh").await;

    // A group made on the Agents page is the user's own data: it must outlive the package.
    s.click("#groups-manage").await;
    s.type_into("#group-new", "夜班").await;
    s.click("#group-create").await;
    s.wait_for("the new group", "return document.querySelector(\"#group-panel [data-group='夜班']\");").await;
    let config = driver.home.join(".config/app.kefudesk.desktop/config.json");
    let saved = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{}: {e}", config.display()));
    assert!(saved.contains("夜班"), "the group is in the user's config: {saved}");

    // Settings opens and switches the language at once.
    s.click("#nav [data-view=settings]").await;
    s.wait_for("the settings page", "return document.getElementById('settings-page');").await;
    s.click("#lang-switch [data-lang=en]").await;
    s.wait_for(
        "English navigation",
        "return document.querySelector('#nav [data-view=agents]').textContent === 'Agents';",
    )
    .await;
    s.screenshot("installed-settings-en").await;

    // About: the version, and the open-source components the package is built on.
    s.click("#show-licences").await;
    s.wait_for("the components", "return document.querySelectorAll('#licences li').length > 300;").await;
    let about = s
        .js("const c = document.getElementById('about-card'); c.scrollIntoView(); return c.textContent;", json!([]))
        .await;
    assert!(about.as_str().unwrap().contains(&format!("version {}", env!("CARGO_PKG_VERSION"))), "{about}");
    s.screenshot("installed-about-en").await;
    s.close().await;
}
