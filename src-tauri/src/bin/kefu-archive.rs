//! `kefu-archive`: reads a WeCom corp's kf messages into an archive file with the app's own
//! reader — for tests that kill it mid-run and for the archive benchmark.
//! `KEFU_CORP_SECRET=… kefu-archive --base URL --corpid ww… --db FILE --open-kfid wk… [--token T]`
//! (the secret comes from the environment, never the command line).

use std::sync::Arc;

use kefudesk_lib::wechat::wecom::WecomClient;
use kefudesk_lib::wechat::{ClientConfig, Secret, TokenSource};
use kefudesk_lib::wecom::archive::{sync_account, Archive};

const USAGE: &str = "usage: KEFU_CORP_SECRET=... kefu-archive --base URL --corpid ID --db FILE --open-kfid ID [--open-kfid ID…] [--token TOKEN]";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut base, mut corpid, mut db, mut accounts, mut token) = (None, None, None, Vec::new(), None);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let v = it.next();
        match (a.as_str(), v) {
            ("--base", Some(v)) => base = Some(v),
            ("--corpid", Some(v)) => corpid = Some(v),
            ("--db", Some(v)) => db = Some(v),
            ("--open-kfid", Some(v)) => accounts.push(v),
            ("--token", Some(v)) => token = Some(v),
            _ => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let (Some(base), Some(corpid), Some(db), Ok(secret)) = (base, corpid, db, std::env::var("KEFU_CORP_SECRET")) else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let archive = Arc::new(Archive::open(std::path::Path::new(&db)).unwrap_or_else(|e| {
        eprintln!("kefu-archive: cannot open {db}: {e}");
        std::process::exit(1);
    }));
    let client =
        WecomClient::new(ClientConfig::new(base), TokenSource::WecomCorp { corpid, secret: Secret::new(secret) })
            .expect("client");
    for k in &accounts {
        match sync_account(&client, &archive, k, token.as_deref()).await {
            Ok(r) => println!(
                "{k}: {} requests, {} received, {} new, {} empty pages",
                r.requests, r.received, r.new, r.empty_pages
            ),
            Err(e) => {
                eprintln!("kefu-archive: {k}: {e}");
                std::process::exit(1);
            }
        }
    }
}
