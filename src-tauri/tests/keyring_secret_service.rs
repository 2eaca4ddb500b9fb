//! Secrets against a real Secret Service (gnome-keyring on a private D-Bus session, throwaway
//! HOME). Ignored by a plain `cargo test`; `make test` runs every test of this file (no name
//! filter, so a renamed test cannot silently run nothing) inside `dbus-run-session` with an
//! unlocked gnome-keyring-daemon, where a missing service fails it. The opposite case, no Secret
//! Service at all, is `keyring_unavailable.rs`.

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
    // The proxy password is a separate item of the same profile, and forgetting the profile
    // removes it too.
    secrets::save_blocking(&id, SecretKind::ProxyPassword, &Secret::new("proxy-口令")).unwrap();
    assert_eq!(secrets::load_blocking(&id, SecretKind::ProxyPassword).unwrap().unwrap().expose(), "proxy-口令");
    assert_eq!(secrets::load_blocking(&id, SecretKind::AppSecret).unwrap().unwrap().expose(), "second");
    // The item is visible to other Secret Service clients under KefuDesk's service name.
    let found = std::process::Command::new("secret-tool")
        .args(["search", "service", secrets::SERVICE])
        .output()
        .expect("secret-tool (libsecret-tools)");
    assert!(
        String::from_utf8_lossy(&found.stdout).contains(&id) || String::from_utf8_lossy(&found.stderr).contains(&id),
        "secret-tool lists the entry"
    );
    secrets::delete_blocking(&id).unwrap();
    for kind in SecretKind::ALL {
        assert_eq!(secrets::load_blocking(&id, kind).unwrap(), None, "{kind:?} forgotten with the profile");
    }
}
