//! The sending window of `kf/send_msg` (document/path/94677): after a customer's last message,
//! 48 hours and at most 5 messages. Shared by the desktop (its own archive) and the server (the
//! team's archive, which also holds what every desktop sent).

use serde::Serialize;

/// How long after the customer's last message a reply may be sent.
pub const WINDOW_SECS: i64 = 48 * 3600;
/// How many messages may be sent in that time.
pub const REPLIES_PER_WINDOW: u32 = 5;

/// How many of the 5 replies are left, and until when (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Replies {
    pub left: u32,
    pub until: Option<i64>,
}

/// The replies left at `now`, given the customer's last message and how many were sent since.
pub fn replies(last_customer_time: Option<i64>, sent_since: u32, now: i64) -> Replies {
    match last_customer_time {
        Some(t) if now - t <= WINDOW_SECS => {
            Replies { left: REPLIES_PER_WINDOW.saturating_sub(sent_since), until: Some(t + WINDOW_SECS) }
        }
        _ => Replies { left: 0, until: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_replies_within_48_hours_of_the_customer() {
        assert_eq!(replies(Some(100), 2, 200), Replies { left: 3, until: Some(100 + WINDOW_SECS) });
        assert_eq!(replies(Some(100), 7, 200), Replies { left: 0, until: Some(100 + WINDOW_SECS) });
        assert_eq!(replies(Some(0), 0, WINDOW_SECS + 1), Replies { left: 0, until: None });
        assert_eq!(replies(None, 0, 5), Replies { left: 0, until: None });
    }
}
