//! The crypto of WeChat's callbacks, the same on both platforms: WeCom's every callback and the
//! Official Account's safe mode (安全模式). The receiver of callbacks (KefuDesk Server) opens
//! and checks them; the sandboxes seal them, so the whole system runs offline.
//!
//! - `msg_signature` = hex(SHA-1(the sorted concatenation of Token, timestamp, nonce and the
//!   ciphertext)); the Official Account's plain mode signs without the ciphertext (`signature`).
//! - The key is `base64(EncodingAESKey + "=")`, 32 bytes; AES-256-CBC with the key's first 16
//!   bytes as IV; PKCS#7 padding to a multiple of **32** bytes.
//! - The plaintext is `random(16) ‖ length (4 bytes, big-endian) ‖ message ‖ receiveid`, where
//!   receiveid is the CorpID (WeCom) or the AppID (the Official Account): checked on opening.
//!
//! Official pages: WeCom 加解密方案说明 <https://developer.work.weixin.qq.com/document/path/91144>,
//! the Official Account 消息加解密说明
//! <https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html>.
//! Errors name what failed, never the Token, the key or the message.

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha1::{Digest, Sha1};

/// The EncodingAESKey is 43 random base64 characters: its last one usually carries bits that a
/// strict decoder refuses (with the "=" appended, 2 bits are left over), so they are allowed.
const KEY_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);
/// PKCS#7 as WeChat pads: to a multiple of 32 bytes (not AES's 16).
const PAD_BLOCK: usize = 32;
/// A callback whose timestamp is further than this from now is refused (a replay, or a clock far
/// off): WeChat retries for well under a minute, so five minutes either way is generous.
pub const MAX_SKEW_SECS: i64 = 300;

/// Why a callback was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackError {
    /// The EncodingAESKey is not 43 characters of base64.
    BadKey,
    /// The signature does not match: not from WeChat, or another account's Token.
    BadSignature,
    /// The ciphertext is not base64, or not whole blocks, or its padding or length is wrong.
    BadCiphertext,
    /// It opened, but it is addressed to another corp or app.
    WrongReceiver,
    /// The timestamp is missing, not a number, or too far from now.
    StaleTimestamp,
    /// The envelope is not the XML WeChat sends (no `Encrypt`).
    BadXml,
}

impl std::fmt::Display for CallbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CallbackError::BadKey => "the EncodingAESKey must be 43 letters and digits",
            CallbackError::BadSignature => "the callback's signature does not match",
            CallbackError::BadCiphertext => "the callback's ciphertext cannot be opened",
            CallbackError::WrongReceiver => "the callback is for another corp or app",
            CallbackError::StaleTimestamp => "the callback's timestamp is stale or invalid",
            CallbackError::BadXml => "the callback's XML is not readable",
        })
    }
}

impl std::error::Error for CallbackError {}

/// The AES key of one account's callbacks, from its EncodingAESKey.
#[derive(Clone)]
pub struct CallbackKey {
    key: [u8; 32],
}

impl std::fmt::Debug for CallbackKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallbackKey(..)")
    }
}

impl CallbackKey {
    /// From the 43-character EncodingAESKey set in the admin console.
    pub fn new(encoding_aes_key: &str) -> Result<Self, CallbackError> {
        if encoding_aes_key.len() != 43 {
            return Err(CallbackError::BadKey);
        }
        let bytes = KEY_BASE64.decode(format!("{encoding_aes_key}=")).map_err(|_| CallbackError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CallbackError::BadKey)?;
        Ok(CallbackKey { key })
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.key[..16]);
        iv
    }

    /// Opens `msg_encrypt` (base64) and checks that it is addressed to `receive_id` (the CorpID
    /// or the AppID): the message inside.
    pub fn open(&self, msg_encrypt: &str, receive_id: &str) -> Result<String, CallbackError> {
        let cipher = STANDARD.decode(msg_encrypt.trim()).map_err(|_| CallbackError::BadCiphertext)?;
        if cipher.is_empty() || cipher.len() % 16 != 0 {
            return Err(CallbackError::BadCiphertext);
        }
        let plain = cbc::Decryptor::<aes::Aes256>::new(&self.key.into(), &self.iv().into())
            .decrypt_padded_vec_mut::<NoPadding>(&cipher)
            .map_err(|_| CallbackError::BadCiphertext)?;
        let pad = usize::from(*plain.last().ok_or(CallbackError::BadCiphertext)?);
        if pad == 0
            || pad > PAD_BLOCK
            || pad > plain.len()
            || plain[plain.len() - pad..].iter().any(|&b| usize::from(b) != pad)
        {
            return Err(CallbackError::BadCiphertext);
        }
        let body = &plain[..plain.len() - pad];
        if body.len() < 20 {
            return Err(CallbackError::BadCiphertext);
        }
        let len = u32::from_be_bytes([body[16], body[17], body[18], body[19]]) as usize;
        let rest = &body[20..];
        if len > rest.len() {
            return Err(CallbackError::BadCiphertext);
        }
        let (msg, receiver) = rest.split_at(len);
        if receiver != receive_id.as_bytes() {
            return Err(CallbackError::WrongReceiver);
        }
        String::from_utf8(msg.to_vec()).map_err(|_| CallbackError::BadCiphertext)
    }

    /// Seals `msg` for `receive_id` as WeChat does (16 random bytes first): base64.
    pub fn seal(&self, msg: &str, receive_id: &str) -> String {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).expect("the OS random source");
        self.seal_with(random, msg, receive_id)
    }

    /// [`CallbackKey::seal`] with the random prefix given (tests compare with known vectors).
    pub fn seal_with(&self, random: [u8; 16], msg: &str, receive_id: &str) -> String {
        let mut plain = Vec::with_capacity(20 + msg.len() + receive_id.len() + PAD_BLOCK);
        plain.extend_from_slice(&random);
        plain.extend_from_slice(&(msg.len() as u32).to_be_bytes());
        plain.extend_from_slice(msg.as_bytes());
        plain.extend_from_slice(receive_id.as_bytes());
        let pad = PAD_BLOCK - plain.len() % PAD_BLOCK;
        plain.extend(std::iter::repeat_n(pad as u8, pad));
        let cipher = cbc::Encryptor::<aes::Aes256>::new(&self.key.into(), &self.iv().into())
            .encrypt_padded_vec_mut::<NoPadding>(&plain);
        STANDARD.encode(cipher)
    }
}

