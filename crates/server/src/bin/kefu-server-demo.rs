//! `make server`: KefuDesk Server on a throwaway PostgreSQL (gone when this stops), with the
//! WeCom and Official Account sandboxes connected and calling back, so the whole team system
//! runs on one computer, offline. Prints the addresses; Ctrl+C stops everything.

use kefu_sandbox::mp::{self, MpConfig};
use kefu_sandbox::wecom::{self, WecomConfig};
use kefu_server::demo::{connect_mp_sandbox, connect_wecom_sandbox};

#[tokio::main]
async fn main() {
    kefu_server::init_logging();
    let pg = kefu_testpg::TempPostgres::start();
    let database_url = pg.create_database("kefu");
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the OS random source");
    let listen = std::env::var("KEFU_SERVER_LISTEN").unwrap_or_else(|_| "127.0.0.1:8700".into());
    let config = kefu_server::Config {
        listen: listen.parse().expect("KEFU_SERVER_LISTEN is an address"),
        database_url: database_url.clone(),
        sealer: kefu_server::sealer::Sealer::new(key),
    };
    let server = kefu_server::start(config).await.unwrap_or_else(|e| panic!("the server did not start: {e}"));
    let sandbox = wecom::start(WecomConfig::default(), 0).await.expect("the WeCom sandbox starts");
    let corp = connect_wecom_sandbox(&server, &sandbox.base_url(), &sandbox.corp_id(), &sandbox.secret())
        .await
        .unwrap_or_else(|e| panic!("the sandbox corp does not connect: {e}"));
    let callback = format!("http://{}/callbacks/wecom/{corp}", server.addr);
    let mp_sandbox = mp::start(MpConfig::default(), 0).await.expect("the Official Account sandbox starts");
    let account = connect_mp_sandbox(&server, &mp_sandbox.base_url(), &mp_sandbox.appid(), &mp_sandbox.secret())
        .await
        .unwrap_or_else(|e| panic!("the sandbox account does not connect: {e}"));
    println!("KefuDesk Server   http://{}", server.addr);
    if let Some((login, password)) = &server.first_admin {
        println!("  first admin     {login} / {password}");
    }
    println!("  database        {database_url} (throwaway)");
    println!("  WeCom sandbox   {} (corp {}), calling back {callback}", sandbox.base_url(), sandbox.corp_id());
    println!(
        "  MP sandbox      {} (safe mode), pushing to http://{}/callbacks/mp/{account}",
        mp_sandbox.base_url(),
        server.addr
    );
    println!(
        "A customer writes: curl -s -H 'Content-Type: application/json' -d '{{\"text\": \"在吗？\"}}' {}/__sandbox/customers/message",
        sandbox.base_url()
    );
    println!("Archived: psql {database_url} -c 'select send_time, body from wecom_messages'");
    println!(
        "In KefuDesk (make run): Settings → Connect to KefuDesk Server → http://{} and the admin's login.",
        server.addr
    );
    println!("Ctrl+C stops the server and removes the database.");
    // Ctrl+C or a polite kill: either way the database goes with it.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a signal handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    drop(pg);
}
