//! `kefu-server`: runs KefuDesk Server with the settings of the environment (see `Config`).

#[tokio::main]
async fn main() {
    kefu_server::init_logging();
    let config = match kefu_server::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kefu-server: {e}");
            std::process::exit(2);
        }
    };
    match kefu_server::start(config).await {
        Ok(handle) => {
            println!("KefuDesk Server: http://{}", handle.addr);
            // On stdout, once, never in the log: the operator passes it on and it is changed.
            if let Some((login, password)) = handle.first_admin {
                println!("First admin (shown only now; change the password after signing in): {login} / {password}");
            }
        }
        Err(e) => {
            eprintln!("kefu-server: {e}");
            std::process::exit(1);
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
