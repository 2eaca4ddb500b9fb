//! The Official Account sandbox pushes like WeChat: a server built only on
//! `kefu_wechat::callback` passes the URL check; a customer who is not in a session is pushed
//! to it, in plain or safe mode, and its answer decides — `transfer_customer_service` puts the
//! customer in the kf queue, a passive reply does not, no answer is tried three times.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use kefu_sandbox::mp::{self, MpConfig};
use kefu_wechat::callback::{msg_signature, open_signed, plain_signature, signature_matches, xml_field, CallbackKey};
use serde_json::{json, Value};

const TOKEN: &str = "kefudeskServer7";
const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

/// How the test server answers a push.
#[derive(Clone, Copy)]
enum Answer {
    Transfer,
    Text,
    Fail,
}

#[derive(Clone)]
struct Server {
    appid: String,
    key: Option<CallbackKey>,
    answer: Answer,
    posts: Arc<AtomicU32>,
    /// The messages pushed, as opened: (FromUserName, Content).
    got: Arc<Mutex<Vec<(String, String)>>>,
}

type Q = Query<HashMap<String, String>>;

fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map(String::as_str).unwrap_or_default()
}

async fn check(Query(q): Q) -> (StatusCode, String) {
    if signature_matches(&plain_signature(TOKEN, param(&q, "timestamp"), param(&q, "nonce")), param(&q, "signature")) {
        (StatusCode::OK, param(&q, "echostr").to_string())
    } else {
        (StatusCode::FORBIDDEN, String::new())
    }
}

async fn push(State(s): State<Server>, Query(q): Q, body: String) -> (StatusCode, String) {
    s.posts.fetch_add(1, Ordering::SeqCst);
    if !signature_matches(&plain_signature(TOKEN, param(&q, "timestamp"), param(&q, "nonce")), param(&q, "signature")) {
        return (StatusCode::FORBIDDEN, String::new());
    }
    let xml = match &s.key {
        None => body,
        Some(key) => {
            assert_eq!(param(&q, "encrypt_type"), "aes");
            let enc = xml_field(&body, "Encrypt").unwrap();
            open_signed(
                key,
                TOKEN,
                param(&q, "timestamp"),
                param(&q, "nonce"),
                param(&q, "msg_signature"),
                &enc,
                &s.appid,
            )
            .unwrap()
        }
    };
    let from = xml_field(&xml, "FromUserName").unwrap();
    assert_eq!(param(&q, "openid"), from);
    s.got.lock().unwrap().push((from.clone(), xml_field(&xml, "Content").unwrap_or_default()));
    let reply = match s.answer {
        Answer::Fail => return (StatusCode::INTERNAL_SERVER_ERROR, String::new()),
        Answer::Transfer => format!(
            "<xml><ToUserName><![CDATA[{from}]]></ToUserName><FromUserName><![CDATA[gh_x]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[xiaomei@kefudesk_demo]]></KfAccount></TransInfo></xml>"
        ),
        Answer::Text => format!(
            "<xml><ToUserName><![CDATA[{from}]]></ToUserName><FromUserName><![CDATA[gh_x]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好，我们的营业时间是 9:00–18:00]]></Content></xml>"
        ),
    };
    match &s.key {
        None => (StatusCode::OK, reply),
        Some(key) => {
            let sealed = key.seal(&reply, &s.appid);
            let (ts, nonce) = ("1700000000", "42");
            let sig = msg_signature(TOKEN, ts, nonce, &sealed);
            (
                StatusCode::OK,
                format!("<xml><Encrypt><![CDATA[{sealed}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature><TimeStamp>{ts}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"),
            )
        }
    }
}

async fn start_server(appid: &str, key: Option<&str>, answer: Answer) -> (String, Server) {
    let s = Server {
        appid: appid.into(),
        key: key.map(|k| CallbackKey::new(k).unwrap()),
        answer,
        posts: Arc::new(AtomicU32::new(0)),
        got: Arc::new(Mutex::new(Vec::new())),
    };
    let app = Router::new().route("/mp", get(check).post(push)).with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/mp"), s)
}

async fn post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap()
}

/// A new follower (in no session, not waiting) and the sandbox's view of the queue.
async fn new_customer(base: &str) -> String {
    let v = post(&format!("{base}/__sandbox/customers/event"), json!({"event": "subscribe"})).await;
    v["openid"].as_str().unwrap().to_string()
}

