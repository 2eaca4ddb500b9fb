//! What the server's tests share: a private PostgreSQL, server instances on it, the WeCom
//! sandbox connected through the API with its callback set, staff signed in from "desktops"
//! over real HTTP, and their live updates.

#![allow(dead_code)] // each test file uses its part

use std::time::{Duration, Instant};

use kefu_sandbox::wecom::{self, WecomConfig};
use kefu_server::{start, Config, ServerHandle};
use kefu_testpg::TempPostgres;
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const TOKEN: &str = "kefuServerToken1";
pub const AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

pub async fn server(url: &str) -> ServerHandle {
    start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: url.into(),
        sealer: kefu_server::sealer::Sealer::new([42; 32]),
    })
    .await
    .unwrap()
}

/// One desktop signed in (or not) to one server instance.
#[derive(Clone)]
pub struct Desk {
    pub base: String,
    pub token: String,
    pub http: reqwest::Client,
}

impl Desk {
    pub fn new(server: &ServerHandle) -> Desk {
        Desk { base: format!("http://{}", server.addr), token: String::new(), http: reqwest::Client::new() }
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if !self.token.is_empty() {
            r = r.bearer_auth(&self.token);
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    /// Signs in as `login` from the desktop called `desktop`.
    pub async fn sign_in(server: &ServerHandle, login: &str, password: &str, desktop: &str) -> Desk {
        let mut d = Desk::new(server);
        let (status, body) =
            d.post("/api/v1/login", json!({"login": login, "password": password, "desktop": desktop})).await;
        assert_eq!(status, 200, "{login} signs in: {body}");
        d.token = body["token"].as_str().unwrap().to_string();
        d
    }

    /// The live updates of this desktop.
    pub async fn listen(&self) -> Live {
        let res = self.http.get(format!("{}/api/v1/events", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let mut live = Live { res, buf: String::new() };
        assert_eq!(live.next().await["kind"], "hello");
        live
    }
}

/// A desktop's stream of server-sent events.
pub struct Live {
    res: reqwest::Response,
    buf: String,
}

impl Live {
    /// The next event, within 5 s.
    pub async fn next(&mut self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                let data: String =
                    frame.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim).collect::<Vec<_>>().join("\n");
                if data.is_empty() {
                    continue; // a keep-alive
                }
                return serde_json::from_str(&data).unwrap();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.res.chunk()).await.expect("an event within 5 s").unwrap();
            match chunk {
                Some(c) => self.buf.push_str(&String::from_utf8_lossy(&c)),
                None => return json!({"kind": "<end of stream>"}),
            }
        }
    }

    /// The next event of `kind`, skipping others.
    pub async fn next_of(&mut self, kind: &str) -> Value {
        loop {
            let e = self.next().await;
            if e["kind"] == kind {
                return e;
            }
        }
    }
}

pub async fn sandbox_post(base: &str, path: &str, body: Value) -> Value {
    reqwest::Client::new().post(format!("{base}{path}")).json(&body).send().await.unwrap().json().await.unwrap()
}

pub async fn sent_at_sandbox(base: &str) -> Vec<Value> {
    let v: Value = reqwest::get(format!("{base}/__sandbox/sent")).await.unwrap().json().await.unwrap();
    v["sent"].as_array().unwrap().clone()
}

/// A server (or two, on one database) with the WeCom sandbox connected by its admin, the
/// callback set, and an agent `lin` (林晓) granted the first account and a supervisor `zhou`
/// (周敏), both with the password [`STAFF_PASSWORD`].
pub struct Team {
    pub pg: TempPostgres,
    pub one: ServerHandle,
    pub two: Option<ServerHandle>,
    pub first_admin: (String, String),
    pub sandbox: wecom::WecomSandboxHandle,
    pub admin: Desk,
    pub corp: i64,
    pub granted: String,
    pub other: String,
    pub lin: i64,
}

pub const STAFF_PASSWORD: &str = "a long password 1";

impl Team {
    pub async fn start(instances: usize) -> Team {
        let pg = TempPostgres::start();
        let url = pg.create_database("kefu");
        let one = server(&url).await;
        let two = if instances > 1 { Some(server(&url).await) } else { None };
        let first_admin = one.first_admin.clone().expect("a fresh server makes its first admin");
        if let Some(two) = &two {
            assert!(two.first_admin.is_none(), "one first admin, however many instances");
        }
        let sandbox = wecom::start(WecomConfig::default(), 0).await.unwrap();
        let base = sandbox.base_url();
        let admin = Desk::sign_in(&one, &first_admin.0, &first_admin.1, "office").await;
        let (status, connected) = admin
            .post(
                "/api/v1/wecom/corps",
                json!({"corp_id": sandbox.corp_id(), "secret": sandbox.secret(), "callback_token": TOKEN,
                       "encoding_aes_key": AES_KEY, "api_base": base}),
            )
            .await;
        assert_eq!(status, 200, "{connected}");
        let corp = connected["id"].as_i64().unwrap();
        let (_, corps) = admin.get("/api/v1/wecom/corps").await;
        assert!(!corps.to_string().contains(&sandbox.secret()), "a secret came back: {corps}");
        let callback = format!("http://{}{}", one.addr, connected["callback_path"].as_str().unwrap());
        let set = sandbox_post(
            &base,
            "/__sandbox/callback",
            json!({"url": callback, "token": TOKEN, "encoding_aes_key": AES_KEY}),
        )
        .await;
        assert_eq!(set["errcode"], 0, "{set}");
        let (_, listed) = admin.get("/api/v1/wecom/accounts").await;
        let accounts = listed["corps"][0]["accounts"].as_array().unwrap().clone();
        assert!(accounts.len() >= 2, "{listed}");
        let id = |i: usize| accounts[i]["open_kfid"].as_str().unwrap().to_string();
        let (granted, other) = (id(0), id(1));
        for (l, n, role) in [("lin", "林晓", "agent"), ("zhou", "周敏", "supervisor")] {
            let (status, body) = admin
                .post("/api/v1/staff", json!({"login": l, "name": n, "role": role, "password": STAFF_PASSWORD}))
                .await;
            assert_eq!(status, 200, "{body}");
        }
        let (_, team) = admin.get("/api/v1/staff").await;
        let lin = team["staff"].as_array().unwrap().iter().find(|s| s["staff"]["login"] == "lin").unwrap()["staff"]
            ["id"]
            .as_i64()
            .unwrap();
        let (status, _) = admin
            .put(&format!("/api/v1/staff/{lin}/grants"), json!({"wecom": [{"corp": corp, "open_kfid": granted}]}))
            .await;
        assert_eq!(status, 200);
        Team { pg, one, two, first_admin, sandbox, admin, corp, granted, other, lin }
    }

    /// A customer writes `text` to `open_kfid`; their external_userid.
    pub async fn customer_writes(&self, open_kfid: &str, text: &str) -> String {
        let wrote = sandbox_post(
            &self.sandbox.base_url(),
            "/__sandbox/customers/message",
            json!({"text": text, "open_kfid": open_kfid}),
        )
        .await;
        assert_eq!(wrote["errcode"], 0, "{wrote}");
        wrote["external_userid"].as_str().unwrap().to_string()
    }
}
