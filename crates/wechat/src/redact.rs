//! Redaction of credentials in any text that may reach a log, an error or the web view.
//!
//! reqwest errors print the request URL, which carries `access_token=`; token requests carry
//! `secret`. Everything that turns into a message passes through [`redact`].

/// Keys whose values are never shown (matched without regard to case).
const SECRET_KEYS: &[&str] = &[
    "access_token",
    "component_access_token",
    "suite_access_token",
    "provider_access_token",
    "refresh_token",
    "secret",
    "corpsecret",
    "appsecret",
    "suite_secret",
    "token",
    "password",
];

/// Replaces the value of every secret-bearing query parameter (`key=value`), JSON field
/// (`"key":"value"`) and `Bearer` credential with `***`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    for key in SECRET_KEYS {
        out = redact_query(&out, key);
        out = redact_json(&out, key);
    }
    redact_userinfo(&redact_bearer(&out))
}

/// `scheme://user:password@host` → `scheme://user:***@host` (a proxy's or gateway's address).
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | ')' | '>') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@').and_then(|at| authority[..at].find(':').map(|colon| (colon, at))) {
            Some((colon, at)) => {
                out.push_str(&authority[..=colon]);
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// The position of `needle` (lower-case ASCII) in `text` from `from`, ignoring ASCII case; ASCII
/// lower-casing keeps byte offsets, so the position is valid in `text`.
fn find_ci(text: &str, needle: &str) -> Option<usize> {
    text.to_ascii_lowercase().find(needle)
}

/// `Bearer <credential>` (any case) → `Bearer ***`.
fn redact_bearer(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = find_ci(rest, "bearer ") {
        let after = &rest[pos + 7..];
        let end =
            after.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')' | '>')).unwrap_or(after.len());
        out.push_str(&rest[..pos + 7]);
        if end > 0 {
            out.push_str("***");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn redact_query(text: &str, key: &str) -> String {
    let needle = format!("{key}=");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = find_ci(rest, &needle) {
        let before = &rest[..pos];
        // Only whole parameter names: `?access_token=` or `&token=`, not `xaccess_token=`.
        let at_boundary = before.chars().last().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        out.push_str(before);
        out.push_str(&rest[pos..pos + needle.len()]);
        rest = &rest[pos + needle.len()..];
        if at_boundary {
            let end = rest.find(['&', ' ', '"', '\'', '#', ')', '\n', '\t', '>']).unwrap_or(rest.len());
            if end > 0 {
                out.push_str("***");
            }
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

fn redact_json(text: &str, key: &str) -> String {
    let needle = format!("\"{key}\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = find_ci(rest, &needle) {
        out.push_str(&rest[..pos + needle.len()]);
        rest = &rest[pos + needle.len()..];
        let trimmed = rest.trim_start_matches([' ', ':']);
        let skipped = rest.len() - trimmed.len();
        if rest[..skipped].contains(':') && trimmed.starts_with('"') {
            let body = &trimmed[1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in body.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let end = end.unwrap_or(body.len());
            out.push_str(&rest[..skipped]);
            out.push_str("\"***\"");
            rest = body.get(end + 1..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn hides_token_in_urls() {
        let s = "error sending request for url (http://127.0.0.1:9/cgi-bin/customservice/getkflist?access_token=ABC.def-123&x=1)";
        let r = redact(s);
        assert!(!r.contains("ABC.def-123"), "{r}");
        assert!(r.contains("access_token=***&x=1"), "{r}");
    }

    #[test]
    fn hides_secrets_in_json_and_queries() {
        let r = redact(
            r#"{"appid":"wx1","secret":"s3cr\"et","access_token":"tok"} /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=zzz"#,
        );
        for leaked in ["s3cr", "tok\"", "zzz"] {
            assert!(!r.contains(leaked), "{leaked} leaked in {r}");
        }
        assert!(r.contains("\"appid\":\"wx1\""), "non-secret fields stay: {r}");
    }

    #[test]
    fn hides_every_kind_of_token_in_any_case_and_bearer_credentials() {
        let s = "GET /cgi-bin/component/api?component_access_token=CAT1&x=1 /service?suite_access_token=SAT2 /x?ACCESS_TOKEN=UP3 {\"Access_Token\": \"J4\"} \
                 Authorization: Bearer rel4y-cr3d, then bearer abc.def";
        let r = redact(s);
        for leaked in ["CAT1", "SAT2", "UP3", "J4", "rel4y-cr3d", "abc.def"] {
            assert!(!r.contains(leaked), "{leaked} leaked in {r}");
        }
        assert!(
            r.contains("component_access_token=***&x=1") && r.contains("ACCESS_TOKEN=***") && r.contains("Bearer ***,"),
            "{r}"
        );
        assert_eq!(
            redact("the bearer of news"),
            "the bearer *** news",
            "a word after 'bearer ' is hidden: better too much than too little"
        );
    }

    #[test]
    fn hides_passwords_in_addresses() {
        let r = redact("error trying to connect: http://kefu:p%40ss-w0rd@proxy.corp:3128/ (socks5://u:pw2@h) https://plain.example/x");
        assert!(!r.contains("p%40ss-w0rd") && !r.contains("pw2"), "{r}");
        assert!(r.contains("http://kefu:***@proxy.corp:3128/") && r.contains("https://plain.example/x"), "{r}");
    }

    #[test]
    fn leaves_other_words_alone() {
        assert_eq!(redact("no tokens here; my_token=1 stays"), "no tokens here; my_token=1 stays");
    }
}
