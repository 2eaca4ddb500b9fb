//! Staff passwords: argon2id (the crate's defaults, OWASP's minimum: 19 MiB, 2 passes) in PHC
//! strings, hashed and checked off the async threads.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// The shortest password a staff member may choose, in characters.
pub const MIN_CHARS: usize = 10;
/// The longest (argon2 takes any length; this bounds the work a request can ask for).
pub const MAX_CHARS: usize = 200;

/// Whether `password` may be chosen; why not, otherwise.
pub fn check_new(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(format!("a password has at least {MIN_CHARS} characters"));
    }
    if n > MAX_CHARS {
        return Err(format!("a password has at most {MAX_CHARS} characters"));
    }
    Ok(())
}

pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
    })
    .await
    .expect("hashing does not panic")
}

/// Whether `password` matches `phc`; an unknown login is checked against a fixed hash so that
/// both take the same time.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let phc = phc.unwrap_or_else(|| DUMMY.to_string());
        PasswordHash::new(&phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            && phc != DUMMY
    })
    .await
    .unwrap_or(false)
}

/// An argon2id hash of a random password nobody knows.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0w8hFQ+5wUcXDTJ0qeWi9iq4ZZFZi1vaQZ7yIYCLbqQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_checks_its_password_only() {
        let h = hash("correct horse battery".into()).await;
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("correct horse batterY".into(), Some(h)).await);
        assert!(!verify("anything".into(), None).await, "an unknown login never passes");
        assert!(check_new("short").is_err() && check_new("long enough now").is_ok());
    }
}
