//! Secrets against a real Secret Service (gnome-keyring on a private D-Bus session, throwaway
//! HOME). Ignored by a plain `cargo test`; `make test` runs it inside
//! `dbus-run-session` with an unlocked gnome-keyring-daemon, where a missing service fails it.

use kefudesk_lib::secrets::{self, SecretKind};
use kefudesk_lib::wechat::Secret;

#[test]
#[ignore = "needs an unlocked Secret Service: run through `make test`"]
fn save_read_back_replace_delete_in_the_real_keyring() {
    secrets::init_os_store().expect("a Secret Service on the session bus (make test starts gnome-keyring)");
    let id = format!("e2e-{}", std::process::id());
    secrets::save_blocking(&id, SecretKind::AppSecret, &Secret::new("first-秘密")).unwrap();
    // Read back through a fresh store and entry: the value really is in the keyring.
    secrets::init_os_store().unwrap();
    assert_eq!(secrets::load_blocking(&id, SecretKind::AppSecret).unwrap().unwrap().expose(), "first-秘密");
    secrets::save_blocking(&id, SecretKind::AppSecret, &Secret::new("second")).unwrap();
    assert_eq!(secrets::load_blocking(&id, SecretKind::AppSecret).unwrap().unwrap().expose(), "second");
    assert_eq!(secrets::load_blocking(&id, SecretKind::RelayCredential).unwrap(), None);
    // The item is visible to other Secret Service clients under KefuDesk's service name.
    let found = std::process::Command::new("secret-tool")
        .args(["search", "service", secrets::SERVICE])
        .output()
        .expect("secret-tool (libsecret-tools)");
    assert!(String::from_utf8_lossy(&found.stdout).contains(&id) || String::from_utf8_lossy(&found.stderr).contains(&id), "secret-tool lists the entry");
    secrets::delete_blocking(&id).unwrap();
    assert_eq!(secrets::load_blocking(&id, SecretKind::AppSecret).unwrap(), None);
}

#[test]
#[ignore = "needs a session without a Secret Service: run through `make test`"]
fn without_a_secret_service_the_error_says_so() {
    // make test runs this with DBUS_SESSION_BUS_ADDRESS pointing nowhere and no DISPLAY.
    let err = secrets::init_os_store()
        .and_then(|_| secrets::save_blocking("absent", SecretKind::AppSecret, &Secret::new("s3cr3t-value")))
        .expect_err("there is no Secret Service here");
    assert!(matches!(err, secrets::KeyringError::Unavailable(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("s3cr3t-value"));
}
