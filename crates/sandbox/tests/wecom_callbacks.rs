//! The WeCom sandbox calls back like WeCom: a receiver built only on `kefu_wechat::callback`
//! (what KefuDesk Server uses) passes the URL check, then gets an encrypted, signed
//! `kf_msg_or_event` when a customer writes, whose Token reads the message with sync_msg; an
//! unanswered callback is sent again; a receiver that cannot open the check is refused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use kefu_sandbox::wecom::{self, WecomConfig};
use kefu_wechat::callback::{envelope_encrypt, open_signed, xml_field, CallbackKey};
use serde_json::{json, Value};
use tokio::sync::mpsc;

const TOKEN: &str = "kefudeskCallbackToken42";
const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

#[derive(Clone)]
struct Receiver {
    key: CallbackKey,
    corp: String,
    /// POSTs to refuse (HTTP 500) before answering.
    refuse_first: Arc<AtomicU32>,
    posts: Arc<AtomicU32>,
    opened: mpsc::UnboundedSender<String>,
}

type Q = Query<HashMap<String, String>>;

fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map(String::as_str).unwrap_or_default()
}

async fn check_url(State(r): State<Receiver>, Query(q): Q) -> (StatusCode, String) {
    let (ts, nonce, sig, echo) =
        (param(&q, "timestamp"), param(&q, "nonce"), param(&q, "msg_signature"), param(&q, "echostr"));
    match open_signed(&r.key, TOKEN, ts, nonce, sig, echo, &r.corp) {
        Ok(plain) => (StatusCode::OK, plain),
        Err(e) => (StatusCode::FORBIDDEN, e.to_string()),
    }
}

async fn receive(State(r): State<Receiver>, Query(q): Q, body: String) -> (StatusCode, &'static str) {
    r.posts.fetch_add(1, Ordering::SeqCst);
    if r.refuse_first.load(Ordering::SeqCst) > 0 {
        r.refuse_first.fetch_sub(1, Ordering::SeqCst);
        return (StatusCode::INTERNAL_SERVER_ERROR, "busy");
    }
    let opened = envelope_encrypt(&body).and_then(|enc| {
        open_signed(
            &r.key,
            TOKEN,
            param(&q, "timestamp"),
            param(&q, "nonce"),
            param(&q, "msg_signature"),
            &enc,
            &r.corp,
        )
    });
    match opened {
        Ok(xml) => {
            let _ = r.opened.send(xml);
            (StatusCode::OK, "success")
        }
        Err(_) => (StatusCode::FORBIDDEN, "refused"),
    }
}

