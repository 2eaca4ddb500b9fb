//! The rules a supervisor's actions follow, checked before WeCom is asked so the window can say
//! why instead of failing: the session-state transitions of document/path/94698 and the sending
//! rules of document/path/94677 (states 0 and 1 only; within 48 hours of the customer's last
//! message, at most 5 replies), and the caller-chosen msgid that makes a retry safe.

use crate::error::Fault;
use crate::sentences::S;
use crate::wechat::wecom::SessionState;
use crate::wecom::archive::SendWindow;

/// The sending window of document/path/94677, shared with the server.
pub use crate::wechat::wecom::{Replies, WINDOW_SECS};

/// The states a conversation in `from` may be moved to with service_state/trans: the smart
/// assistant, the queue, a servicer (also a transfer from a servicer), the end. An ended
/// conversation cannot be moved.
pub fn moves_from(from: SessionState) -> &'static [SessionState] {
    use SessionState::*;
    match from {
        Untreated => &[SmartAssistant, Queued, Servicer, Ended],
        SmartAssistant => &[Queued, Servicer, Ended],
        Queued => &[Servicer, Ended],
        Servicer => &[Servicer, Ended],
        Ended | Other(_) => &[],
    }
}

pub fn replies(w: SendWindow, now: i64) -> Replies {
    crate::wechat::wecom::replies(w.last_customer_time, w.sent_since, now)
}

/// Why a message cannot be sent now, or `None` (also when the archive cannot tell: WeCom then
/// answers for itself).
pub fn send_refusal(state: SessionState, w: SendWindow, now: i64) -> Option<Fault> {
    let s = match state {
        SessionState::Queued => S::SendRefusedQueued,
        SessionState::Servicer => S::SendRefusedServed,
        SessionState::Ended => S::SendRefusedEnded,
        _ => match (w.last_customer_time, replies(w, now)) {
            // The archive has not read a message of theirs (yet): WeCom decides (95031).
            (None, _) => return None,
            (Some(_), Replies { until: None, .. }) => S::SendRefused48Hours,
            (Some(_), Replies { left: 0, .. }) => S::SendRefused5Replies,
            _ => return None,
        },
    };
    Some(Fault::other("send_refused", s))
}

/// A msgid of this app's own choosing (for messages it sends by itself).
pub fn new_msgid() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("kdw{:x}{:x}", nanos, N.fetch_add(1, Ordering::Relaxed))
}

/// A msgid WeCom accepts: 1 to 32 bytes of `[0-9a-zA-Z_-]`.
pub fn check_msgid(msgid: &str) -> Result<(), Fault> {
    if !crate::wechat::wecom::valid_msgid(msgid) {
        return Err(Fault::internal(format!("not a valid msgid: {msgid:?}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(last: Option<i64>, sent: u32) -> SendWindow {
        SendWindow { last_customer_time: last, sent_since: sent }
    }

    #[test]
    fn only_states_0_and_1_send_within_48_hours_and_5_replies() {
        assert!(send_refusal(0.into(), w(Some(100), 0), 200).is_none());
        assert!(send_refusal(1.into(), w(Some(100), 4), 200).is_none());
        for state in [2u8, 3, 4] {
            assert!(
                matches!(
                    send_refusal(state.into(), w(Some(100), 0), 200),
                    Some(Fault::Other { code: "send_refused", .. })
                ),
                "state {state}"
            );
        }
        assert!(send_refusal(1.into(), w(None, 0), 200).is_none(), "no message of theirs read yet: WeCom decides");
        assert!(send_refusal(1.into(), w(Some(100), 5), 200).is_some(), "quota used");
        assert!(send_refusal(1.into(), w(Some(0), 0), WINDOW_SECS + 1).is_some(), "48 hours passed");
        assert_eq!(replies(w(Some(100), 2), 200), Replies { left: 3, until: Some(100 + WINDOW_SECS) });
        assert_eq!(replies(w(Some(0), 0), WINDOW_SECS + 1), Replies { left: 0, until: None });
    }

    #[test]
    fn the_moves_of_each_state() {
        assert_eq!(moves_from(0.into()), [1u8, 2, 3, 4].map(SessionState::from));
        assert!(!moves_from(2.into()).contains(&1.into()) && !moves_from(3.into()).contains(&2.into()));
        assert!(moves_from(4.into()).is_empty() && moves_from(9.into()).is_empty());
        assert!(check_msgid("kd_0123456789abcdef0123456789ab").is_ok());
        assert!(check_msgid("").is_err() && check_msgid("含中文").is_err() && check_msgid(&"a".repeat(33)).is_err());
        let (a, b) = (new_msgid(), new_msgid());
        assert!(a != b && check_msgid(&a).is_ok() && check_msgid(&b).is_ok(), "{a} {b}");
    }
}
