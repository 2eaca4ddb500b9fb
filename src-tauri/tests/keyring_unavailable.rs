//! Secrets with no Secret Service on the session: the error says so and never carries the secret.
//! Ignored by a plain `cargo test`; `make test` runs every test of this file with
//! `DBUS_SESSION_BUS_ADDRESS` pointing nowhere and no `DISPLAY`.

use kefudesk_lib::secrets::{self, SecretKind};
use kefudesk_lib::wechat::Secret;

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
