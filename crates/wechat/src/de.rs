//! Lenient field decoders for values whose wire type varies (`kf_id` is a number in practice
//! and a string in the docs; some timestamps arrive as strings).

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
enum NumOrStr {
    Num(i64),
    Float(f64),
    Str(String),
}

/// A number or a string, kept as a string (`2001` and `"2001"` both give `"2001"`).
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        None => String::new(),
        Some(NumOrStr::Num(n)) => n.to_string(),
        Some(NumOrStr::Float(f)) => f.to_string(),
        Some(NumOrStr::Str(s)) => s,
    })
}

/// A number or a numeric string, as i64; missing, null or empty gives 0.
pub fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        None => 0,
        Some(NumOrStr::Num(n)) => n,
        Some(NumOrStr::Float(f)) => f as i64,
        Some(NumOrStr::Str(s)) if s.trim().is_empty() => 0,
        Some(NumOrStr::Str(s)) => s.trim().parse().map_err(serde::de::Error::custom)?,
    })
}

/// `null` → the default value (WeChat sometimes sends `null` for an empty list).
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
