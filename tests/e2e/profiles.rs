//! Settings → profiles: added, tested, switched and deleted, secrets only in the keyring.

use super::*;

/// The status bar says: the sandbox.
const ON_SANDBOX: &str = "return document.getElementById('status-env').classList.contains('sandbox');";

/// The open confirmation's question.
const CONFIRM_QUESTION: &str = "return document.querySelector('.confirm span')?.textContent;";

/// The saved profile's row: its ID, secret state and details.
const SAVED_PROFILE: &str = "const r = [...document.querySelectorAll('#profiles-list .profile-row')].find(r => r.querySelector('.pname').textContent === '华东门店');
             return r ? {id: r.dataset.id, secret: r.querySelector('.secret')?.textContent} : null;";

/// The question is gone and the switcher is back on the sandbox.
const QUESTION_GONE: &str =
    "return !document.getElementById('live-switch') && document.getElementById('status-profile').value === 'sandbox';";

/// Live, without a question.
const LIVE_UNASKED: &str =
    "return document.getElementById('env-band').dataset.kind === 'live' && !document.getElementById('live-switch');";

/// Settings → add a profile pointing at the app's sandbox through the API-address override,
/// test it (wrong secret, then right), save it (secret to the real keyring), switch to it and
/// back, delete it — and afterwards no file the app wrote holds the secret or a token.
#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn profiles_are_added_tested_switched_and_deleted_with_secrets_only_in_the_keyring() {
    let (driver, s, base) = open_app("zh_CN.UTF-8").await;
    let demo = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let (appid, secret, oa) =
        (demo["appid"].as_str().unwrap(), demo["secret"].as_str().unwrap(), demo["oa_wechat_id"].as_str().unwrap());
    let expected = agents_from_sandbox(&base).await;

    s.click("#nav [data-view=settings]").await;
    s.click("#profile-add").await;
    // Inline validation before anything is sent.
    s.type_into("#pf-app_id", "wx123").await;
    s.click("#pf-test").await;
    let msg = s
        .wait_for(
            "the inline AppID message",
            "return document.querySelector('[data-field=app_id] .field-error')?.textContent;",
        )
        .await;
    assert!(msg.as_str().unwrap().contains("wx 开头"), "{msg}");

    s.type_into("#pf-name", "华东门店").await;
    s.type_into("#pf-app_id", appid).await;
    s.type_into("#pf-oa_wechat_id", oa).await;
    s.type_into("#pf-secret", "not-the-secret").await;
    s.click(".advanced summary").await;
    s.type_into("#pf-api_base", &base).await;
    s.click("#pf-test").await;
    let err = s.wait_for("the wrong-secret explanation", PROFILE_ERROR).await;
    assert!(err.as_str().unwrap().contains("AppSecret 错误") && err.as_str().unwrap().contains("40125"), "{err}");
    assert_eq!(s.value("#pf-name").await, "华东门店", "what the user typed stays");
    assert_eq!(s.value("#pf-api_base").await, json!(base));

    s.type_into("#pf-secret", secret).await;
    s.click("#pf-test").await;
    let ok = s
        .wait_for("a successful test", "const t = document.querySelector('#pf-status.ok')?.textContent; return t;")
        .await;
    assert!(ok.as_str().unwrap().contains(&format!("{} 位客服", expected.len())), "{ok}");
    s.screenshot("profile-form-zh").await;

    s.click("#pf-save").await;
    let saved = s.wait_for("the saved profile", SAVED_PROFILE).await;
    assert_eq!(saved["secret"], "已保存在系统钥匙串中");
    let id = saved["id"].as_str().unwrap().to_string();

    // On the sandbox, a band above every page says so.
    for page in ["agents", "sessions", "records", "settings"] {
        s.click(&format!("#nav [data-view={page}]")).await;
        let band = s.wait_for("the band", BAND).await;
        assert_eq!((band["kind"].as_str(), band["top"].as_f64()), (Some("sandbox"), Some(0.0)), "{page}: {band}");
        assert!(band["text"].as_str().unwrap().starts_with("沙箱 · 公众号"), "{page}: {band}");
    }

    // Use it: the status bar and the band say live, and the agents come through the saved profile.
    s.click(&format!("#profiles-list [data-id='{id}'] .use")).await;
    s.wait_for("the live profile", &format!("return document.getElementById('status-profile')?.value === '{id}' && document.getElementById('status-env').classList.contains('live');")).await;
    s.click("#nav [data-view=agents]").await;
    let rows = s.wait_for("agents through the saved profile", ROWS).await;
    assert_eq!(rows.as_array().unwrap().len(), expected.len());
    let band = s.js(BAND, json!([])).await;
    assert_eq!(band["kind"], "live");
    assert!(band["text"].as_str().unwrap().starts_with("正式环境 · 华东门店 · 公众号"), "{band}");
    s.screenshot("agents-live-profile").await;

    // Switch back from the status bar (the sandbox needs no confirmation).
    s.click("#status-profile option[value=sandbox]").await;
    s.wait_for("the sandbox again", ON_SANDBOX).await;

    // Switching to a live account from the status bar asks first (once per run); "cancel" stays.
    s.click(&format!("#status-profile option[value='{id}']")).await;
    let ask = s.wait_for("the live-switch question", LIVE_SWITCH_QUESTION).await;
    assert!(ask.as_str().unwrap().contains("华东门店") && ask.as_str().unwrap().contains("真实客户"), "{ask}");
    s.click("#live-switch-no").await;
    s.wait_for("the question gone", QUESTION_GONE).await;
    assert_eq!(active_kind(&s).await, "sandbox");
    s.click(&format!("#status-profile option[value='{id}']")).await;
    s.click("#live-switch-yes").await;
    s.wait_for("live after yes", "return document.getElementById('env-band').dataset.kind === 'live';").await;
    assert_eq!(active_kind(&s).await, "live");
    s.click("#status-profile option[value=sandbox]").await;
    s.wait_for("the sandbox again", "return document.getElementById('env-band').dataset.kind === 'sandbox';").await;
    s.click(&format!("#status-profile option[value='{id}']")).await;
    s.wait_for("live without a second question", LIVE_UNASKED).await;
    s.click("#status-profile option[value=sandbox]").await;
    s.wait_for("the sandbox again", ON_SANDBOX).await;

    // In English: the band names the account and says live; the delete question names it too
    // (cancelled here: the Chinese one below deletes).
    s.click("#nav [data-view=settings]").await;
    s.click("#lang-switch [data-lang=en]").await;
    s.wait_for("English", "return document.getElementById('env-band').textContent.startsWith('Sandbox');").await;
    s.click(&format!("#status-profile option[value='{id}']")).await;
    let band = s.wait_for("the live band in English", &format!("return document.getElementById('status-profile').value === '{id}' && document.getElementById('env-band').dataset.kind === 'live' ? ({BAND_TEXT}) : null;")).await;
    assert!(band.as_str().unwrap().starts_with("Live · 华东门店 · Official Account"), "{band}");
    s.click(&format!("#profiles-list [data-id='{id}'] .delete")).await;
    let confirm = s.wait_for("the English confirmation", CONFIRM_QUESTION).await;
    assert_eq!(confirm, "Delete “华东门店” and its saved secret? This cannot be undone.");
    s.click(".confirm button:not(.confirm-yes)").await;
    s.wait_for("the question gone", "return !document.querySelector('.confirm');").await;
    s.click("#status-profile option[value=sandbox]").await;
    s.wait_for("the sandbox again", ON_SANDBOX).await;
    s.click("#lang-switch [data-lang=zh-CN]").await;
    s.wait_for("Chinese again", "return document.getElementById('env-band').textContent.startsWith('沙箱');").await;

    // Delete, after a confirmation that names the profile.
    s.click("#nav [data-view=settings]").await;
    s.click(&format!("#profiles-list [data-id='{id}'] .delete")).await;
    let confirm = s.wait_for("the confirmation", CONFIRM_QUESTION).await;
    assert!(confirm.as_str().unwrap().contains("华东门店"), "{confirm}");
    s.click(".confirm-yes").await;
    s.wait_for("the profile to go", &format!("return !document.querySelector(\"#profiles-list [data-id='{id}']\");"))
        .await;
    s.screenshot("settings-zh").await;

    // The config file exists (the profile was written), but no secret or token is on disk.
    let token = sandbox_post(
        &format!("{base}/cgi-bin/stable_token"),
        json!({"grant_type": "client_credential", "appid": appid, "secret": secret}),
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    s.close().await;
    // The log file is among what is scanned, and it did record the failing exchanges.
    let log = driver.home.join(".local/share/app.kefudesk.desktop/logs/kefudesk.log");
    let logged = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
    assert!(
        logged.contains("a command failed") && logged.contains("40125"),
        "the wrong secret's failure is in the log: {logged}"
    );
    let configs = driver.files_containing("华东门店");
    assert!(
        configs.is_empty() || configs.iter().all(|p| !p.ends_with("config.json")),
        "the deleted profile is gone from the config: {configs:?}"
    );
    assert!(!driver.files_containing("\"version\": 2").is_empty(), "the app wrote its config under the throwaway HOME");
    assert_eq!(driver.files_containing(secret), Vec::<std::path::PathBuf>::new(), "the AppSecret is on disk");
    assert_eq!(
        driver.files_containing("not-the-secret"),
        Vec::<std::path::PathBuf>::new(),
        "a typed secret is on disk"
    );
    assert_eq!(driver.files_containing(&token), Vec::<std::path::PathBuf>::new(), "an access token is on disk");
}
