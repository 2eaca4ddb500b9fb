//! Every WeCom page at the minimum window size.

use super::*;

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
                s.wait_for("the figures", STATS_DONE).await;
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
