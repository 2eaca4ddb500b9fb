//! Secrets at rest: AES-256-GCM under the operator's key, a fresh nonce per value
//! (`nonce ‖ ciphertext`). The database and its backups never hold a WeChat secret in the clear.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub struct Sealer {
    cipher: Aes256Gcm,
}

impl Sealer {
    pub fn new(key: [u8; 32]) -> Sealer {
        Sealer { cipher: Aes256Gcm::new(&key.into()) }
    }

    /// From the operator's key: 32 bytes in base64.
    pub fn from_base64(key: &str) -> Result<Sealer, String> {
        let bytes = STANDARD.decode(key.trim()).map_err(|_| "the server key is not base64".to_string())?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| "the server key must be 32 bytes".to_string())?;
        Ok(Sealer::new(key))
    }

    pub fn seal(&self, plain: &str) -> Vec<u8> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).expect("the OS random source");
        let mut out = nonce.to_vec();
        out.extend(self.cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).expect("AES-GCM seals any length"));
        out
    }

    /// The value sealed by [`Sealer::seal`]; `None` when it was sealed under another key or
    /// changed since.
    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, body) = sealed.split_at(12);
        String::from_utf8(self.cipher.decrypt(Nonce::from_slice(nonce), body).ok()?).ok()
    }
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let s = Sealer::new([7; 32]);
        let sealed = s.seal("corp-secret-value");
        assert!(!sealed.windows(6).any(|w| w == b"secret"), "not in the clear");
        assert_ne!(s.seal("corp-secret-value"), sealed, "a fresh nonce each time");
        assert_eq!(s.open(&sealed).as_deref(), Some("corp-secret-value"));
        assert_eq!(Sealer::new([8; 32]).open(&sealed), None);
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(s.open(&changed), None);
        assert!(Sealer::from_base64("short").is_err());
    }
}
