//! `kefu-sandbox`: serves the built-in WeChat sandbox on its own, for manual testing and for
//! any other WeChat client: `kefu-sandbox [--platform mp|wecom] --port 9000 [--seed N] [--empty]`.

use kefudesk_lib::sandbox::wecom::{self, WecomConfig};
use kefudesk_lib::sandbox::{self, mp::MpConfig};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

const USAGE: &str = "usage: kefu-sandbox [--platform mp|wecom] [--port PORT] [--seed N] [--empty] [--unverified]
  --platform   mp: Official Account customer service (default); wecom: WeCom 微信客服
  --port PORT  listen on 127.0.0.1:PORT (default 9000 for mp, 9001 for wecom; 0 = any free port)
  --seed N     seed of the demo data
  --empty      start without demo data
  --unverified (wecom) an unverified corp: at most 10 kf accounts";

#[derive(Debug, PartialEq)]
enum Platform {
    Mp,
    Wecom,
}

struct Args {
    platform: Platform,
    port: Option<u16>,
    seed: Option<u64>,
    empty: bool,
    unverified: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args { platform: Platform::Mp, port: None, seed: None, empty: false, unverified: false };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--platform" => {
                a.platform = match value("--platform")?.as_str() {
                    "mp" => Platform::Mp,
                    "wecom" => Platform::Wecom,
                    other => return Err(format!("--platform: {other:?} is neither mp nor wecom")),
                }
            }
            "--port" => a.port = Some(value("--port")?.parse().map_err(|e| format!("--port: {e}"))?),
            "--seed" => a.seed = Some(value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?),
            "--empty" => a.empty = true,
            "--unverified" => a.unverified = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(a)
}

/// Prints the start-up banner in one write. A reader that stops listening once it has the base
/// URL (a test, a script's `head`) must not take the sandbox down: `println!` would panic on the
/// closed pipe and end the process mid-request, so a failed write is ignored.
fn banner(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn fail(port: u16, e: std::io::Error) -> ! {
    eprintln!("kefu-sandbox: cannot listen on 127.0.0.1:{port}: {e}");
    std::process::exit(1);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a = match parse(&args) {
        Ok(v) => v,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("kefu-sandbox: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if e.is_empty() { 0 } else { 2 });
        }
    };
    tracing_subscriber::fmt().with_writer(std::io::stderr).finish().with(kefudesk_lib::logs::filter()).init();
    match a.platform {
        Platform::Mp => {
            let mut cfg = MpConfig { demo_data: !a.empty, ..MpConfig::default() };
            cfg.seed = a.seed.unwrap_or(cfg.seed);
            let port = a.port.unwrap_or(9000);
            let sb = sandbox::mp::start(cfg, port).await.unwrap_or_else(|e| fail(port, e));
            banner(&format!(
                "KefuDesk WeChat sandbox (Official Account customer service)\n\
                 \x20 base URL      {base}\n\
                 \x20 AppID         {appid}\n\
                 \x20 AppSecret     {secret}   (demo credentials, public by design)\n\
                 \x20 OA WeChat ID  {oa}   (kf accounts are prefix@{oa})\n\
                 \x20 try:          curl -X POST {base}/cgi-bin/stable_token -d '{{\"grant_type\":\"client_credential\",\"appid\":\"{appid}\",\"secret\":\"{secret}\"}}'\n\
                 \x20 control:      {base}/__sandbox/info  (faults, clock, customers writing: see docs/sandbox.md)\n",
                base = sb.base_url(),
                appid = sb.appid(),
                secret = sb.secret(),
                oa = sb.oa_wechat_id(),
            ));
        }
        Platform::Wecom => {
            let mut cfg = WecomConfig { demo_data: !a.empty, verified: !a.unverified, ..WecomConfig::default() };
            cfg.seed = a.seed.unwrap_or(cfg.seed);
            let port = a.port.unwrap_or(9001);
            let sb = wecom::start(cfg, port).await.unwrap_or_else(|e| fail(port, e));
            banner(&format!(
                "KefuDesk WeChat sandbox (WeCom 微信客服)\n\
                 \x20 base URL      {base}\n\
                 \x20 CorpID        {corp}\n\
                 \x20 Secret        {secret}   (demo credentials, public by design)\n\
                 \x20 try:          curl '{base}/cgi-bin/gettoken?corpid={corp}&corpsecret={secret}'\n\
                 \x20 control:      {base}/__sandbox/info  (directory, servicer status, faults, clock: see docs/sandbox.md)\n",
                base = sb.base_url(),
                corp = sb.corp_id(),
                secret = sb.secret(),
            ));
        }
    }
    tokio::signal::ctrl_c().await.ok();
}
