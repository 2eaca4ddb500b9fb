//! Clocks: the wall clock as WeChat counts it (Unix seconds), and the monotonic clock the token
//! cache runs on, which tests can move forward instead of sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Now, in Unix seconds (0 if the system clock is before 1970).
pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// `Instant::now()`, plus however far a test has moved it (shared by clones).
#[derive(Debug, Clone, Default)]
pub struct Monotonic {
    ahead_ms: Arc<AtomicU64>,
}

impl Monotonic {
    pub fn now(&self) -> Instant {
        Instant::now() + Duration::from_millis(self.ahead_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and its clones) forward.
    pub fn advance(&self, by: Duration) {
        self.ahead_ms.fetch_add(by.as_millis().min(u128::from(u32::MAX)) as u64, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_is_ahead_for_every_clone() {
        let clock = Monotonic::default();
        let other = clock.clone();
        clock.advance(Duration::from_secs(3600));
        assert!(other.now() >= Instant::now() + Duration::from_secs(3599));
    }
}
