//! The wall clock as WeChat counts it: Unix seconds.

/// Now, in Unix seconds (0 if the system clock is before 1970).
pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
