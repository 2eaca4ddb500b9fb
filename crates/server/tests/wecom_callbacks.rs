//! KefuDesk Server receives WeCom's callbacks for real: a private PostgreSQL, the WeCom sandbox
//! calling back over HTTP, the server in between. Asserted where things land: the server's
//! database and the sandbox's request counts.

use std::time::{Duration, Instant};

use kefu_sandbox::wecom::{self, WecomConfig};
use kefu_sandbox::FaultInjection;
use kefu_server::wecom::{connect, ConnectWecom};
use kefu_server::{start, AppState, Config, ServerHandle};
use kefu_testpg::TempPostgres;
use kefu_wechat::callback::{envelope, msg_signature, CallbackKey};
use serde_json::{json, Value};

const TOKEN: &str = "kefuServerToken1";
const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const KEY: [u8; 32] = [42; 32];

struct Setup {
    _pg: TempPostgres,
    server: ServerHandle,
    sandbox: wecom::WecomSandboxHandle,
    corp: i64,
    callback_url: String,
}

async fn setup() -> Setup {
    let pg = TempPostgres::start();
    let url = pg.create_database("kefu");
    let server = start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: url,
        sealer: kefu_server::sealer::Sealer::new(KEY),
    })
    .await
    .unwrap();
    let sandbox = wecom::start(WecomConfig::default(), 0).await.unwrap();
    let corp = connect(
        &server.state,
        ConnectWecom {
            corp_id: sandbox.corp_id(),
            secret: sandbox.secret(),
            callback_token: TOKEN.into(),
            encoding_aes_key: AES_KEY.into(),
            api_base: sandbox.base_url(),
        },
    )
    .await
    .unwrap();
    let callback_url = format!("http://{}/callbacks/wecom/{corp}", server.addr);
    Setup { _pg: pg, server, sandbox, corp, callback_url }
}

async fn post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

async fn count(state: &AppState, sql: &str, corp: i64) -> i64 {
    state.db.get().await.unwrap().query_one(sql, &[&corp]).await.unwrap().get(0)
}

/// The texts the archive holds for `corp`, oldest first.
async fn archived_texts(state: &AppState, corp: i64) -> Vec<String> {
    let rows = state
        .db
        .get()
        .await
        .unwrap()
        .query("select body->'text'->>'content' from wecom_messages where corp = $1 and msgtype = 'text' order by send_time, msgid", &[&corp])
        .await
        .unwrap();
    rows.iter().filter_map(|r| r.get::<_, Option<String>>(0)).collect()
}

