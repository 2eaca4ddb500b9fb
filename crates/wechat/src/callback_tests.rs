//! The callback crypto against published test vectors (go-workwx's, computed with WeCom's own
//! tool), and what a receiver must refuse.

use super::*;

/// Vector 1: an `echostr` of a URL check.
const KEY_1: &str = "4Ma3YBrSBbX2aez8MJpXGBne5LSDwgGqHbhM9WPYIws";
const CIPHER_1: &str = "6KmUQuPVu7UhjyVqRdbo5SfcRqaHvbUlKSHFvBV2ZuR6TIlKsygcfeSd1GDplg1C5KSKr6UPHCaC/nIX3ZNt9w==";
const TOKEN_1: &str = "kjr2TKI8umCBfVF3wAHk8JiPwma5VBme";

/// Vector 2: a POSTed text message.
const TOKEN_2: &str = "kz7Yx62CH8SaLN";
const KEY_2: &str = "cD0d7jx4tYvVtzqrmh3Dm3QFCXe6f8SlHoMtMh3qQEP";
const CIPHER_2: &str = "fyVN9BUnH6xNl0/VCHTCg6XGxxvoFdyZ7VQbAbBcQ79dVccYvdIyJYZSMMhkPy8LPaoe+V27qjoQ553fXavmrPOgxzHrKKf3YIu63pB4/nN0LY4S+GzUFi/LLFj1TI1sOh0q2jT5u1nYz5G3HFNLd3DFUvJVLtZl8mVMwUOzBpzKZhhmCvIJLVlvym9tt+VYwG06MSbmnf9AzYFKhm1BIy+95Q824ilY6Wy8l+vkFqEdASl2k83jMXvlkVRSB3hmNptWTbq8ygDdLtkCyA4UEiZvfTskqqVkbYwLptRl/1F+DVL9SH/TWt2j3dCm4rzY5jQG+fA+2xh2Kk+OrVgafqtQCfhjq8C38A2IwCcg2BONKk8s5ijFxQoszmXvJQ3zLYbjzRWQ40xhryDyPNNse7/slKVW2QMBEUPNOxUcX9k=";

#[test]
fn the_published_echostr_opens_to_its_message_for_its_corp() {
    let key = CallbackKey::new(KEY_1).unwrap();
    assert_eq!(key.open(CIPHER_1, "ww6a112864f8022910").unwrap(), "94966531020182955848408");
}

#[test]
fn the_published_signatures_are_computed() {
    assert_eq!(
        msg_signature(TOKEN_1, "1583940690", "VHh7ymSeb0jc4lSb", CIPHER_1),
        "1ba3cb09c0d2c2b3ed6900d37f91a6efae6cb011"
    );
    assert_eq!(
        msg_signature(TOKEN_2, "1583995625", "1584392382", CIPHER_2),
        "a44d1b7dc3dc4b02edd99dc32afa6a26be7c92f6"
    );
}

#[test]
fn a_signed_post_opens_to_the_customers_message() {
    let key = CallbackKey::new(KEY_2).unwrap();
    let xml = open_signed(
        &key,
        TOKEN_2,
        "1583995625",
        "1584392382",
        "a44d1b7dc3dc4b02edd99dc32afa6a26be7c92f6",
        CIPHER_2,
        "wwf181555a13a31443",
    )
    .unwrap();
    assert_eq!(xml_field(&xml, "ToUserName").as_deref(), Some("wwf181555a13a31443"));
    assert_eq!(xml_field(&xml, "MsgType").as_deref(), Some("text"));
    assert_eq!(xml_field(&xml, "Content").as_deref(), Some("x123"));
}

#[test]
fn a_changed_signature_or_another_token_is_refused() {
    let key = CallbackKey::new(KEY_1).unwrap();
    let open = |token: &str, sig: &str| {
        open_signed(&key, token, "1583940690", "VHh7ymSeb0jc4lSb", sig, CIPHER_1, "ww6a112864f8022910")
    };
    assert_eq!(
        open(TOKEN_1, "1BA3CB09C0D2C2B3ED6900D37F91A6EFAE6CB011").unwrap(),
        "94966531020182955848408",
        "hex in capitals is the same"
    );
    assert_eq!(open(TOKEN_1, "1ba3cb09c0d2c2b3ed6900d37f91a6efae6cb010"), Err(CallbackError::BadSignature));
    assert_eq!(open(TOKEN_1, ""), Err(CallbackError::BadSignature));
    assert_eq!(open("another-token", "1ba3cb09c0d2c2b3ed6900d37f91a6efae6cb011"), Err(CallbackError::BadSignature));
}

#[test]
fn a_message_for_another_corp_is_refused() {
    let key = CallbackKey::new(KEY_1).unwrap();
    assert_eq!(key.open(CIPHER_1, "ww0000000000000000"), Err(CallbackError::WrongReceiver));
    assert_eq!(
        key.open(CIPHER_1, "ww6a112864f802291"),
        Err(CallbackError::WrongReceiver),
        "a prefix of the CorpID is not it"
    );
}

