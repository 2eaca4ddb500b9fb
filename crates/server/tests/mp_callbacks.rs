//! KefuDesk Server receives an Official Account's pushes for real: the MP sandbox checks the
//! server URL and pushes each customer message, in plain and in safe mode; the server archives
//! it and answers `transfer_customer_service`, and the customer is in the sandbox's kf queue.
//! Forged or downgraded pushes are refused with nothing stored; a retried push is kept once.

use kefu_sandbox::mp::{self, MpConfig, MpSandboxHandle};
use kefu_server::mp::{connect, ConnectMp};
use kefu_server::{start, Config, ServerHandle};
use kefu_testpg::TempPostgres;
use kefu_wechat::callback::plain_signature;
use serde_json::{json, Value};

const TOKEN: &str = "kefuServerMp1";
const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

struct Setup {
    _pg: TempPostgres,
    server: ServerHandle,
    sbx: MpSandboxHandle,
    account: i64,
    url: String,
}

async fn setup(safe: bool) -> Setup {
    let pg = TempPostgres::start();
    let server = start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: pg.create_database("kefu"),
        sealer: kefu_server::sealer::Sealer::new([3; 32]),
    })
    .await
    .unwrap();
    let sbx = mp::start(MpConfig::default(), 0).await.unwrap();
    let account = connect(
        &server.state,
        ConnectMp {
            app_id: sbx.appid(),
            secret: sbx.secret(),
            token: TOKEN.into(),
            encoding_aes_key: safe.then(|| AES_KEY.to_string()),
            api_base: sbx.base_url(),
            transfer: true,
        },
    )
    .await
    .unwrap();
    let url = format!("http://{}/callbacks/mp/{account}", server.addr);
    let mut set = json!({"url": url, "token": TOKEN});
    if safe {
        set["encoding_aes_key"] = json!(AES_KEY);
    }
    // The sandbox checks the URL as the MP platform does: the server must answer the echostr.
    let v = post(&format!("{}/__sandbox/server", sbx.base_url()), set).await;
    assert_eq!(v["errcode"], 0, "{v}");
    Setup { _pg: pg, server, sbx, account, url }
}

async fn post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

async fn new_customer(base: &str) -> String {
    let v = post(&format!("{base}/__sandbox/customers/event"), json!({"event": "subscribe"})).await;
    v["openid"].as_str().unwrap().to_string()
}

/// Who waits in the kf queue, asked of the sandbox as any WeChat client would.
async fn waiting(s: &Setup) -> Vec<String> {
    let base = s.sbx.base_url();
    let token: Value = reqwest::get(format!(
        "{base}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
        s.sbx.appid(),
        s.sbx.secret()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let q: Value = reqwest::get(format!(
        "{base}/customservice/kfsession/getwaitcase?access_token={}",
        token["access_token"].as_str().unwrap()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    q["waitcaselist"].as_array().unwrap().iter().map(|w| w["openid"].as_str().unwrap().to_string()).collect()
}

async fn archived(s: &Setup) -> Vec<(String, String)> {
    let db = s.server.state.db.get().await.unwrap();
    let rows = db
        .query(
            "select openid, coalesce(body->>'Content', '') from mp_messages where account = $1 order by seq",
            &[&s.account],
        )
        .await
        .unwrap();
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

#[tokio::test]
async fn a_customers_message_is_archived_and_transferred_in_plain_and_safe_mode() {
    for safe in [false, true] {
        let s = setup(safe).await;
        let openid = new_customer(&s.sbx.base_url()).await;
        let wrote = post(
            &format!("{}/__sandbox/customers/message", s.sbx.base_url()),
            json!({"openid": openid, "text": "我要退货"}),
        )
        .await;
        assert_eq!(wrote["push"]["outcome"], "transfer", "safe mode {safe}: {wrote}");
        assert_eq!(wrote["push"]["attempts"], 1, "answered at once");
        assert!(waiting(&s).await.contains(&openid), "in the kf queue (safe mode {safe})");
        assert_eq!(archived(&s).await, [(openid.clone(), "我要退货".to_string())]);
        // The secrets are sealed at rest.
        let raw: Vec<u8> = s
            .server
            .state
            .db
            .get()
            .await
            .unwrap()
            .query_one(
                "select secret || token || coalesce(encoding_aes_key, ''::bytea) from mp_accounts where id = $1",
                &[&s.account],
            )
            .await
            .unwrap()
            .get(0);
        for secret in [s.sbx.secret().as_bytes(), TOKEN.as_bytes(), AES_KEY.as_bytes()] {
            assert!(!raw.windows(secret.len()).any(|w| w == secret), "a secret is in the database in the clear");
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A plain-mode push of `text` from `openid`, signed with `token`, `age` seconds old.
fn plain_push(url: &str, openid: &str, text: &str, token: &str, age: i64) -> (String, String) {
    let ts = (now() - age).to_string();
    let sig = plain_signature(token, &ts, "77");
    let xml = format!(
        "<xml><ToUserName><![CDATA[gh_6b5e4d3c2a10]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content><MsgId>7700000000000000001</MsgId></xml>"
    );
    (format!("{url}?signature={sig}&timestamp={ts}&nonce=77&openid={openid}"), xml)
}

#[tokio::test]
async fn forged_stale_or_downgraded_pushes_store_nothing_and_a_retry_is_kept_once() {
    let s = setup(false).await;
    let http = reqwest::Client::new();
    let send = |(url, xml): (String, String)| {
        let http = http.clone();
        async move {
            let r = http.post(url).body(xml).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, answer) = send(plain_push(&s.url, "oCustomer1", "在吗", TOKEN, 0)).await;
    assert_eq!(status, 200);
    assert!(answer.contains("transfer_customer_service") && answer.contains("oCustomer1"), "{answer}");
    // WeChat tries again when the answer was late: the same push is kept once.
    assert_eq!(send(plain_push(&s.url, "oCustomer1", "在吗", TOKEN, 0)).await.0, 200);
    assert_eq!(archived(&s).await.len(), 1);
    // A wrong Token, a stale timestamp: refused, nothing stored.
    assert_eq!(send(plain_push(&s.url, "oForger", "假的", "wrongToken", 0)).await.0, 403);
    assert_eq!(send(plain_push(&s.url, "oLate", "旧的", TOKEN, 3600)).await.0, 403);
    assert_eq!(archived(&s).await.len(), 1);

    // The admin's view of the accounts: the server URL to enter, never a secret; a Token the MP
    // platform would refuse is refused here first.
    let (login, password) = s.server.first_admin.clone().unwrap();
    let base = format!("http://{}", s.server.addr);
    let signed: Value = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signed["token"].as_str().unwrap();
    let listed: Value =
        http.get(format!("{base}/api/v1/mp/accounts")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["accounts"][0]["callback_path"], format!("/callbacks/mp/{}", s.account));
    assert!(!listed.to_string().contains(&s.sbx.secret()) && !listed.to_string().contains(TOKEN), "{listed}");
    let bad = http
        .post(format!("{base}/api/v1/mp/accounts"))
        .bearer_auth(token)
        .json(&json!({"app_id": "wx0000000000000001", "secret": "s", "token": "有空格 的"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    // An account in safe mode refuses a push in the clear, even correctly signed.
    let safe = setup(true).await;
    assert_eq!(send(plain_push(&safe.url, "oDowngrade", "明文", TOKEN, 0)).await.0, 403);
    assert!(archived(&safe).await.is_empty());
}