async fn waiting(base: &str, appid: &str, secret: &str) -> Vec<String> {
    let token: Value =
        reqwest::get(format!("{base}/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"))
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

#[tokio::test]
async fn a_transfer_answer_puts_the_customer_in_the_kf_queue() {
    let sbx = mp::start(MpConfig::default(), 0).await.unwrap();
    let (base, appid) = (sbx.base_url(), sbx.appid());
    let (url, server) = start_server(&appid, None, Answer::Transfer).await;
    assert_eq!(post(&format!("{base}/__sandbox/server"), json!({"url": url, "token": TOKEN})).await["errcode"], 0);
    let openid = new_customer(&base).await;
    assert!(!waiting(&base, &appid, &sbx.secret()).await.contains(&openid));

    let wrote =
        post(&format!("{base}/__sandbox/customers/message"), json!({"openid": openid, "text": "我要退货"})).await;
    assert_eq!(wrote["push"]["outcome"], "transfer", "{wrote}");
    assert_eq!(wrote["push"]["kf_account"], "xiaomei@kefudesk_demo");
    assert_eq!(server.got.lock().unwrap().as_slice(), &[(openid.clone(), "我要退货".to_string())]);
    assert!(waiting(&base, &appid, &sbx.secret()).await.contains(&openid), "in the kf queue");
}

#[tokio::test]
async fn in_safe_mode_a_passive_reply_answers_without_queueing() {
    let sbx = mp::start(MpConfig::default(), 0).await.unwrap();
    let (base, appid) = (sbx.base_url(), sbx.appid());
    let (url, server) = start_server(&appid, Some(AES_KEY), Answer::Text).await;
    let set =
        post(&format!("{base}/__sandbox/server"), json!({"url": url, "token": TOKEN, "encoding_aes_key": AES_KEY}))
            .await;
    assert_eq!(set["errcode"], 0, "{set}");
    let openid = new_customer(&base).await;
    let wrote =
        post(&format!("{base}/__sandbox/customers/message"), json!({"openid": openid, "text": "几点营业？"})).await;
    assert_eq!(wrote["push"]["outcome"], "reply", "{wrote}");
    assert_eq!(wrote["push"]["reply"], "您好，我们的营业时间是 9:00–18:00");
    assert_eq!(
        server.got.lock().unwrap().as_slice(),
        &[(openid.clone(), "几点营业？".to_string())],
        "opened with the AppID"
    );
    assert!(!waiting(&base, &appid, &sbx.secret()).await.contains(&openid), "not in the kf queue");
    let seen: Value = reqwest::get(format!("{base}/__sandbox/server")).await.unwrap().json().await.unwrap();
    assert_eq!(seen["safe_mode"], true);
    assert!(!seen.to_string().contains(TOKEN) && !seen.to_string().contains(AES_KEY), "{seen}");
}

#[tokio::test]
async fn an_unanswered_push_is_tried_three_times_and_queues_nobody() {
    let sbx = mp::start(MpConfig::default(), 0).await.unwrap();
    let (base, appid) = (sbx.base_url(), sbx.appid());
    let (url, server) = start_server(&appid, None, Answer::Fail).await;
    assert_eq!(post(&format!("{base}/__sandbox/server"), json!({"url": url, "token": TOKEN})).await["errcode"], 0);
    let openid = new_customer(&base).await;
    let wrote = post(&format!("{base}/__sandbox/customers/message"), json!({"openid": openid, "text": "在吗"})).await;
    assert_eq!(
        (wrote["push"]["outcome"].as_str(), wrote["push"]["attempts"].as_u64()),
        (Some("unanswered"), Some(3)),
        "{wrote}"
    );
    assert_eq!(server.posts.load(Ordering::SeqCst), 3);
    assert!(!waiting(&base, &appid, &sbx.secret()).await.contains(&openid));
}

#[tokio::test]
async fn a_server_that_does_not_echo_is_refused_and_server_mode_stays_off() {
    let sbx = mp::start(MpConfig::default(), 0).await.unwrap();
    let base = sbx.base_url();
    let (url, server) = start_server(&sbx.appid(), None, Answer::Transfer).await;
    let set = post(&format!("{base}/__sandbox/server"), json!({"url": url, "token": "anotherToken"})).await;
    assert_eq!(set["errcode"], 40097, "{set}");
    let openid = new_customer(&base).await;
    let wrote = post(&format!("{base}/__sandbox/customers/message"), json!({"openid": openid, "text": "在吗"})).await;
    assert_eq!(wrote["errcode"], 0);
    assert_eq!(wrote.get("push"), None, "no server: the message went to the kf queue directly");
    assert_eq!(server.posts.load(Ordering::SeqCst), 0);
    assert!(waiting(&base, &sbx.appid(), &sbx.secret()).await.contains(&openid));
}