#[test]
fn another_key_or_a_damaged_ciphertext_does_not_open() {
    let other = CallbackKey::new(KEY_2).unwrap();
    assert_eq!(other.open(CIPHER_1, "ww6a112864f8022910"), Err(CallbackError::BadCiphertext));
    let key = CallbackKey::new(KEY_1).unwrap();
    for bad in ["", "not base64!", "AAAA", &CIPHER_1[..CIPHER_1.len() - 8]] {
        assert_eq!(key.open(bad, "ww6a112864f8022910"), Err(CallbackError::BadCiphertext), "{bad:?}");
    }
}

#[test]
fn an_encoding_aes_key_is_43_characters_of_base64() {
    assert!(CallbackKey::new(KEY_1).is_ok());
    for bad in ["", &KEY_1[..42], &format!("{KEY_1}A"), "%Ma3YBrSBbX2aez8MJpXGBne5LSDwgGqHbhM9WPYIws"] {
        assert_eq!(CallbackKey::new(bad).err(), Some(CallbackError::BadKey), "{bad:?}");
    }
}

#[test]
fn sealing_pads_to_32_byte_blocks_and_opens_again() {
    let key = CallbackKey::new(KEY_2).unwrap();
    // The published ciphertext is the seal of its message with the random prefix it carries:
    // sealing with the same prefix gives the same bytes.
    let plain = {
        use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
        let raw = STANDARD.decode(CIPHER_2).unwrap();
        cbc::Decryptor::<aes::Aes256>::new(&key.key.into(), &key.iv().into())
            .decrypt_padded_vec_mut::<NoPadding>(&raw)
            .unwrap()
    };
    assert_eq!(*plain.last().unwrap(), 14, "the published pad");
    let random: [u8; 16] = plain[..16].try_into().unwrap();
    let msg = key.open(CIPHER_2, "wwf181555a13a31443").unwrap();
    assert_eq!(key.seal_with(random, &msg, "wwf181555a13a31443"), CIPHER_2);
    // Every length lands on whole 32-byte blocks, and comes back as it went.
    for n in [0, 1, 11, 12, 13, 43, 44, 45, 100, 2048] {
        let text: String = "客".repeat(n / 3) + &"x".repeat(n % 3);
        let sealed = key.seal(&text, "wx1234567890abcdef");
        assert_eq!(STANDARD.decode(&sealed).unwrap().len() % 32, 0);
        assert_eq!(key.open(&sealed, "wx1234567890abcdef").unwrap(), text);
    }
    assert_ne!(key.seal("same", "ww1"), key.seal("same", "ww1"), "a fresh random prefix each time");
}

#[test]
fn the_plain_signature_signs_token_timestamp_and_nonce() {
    // The Official Account's URL check: sha1 of the three sorted ("1409304348" < "pamtest" < "xxxxxx").
    let expected = {
        let mut sha = Sha1::new();
        sha.update(b"1409304348pamtestxxxxxx");
        hex::encode(sha.finalize())
    };
    assert_eq!(plain_signature("pamtest", "1409304348", "xxxxxx"), expected);
    assert_eq!(plain_signature("xxxxxx", "pamtest", "1409304348"), expected, "the order given does not matter");
}

#[test]
fn stale_or_future_timestamps_are_refused() {
    let now = 1_700_000_000;
    assert_eq!(check_timestamp("1700000000", now), Ok(now));
    assert_eq!(check_timestamp("1699999700", now), Ok(now - 300));
    assert_eq!(check_timestamp("1699999699", now), Err(CallbackError::StaleTimestamp));
    assert_eq!(check_timestamp("1700000301", now), Err(CallbackError::StaleTimestamp));
    assert_eq!(check_timestamp("", now), Err(CallbackError::StaleTimestamp));
    assert_eq!(check_timestamp("17e8", now), Err(CallbackError::StaleTimestamp));
}

#[test]
fn envelopes_carry_the_ciphertext_in_cdata() {
    let body = envelope("ww6a112864f8022910", CIPHER_1);
    assert_eq!(envelope_encrypt(&body).unwrap(), CIPHER_1);
    assert_eq!(xml_field(&body, "ToUserName").as_deref(), Some("ww6a112864f8022910"));
    assert_eq!(envelope_encrypt("<xml><ToUserName>x</ToUserName></xml>"), Err(CallbackError::BadXml));
    assert_eq!(envelope_encrypt("<xml><Encrypt><![CDATA[]]></Encrypt></xml>"), Err(CallbackError::BadXml));
    assert_eq!(envelope_encrypt("not xml <"), Err(CallbackError::BadXml));
    let kf = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxn]]></Token><OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId></xml>";
    assert_eq!(xml_field(kf, "OpenKfId").as_deref(), Some("wkxxxxxxx"));
    assert_eq!(xml_field(kf, "CreateTime").as_deref(), Some("1348831860"));
    assert_eq!(xml_field(kf, "OpenKFID"), None, "WeCom's casing, not an SDK's");
}

#[test]
fn errors_and_keys_say_nothing_secret() {
    let key = CallbackKey::new(KEY_1).unwrap();
    assert_eq!(format!("{key:?}"), "CallbackKey(..)");
    for e in [CallbackError::BadSignature, CallbackError::WrongReceiver, CallbackError::BadCiphertext] {
        let text = e.to_string();
        assert!(!text.contains(KEY_1) && !text.contains(TOKEN_1) && !text.contains("ww6a"), "{text}");
    }
}
