//! `kefu-sandbox`: serves the built-in WeChat sandbox on its own, for manual testing and for
//! any other WeChat client. `kefu-sandbox --port 9000 [--seed N] [--empty]`.

use kefudesk_lib::sandbox::{self, SandboxConfig};

const USAGE: &str = "usage: kefu-sandbox [--port PORT] [--seed N] [--empty]
  --port PORT  listen on 127.0.0.1:PORT (default 9000; 0 = any free port)
  --seed N     seed of the demo data (default 20261123)
  --empty      start without demo agents, customers and records";

fn parse(args: &[String]) -> Result<(u16, SandboxConfig), String> {
    let mut port = 9000;
    let mut cfg = SandboxConfig::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--port" => port = value("--port")?.parse().map_err(|e| format!("--port: {e}"))?,
            "--seed" => cfg.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--empty" => cfg.demo_data = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((port, cfg))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, cfg) = match parse(&args) {
        Ok(v) => v,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("kefu-sandbox: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if e.is_empty() { 0 } else { 2 });
        }
    };
    tracing_subscriber::fmt().with_env_filter("info,hyper=warn").with_writer(std::io::stderr).init();
    let sb = match sandbox::start(cfg, port).await {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("kefu-sandbox: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    println!("KefuDesk WeChat sandbox (Official Account customer service)");
    println!("  base URL      {}", sb.base_url());
    println!("  AppID         {}", sb.appid());
    println!("  AppSecret     {}   (demo credentials, public by design)", sb.secret());
    println!("  OA WeChat ID  {}   (kf accounts are prefix@{})", sb.oa_wechat_id(), sb.oa_wechat_id());
    println!("  try:          curl -X POST {}/cgi-bin/stable_token -d '{{\"grant_type\":\"client_credential\",\"appid\":\"{}\",\"secret\":\"{}\"}}'", sb.base_url(), sb.appid(), sb.secret());
    println!("  control:      {}/__sandbox/info  (faults, clock, customers writing: see README)", sb.base_url());
    tokio::signal::ctrl_c().await.ok();
}
