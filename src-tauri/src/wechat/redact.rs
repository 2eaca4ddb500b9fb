//! Redaction of credentials in any text that may reach a log, an error or the web view.
//!
//! reqwest errors print the request URL, which carries `access_token=`; token requests carry
//! `secret`. Everything that turns into a message passes through [`redact`].

/// Keys whose values are never shown.
const SECRET_KEYS: &[&str] = &["access_token", "secret", "corpsecret", "appsecret", "token"];

/// Replaces the value of every secret-bearing query parameter (`key=value`) and JSON field
/// (`"key":"value"`) with `***`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    for key in SECRET_KEYS {
        out = redact_query(&out, key);
        out = redact_json(&out, key);
    }
    out
}

fn redact_query(text: &str, key: &str) -> String {
    let needle = format!("{key}=");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(&needle) {
        let before = &rest[..pos];
        // Only whole parameter names: `?access_token=` or `&token=`, not `xaccess_token=`.
        let at_boundary = before
            .chars()
            .last()
            .map_or(true, |c| !(c.is_ascii_alphanumeric() || c == '_'));
        out.push_str(before);
        out.push_str(&needle);
        rest = &rest[pos + needle.len()..];
        if at_boundary {
            let end = rest
                .find(|c: char| matches!(c, '&' | ' ' | '"' | '\'' | '#' | ')' | '\n' | '\t' | '>'))
                .unwrap_or(rest.len());
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
    while let Some(pos) = rest.find(&needle) {
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
        let r = redact(r#"{"appid":"wx1","secret":"s3cr\"et","access_token":"tok"} /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=zzz"#);
        for leaked in ["s3cr", "tok\"", "zzz"] {
            assert!(!r.contains(leaked), "{leaked} leaked in {r}");
        }
        assert!(r.contains("\"appid\":\"wx1\""), "non-secret fields stay: {r}");
    }

    #[test]
    fn leaves_other_words_alone() {
        assert_eq!(redact("no tokens here; my_token=1 stays"), "no tokens here; my_token=1 stays");
    }
}