/// `msg_signature`: hex SHA-1 of the sorted concatenation of the four values.
pub fn msg_signature(token: &str, timestamp: &str, nonce: &str, msg_encrypt: &str) -> String {
    sorted_sha1(&mut [token, timestamp, nonce, msg_encrypt])
}

/// The Official Account's plain-mode `signature` (also its URL check): Token, timestamp, nonce.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    sorted_sha1(&mut [token, timestamp, nonce])
}

fn sorted_sha1(parts: &mut [&str]) -> String {
    parts.sort_unstable();
    let mut sha = Sha1::new();
    for p in parts.iter() {
        sha.update(p.as_bytes());
    }
    hex::encode(sha.finalize())
}

/// Compares a received signature with the expected one in constant time (case-insensitive hex).
pub fn signature_matches(expected: &str, received: &str) -> bool {
    let (a, b) = (expected.as_bytes(), received.trim().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y.to_ascii_lowercase())) == 0
}

/// Checks the signature over the ciphertext, then opens it: what a receiver does with each
/// callback (the URL check's `echostr`, or the `Encrypt` of a POST).
pub fn open_signed(
    key: &CallbackKey,
    token: &str,
    timestamp: &str,
    nonce: &str,
    received_signature: &str,
    msg_encrypt: &str,
    receive_id: &str,
) -> Result<String, CallbackError> {
    if !signature_matches(&msg_signature(token, timestamp, nonce, msg_encrypt), received_signature) {
        return Err(CallbackError::BadSignature);
    }
    key.open(msg_encrypt, receive_id)
}

/// Refuses a timestamp further than [`MAX_SKEW_SECS`] from `now` (Unix seconds).
pub fn check_timestamp(timestamp: &str, now: i64) -> Result<i64, CallbackError> {
    let ts: i64 = timestamp.trim().parse().map_err(|_| CallbackError::StaleTimestamp)?;
    if (now - ts).abs() > MAX_SKEW_SECS {
        return Err(CallbackError::StaleTimestamp);
    }
    Ok(ts)
}

/// The text of the first `<name>` element of `xml` (CDATA or plain), if any.
pub fn xml_field(xml: &str, name: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().0 == name => inside = true,
            Event::End(e) if inside && e.name().0 == name => return Some(text),
            Event::CData(c) if inside => text.push_str(AsRef::<str>::as_ref(&c)),
            Event::Text(t) if inside => text.push_str(AsRef::<str>::as_ref(&t)),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The ciphertext of a POSTed envelope: `<xml>…<Encrypt><![CDATA[…]]></Encrypt></xml>`.
pub fn envelope_encrypt(body: &str) -> Result<String, CallbackError> {
    xml_field(body, "Encrypt").filter(|e| !e.trim().is_empty()).ok_or(CallbackError::BadXml)
}

/// The envelope a sender POSTs: the ciphertext, addressed to `to_user_name`.
pub fn envelope(to_user_name: &str, msg_encrypt: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{to_user_name}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[{msg_encrypt}]]></Encrypt></xml>"
    )
}

#[cfg(test)]
#[path = "callback_tests.rs"]
mod tests;