async fn wait_for_text(state: &AppState, corp: i64, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !archived_texts(state, corp).await.iter().any(|t| t == text) {
        assert!(Instant::now() < deadline, "{text:?} was not archived within 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sync_calls(sandbox: &wecom::WecomSandboxHandle) -> u64 {
    sandbox.requests("/cgi-bin/kf/sync_msg")
}

#[tokio::test]
async fn a_customers_message_reaches_the_shared_archive_through_the_callback() {
    let s = setup().await;
    let base = s.sandbox.base_url();
    // The sandbox checks the URL as WeCom's console does: the server must open the echostr.
    let set = post(
        &format!("{base}/__sandbox/callback"),
        json!({"url": s.callback_url, "token": TOKEN, "encoding_aes_key": AES_KEY}),
    )
    .await;
    assert_eq!(set["errcode"], 0, "{set}");

    let wrote = post(&format!("{base}/__sandbox/customers/message"), json!({"text": "我的快递到哪了？"})).await;
    assert_eq!(wrote["errcode"], 0, "{wrote}");
    wait_for_text(&s.server.state, s.corp, "我的快递到哪了？").await;
    let cursor: String = s
        .server
        .state
        .db
        .get()
        .await
        .unwrap()
        .query_one(
            "select cursor from wecom_cursors where corp = $1 and open_kfid = $2",
            &[&s.corp, &wrote["open_kfid"].as_str().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!cursor.is_empty(), "the cursor was kept with the page");

    // A second message reads on from the cursor: nothing archived twice.
    let before = count(&s.server.state, "select count(*) from wecom_messages where corp = $1", s.corp).await;
    post(
        &format!("{base}/__sandbox/customers/message"),
        json!({"text": "麻烦查一下", "external_userid": wrote["external_userid"]}),
    )
    .await;
    wait_for_text(&s.server.state, s.corp, "麻烦查一下").await;
    let after = count(&s.server.state, "select count(*) from wecom_messages where corp = $1", s.corp).await;
    assert_eq!(after, before + 1, "only the new message was added");

    // The secrets are sealed at rest.
    let raw: Vec<u8> = s
        .server
        .state
        .db
        .get()
        .await
        .unwrap()
        .query_one("select secret || callback_token || encoding_aes_key from wecom_corps where id = $1", &[&s.corp])
        .await
        .unwrap()
        .get(0);
    for secret in [s.sandbox.secret().as_bytes(), TOKEN.as_bytes(), AES_KEY.as_bytes()] {
        assert!(!raw.windows(secret.len()).any(|w| w == secret), "a secret is in the database in the clear");
    }
}

/// A callback as WeCom would send it to `url`, for the `kf_msg_or_event` of `open_kfid`.
fn callback(
    corp_id: &str,
    open_kfid: &str,
    token_for_sync: &str,
    timestamp: i64,
    signing_token: &str,
    key: &str,
) -> (String, String) {
    let xml = format!(
        "<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{token_for_sync}]]></Token><OpenKfId><![CDATA[{open_kfid}]]></OpenKfId></xml>"
    );
    let sealed = CallbackKey::new(key).unwrap().seal(&xml, corp_id);
    let ts = timestamp.to_string();
    let sig = msg_signature(signing_token, &ts, "135", &sealed);
    (format!("msg_signature={sig}&timestamp={ts}&nonce=135"), envelope(corp_id, &sealed))
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn the_same_callback_twice_reads_once_and_forged_ones_store_nothing() {
    let s = setup().await;
    let base = s.sandbox.base_url();
    let wrote = post(&format!("{base}/__sandbox/customers/message"), json!({"text": "在吗"})).await;
    let (open_kfid, sync_token) =
        (wrote["open_kfid"].as_str().unwrap().to_string(), wrote["token"].as_str().unwrap().to_string());
    let corp_id = s.sandbox.corp_id();
    let http = reqwest::Client::new();
    let send = |query: String, body: String| {
        let http = http.clone();
        let url = format!("{}?{query}", s.callback_url);
        async move { http.post(url).body(body).send().await.unwrap().status().as_u16() }
    };

    let (q, body) = callback(&corp_id, &open_kfid, &sync_token, now(), TOKEN, AES_KEY);
    assert_eq!(send(q.clone(), body.clone()).await, 200);
    wait_for_text(&s.server.state, s.corp, "在吗").await;
    let reads = sync_calls(&s.sandbox);
    assert_eq!(send(q, body).await, 200, "a retry is answered");
    assert_eq!(sync_calls(&s.sandbox), reads, "and does not read again");
    let seen = "select count(*) from wecom_callbacks_seen where corp = $1";
    assert_eq!(count(&s.server.state, seen, s.corp).await, 1);

    // Forged, for another corp, or stale: refused, nothing stored, nothing read.
    let messages = count(&s.server.state, "select count(*) from wecom_messages where corp = $1", s.corp).await;
    let forged = [
        callback(&corp_id, &open_kfid, &sync_token, now(), "wrongToken", AES_KEY),
        callback(&corp_id, &open_kfid, &sync_token, now(), TOKEN, "cD0d7jx4tYvVtzqrmh3Dm3QFCXe6f8SlHoMtMh3qQEP"),
        callback("ww0000000000000000", &open_kfid, &sync_token, now(), TOKEN, AES_KEY),
        callback(&corp_id, &open_kfid, &sync_token, now() - 3600, TOKEN, AES_KEY),
    ];
    for (q, body) in forged {
        assert_eq!(send(q, body).await, 403);
    }
    assert_eq!(send("msg_signature=x&timestamp=1&nonce=1".into(), "not xml".into()).await, 403);
    assert_eq!(count(&s.server.state, seen, s.corp).await, 1, "no forged callback recorded");
    assert_eq!(count(&s.server.state, "select count(*) from wecom_messages where corp = $1", s.corp).await, messages);
    assert_eq!(sync_calls(&s.sandbox), reads, "no read for a forged callback");
}
