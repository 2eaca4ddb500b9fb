//! WeCom 微信客服 in the real app window (tauri-driver + WebKitWebDriver under Xvfb): a WeCom
//! profile added against the built-in WeCom sandbox (tested, secret in the keyring), the switch
//! of platforms, kf accounts (added with a dropped avatar, renamed, deleted), a contact link
//! and its QR code saved as PNG, servicers added and removed; the Conversations page: a
//! customer who writes appears, is answered, assigned, refused in words, and the session ended
//! with ending words — each checked at the sandbox. The shared set-up is here; a module per page.

mod accounts;
mod archive;
mod conversations;
mod keyboard;
mod stats;
mod team_server;
mod window;

use super::*;

/// Chooses `arguments[1]` in the menu `arguments[0]`, as a person does.
const CHOOSE: &str = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('change')); return el.value === arguments[1];";

/// The navigation shows WeCom's pages, not the Official Account's.
const WECOM_PAGES: &str = "return document.querySelector('#nav [data-view=kfaccounts]') && !document.querySelector('#nav [data-view=agents]');";

/// The WeCom sandbox's own view, asked over HTTP like any WeCom client would.
#[derive(Clone)]
struct Corp {
    base: String,
    corpid: String,
    secret: String,
}

impl Corp {
    async fn token(&self) -> String {
        let v =
            sandbox_get(&format!("{}/cgi-bin/gettoken?corpid={}&corpsecret={}", self.base, self.corpid, self.secret))
                .await;
        v["access_token"].as_str().expect("token").to_string()
    }

    async fn accounts(&self) -> Vec<Value> {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/account/list?access_token={}", self.base, self.token().await),
            json!({"offset": 0, "limit": 100}),
        )
        .await;
        v["account_list"].as_array().expect("account_list").clone()
    }

    async fn servicers(&self, open_kfid: &str) -> Vec<Value> {
        let v = sandbox_get(&format!(
            "{}/cgi-bin/kf/servicer/list?access_token={}&open_kfid={open_kfid}",
            self.base,
            self.token().await
        ))
        .await;
        v["servicer_list"].as_array().expect("servicer_list").clone()
    }

    /// The session state WeCom reports (service_state/get), and the servicer in state 3.
    async fn state(&self, open_kfid: &str, customer: &str) -> (i64, String) {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/service_state/get?access_token={}", self.base, self.token().await),
            json!({"open_kfid": open_kfid, "external_userid": customer}),
        )
        .await;
        (
            v["service_state"].as_i64().unwrap_or_else(|| panic!("{v}")),
            v["servicer_userid"].as_str().unwrap_or("").to_string(),
        )
    }

    /// What send_msg and send_msg_on_event delivered to `customer`.
    async fn sent_to(&self, customer: &str) -> Vec<Value> {
        let v = sandbox_get(&format!("{}/__sandbox/sent", self.base)).await;
        v["sent"].as_array().expect("sent").iter().filter(|m| m["touser"] == customer).cloned().collect()
    }

    async fn link(&self, open_kfid: &str, scene: &str) -> String {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/add_contact_way?access_token={}", self.base, self.token().await),
            json!({"open_kfid": open_kfid, "scene": scene}),
        )
        .await;
        v["url"].as_str().expect("url").to_string()
    }
}

/// The text of the one QR code in a PNG file.
fn decode_qr(path: &std::path::Path) -> String {
    let img = image::open(path).expect("a PNG").to_luma8();
    let mut p = rqrr::PreparedImage::prepare_from_greyscale(img.width() as usize, img.height() as usize, |x, y| {
        img.get_pixel(x as u32, y as u32)[0]
    });
    let grids = p.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {}", path.display());
    grids[0].decode().expect("decodes").1
}

/// Chooses `value` in the select `css` as a user would (the change event fires).
async fn choose(s: &Session, css: &str, value: &str) {
    s.js(CHOOSE, json!([css, value])).await;
}

/// The app in Chinese, switched from the status bar to the WeCom sandbox (its pages replace the
/// Official Account's; Conversations first), and the sandbox's corp as WeCom clients see it.
async fn on_the_wecom_sandbox(driver: &Driver) -> (Session, Corp) {
    let s = Session::new(driver).await;
    s.wait_for("the agents table", "return document.querySelector('#agents-table tbody tr');").await;
    choose(&s, "#status-profile", "sandbox-wecom").await;
    s.wait_for("the WeCom pages", WECOM_PAGES).await;
    s.wait_for("Conversations first", "return document.querySelector('#conversations-page .conv-group');").await;
    let band = s.js("return document.getElementById('env-band').textContent;", json!([])).await;
    assert!(
        band.as_str().unwrap().starts_with("沙箱 · 企业微信"),
        "the band names the sandbox and the platform: {band}"
    );
    let info = s.invoke("app_info", json!({})).await;
    let base = info["ok"]["profile"]["base_url"].as_str().unwrap_or_else(|| panic!("{info}")).to_string();
    let demo = sandbox_get(&format!("{base}/__sandbox/info")).await;
    let corp =
        Corp { base, corpid: demo["corpid"].as_str().unwrap().into(), secret: demo["secret"].as_str().unwrap().into() };
    (s, corp)
}