async fn start_receiver(
    corp: &str,
    key: &str,
    refuse_first: u32,
) -> (String, Receiver, mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let r = Receiver {
        key: CallbackKey::new(key).unwrap(),
        corp: corp.to_string(),
        refuse_first: Arc::new(AtomicU32::new(refuse_first)),
        posts: Arc::new(AtomicU32::new(0)),
        opened: tx,
    };
    let app = Router::new().route("/wecom/callback", get(check_url).post(receive)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/wecom/callback"), r, rx)
}

async fn post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

async fn next(rx: &mut mpsc::UnboundedReceiver<String>, secs: u64) -> String {
    tokio::time::timeout(Duration::from_secs(secs), rx.recv())
        .await
        .expect("a callback in time")
        .expect("the receiver runs")
}

#[tokio::test]
async fn a_customers_message_is_called_back_encrypted_and_its_token_reads_it() {
    let sbx = wecom::start(WecomConfig::default(), 0).await.unwrap();
    let base = sbx.base_url();
    let corp = sbx.corp_id();
    let (url, _r, mut rx) = start_receiver(&corp, AES_KEY, 0).await;
    let set =
        post(&format!("{base}/__sandbox/callback"), json!({"url": url, "token": TOKEN, "encoding_aes_key": AES_KEY}))
            .await;
    assert_eq!(set["errcode"], 0, "{set}");

    let wrote = post(&format!("{base}/__sandbox/customers/message"), json!({"text": "在吗？想问下发货时间"})).await;
    assert_eq!(wrote["errcode"], 0, "{wrote}");
    let xml = next(&mut rx, 10).await;
    assert_eq!(xml_field(&xml, "ToUserName").as_deref(), Some(corp.as_str()));
    assert_eq!(xml_field(&xml, "MsgType").as_deref(), Some("event"));
    assert_eq!(xml_field(&xml, "Event").as_deref(), Some("kf_msg_or_event"));
    assert_eq!(xml_field(&xml, "OpenKfId").as_deref(), wrote["open_kfid"].as_str());
    let token = xml_field(&xml, "Token").unwrap();
    assert_eq!(Some(token.as_str()), wrote["token"].as_str());

    // The Token reads the customer's message with sync_msg, as WeCom's would.
    let access = reqwest::get(format!("{base}/cgi-bin/gettoken?corpid={corp}&corpsecret={}", sbx.secret()))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut cursor = String::new();
    let mut texts = Vec::new();
    loop {
        let page = post(
            &format!("{base}/cgi-bin/kf/sync_msg?access_token={access}"),
            json!({"token": token, "open_kfid": wrote["open_kfid"], "cursor": cursor, "limit": 1000}),
        )
        .await;
        assert_eq!(page["errcode"], 0, "{page}");
        texts.extend(
            page["msg_list"].as_array().unwrap().iter().filter_map(|m| m["text"]["content"].as_str().map(String::from)),
        );
        cursor = page["next_cursor"].as_str().unwrap_or_default().to_string();
        if page["has_more"] != 1 {
            break;
        }
    }
    assert!(texts.iter().any(|t| t == "在吗？想问下发货时间"), "{texts:?}");
}

#[tokio::test]
async fn an_unanswered_callback_is_sent_again() {
    let sbx = wecom::start(WecomConfig::default(), 0).await.unwrap();
    let base = sbx.base_url();
    let (url, r, mut rx) = start_receiver(&sbx.corp_id(), AES_KEY, 2).await;
    assert_eq!(
        post(&format!("{base}/__sandbox/callback"), json!({"url": url, "token": TOKEN, "encoding_aes_key": AES_KEY}))
            .await["errcode"],
        0
    );
    post(&format!("{base}/__sandbox/customers/message"), json!({"text": "有人吗"})).await;
    // Refused twice (1 s, then 2 s later), opened on the third try.
    let xml = next(&mut rx, 15).await;
    assert_eq!(xml_field(&xml, "Event").as_deref(), Some("kf_msg_or_event"));
    assert_eq!(r.posts.load(Ordering::SeqCst), 3);
    let seen = reqwest::get(format!("{base}/__sandbox/callback")).await.unwrap().json::<Value>().await.unwrap();
    let d = &seen["deliveries"][0];
    assert_eq!((d["attempts"].as_u64(), d["delivered"].as_bool()), (Some(3), Some(true)), "{seen}");
    assert!(
        !seen.to_string().contains(TOKEN) && !seen.to_string().contains(AES_KEY),
        "the control shows no secret: {seen}"
    );
}

#[tokio::test]
async fn a_url_that_cannot_open_the_check_is_not_saved() {
    let sbx = wecom::start(WecomConfig::default(), 0).await.unwrap();
    let base = sbx.base_url();
    // The receiver has another key: it cannot open the echostr, so it cannot answer it.
    let (url, r, _rx) = start_receiver(&sbx.corp_id(), "cD0d7jx4tYvVtzqrmh3Dm3QFCXe6f8SlHoMtMh3qQEP", 0).await;
    let set =
        post(&format!("{base}/__sandbox/callback"), json!({"url": url, "token": TOKEN, "encoding_aes_key": AES_KEY}))
            .await;
    assert_eq!(set["errcode"], 40097, "{set}");
    assert!(set["errmsg"].as_str().unwrap().contains("verification failed"), "{set}");
    let seen = reqwest::get(format!("{base}/__sandbox/callback")).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(seen["url"], Value::Null);
    post(&format!("{base}/__sandbox/customers/message"), json!({"text": "在吗"})).await;
    // A callback is queued (and listed) as the message is logged: none was.
    let seen = reqwest::get(format!("{base}/__sandbox/callback")).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(seen["deliveries"], json!([]), "nothing is posted to a URL that was not saved");
    assert_eq!(r.posts.load(Ordering::SeqCst), 0);
    for bad in [
        json!({"url": url, "token": TOKEN, "encoding_aes_key": "short"}),
        json!({"url": "ftp://x", "token": TOKEN, "encoding_aes_key": AES_KEY}),
    ] {
        assert_eq!(post(&format!("{base}/__sandbox/callback"), bad).await["errcode"], 40097);
    }
}
