//! Spacing requests so that a run stays under a per-token rate limit
//! instead of provoking 429s and waiting them out. Pure: the client asks
//! how long to wait before each request and sleeps that long.

/// Genesys Cloud's documented limit per OAuth token: 300 requests a minute.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 300;

/// How much wider than `60 s / limit` requests are spaced. A timer that
/// fires late, or a slow network, can bring two requests closer than they
/// were scheduled; 2 % of the interval (a second and a fifth per real
/// minute) absorbs that, and still uses 98 % of the limit.
const MARGIN: f64 = 1.02;

/// Start times handed out one after another, at least `interval_ms` apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pacer {
    interval_ms: f64,
    next_ms: f64,
}

impl Pacer {
    /// A pacer for `requests_per_minute`; 0 turns pacing off.
    pub fn new(requests_per_minute: u32) -> Self {
        let interval_ms = if requests_per_minute == 0 {
            0.0
        } else {
            60_000.0 / f64::from(requests_per_minute) * MARGIN
        };
        Self {
            interval_ms,
            next_ms: f64::NEG_INFINITY,
        }
    }

    /// Reserves the next start time for a request that is ready at `now_ms`
    /// and returns how long it must wait (0 when its slot has come).
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        if self.interval_ms == 0.0 {
            return 0.0;
        }
        let start = now_ms.max(self.next_ms);
        self.next_ms = start + self.interval_ms;
        start - now_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_never_waits() {
        let mut p = Pacer::new(0);
        assert_eq!(p.reserve(0.0), 0.0);
        assert_eq!(p.reserve(0.0), 0.0);
    }

    #[test]
    fn requests_ready_together_are_spaced_by_the_interval() {
        let mut p = Pacer::new(300);
        let waits: Vec<f64> = (0..4).map(|_| p.reserve(1000.0)).collect();
        assert_eq!(waits, [0.0, 204.0, 408.0, 612.0]);
    }

    #[test]
    fn an_idle_pacer_does_not_save_up_a_burst() {
        let mut p = Pacer::new(300);
        assert_eq!(p.reserve(0.0), 0.0);
        // Ten seconds of silence: the next request goes at once, the one
        // after it waits a whole interval again.
        assert_eq!(p.reserve(10_000.0), 0.0);
        assert_eq!(p.reserve(10_000.0), 204.0);
    }

    #[test]
    fn any_minute_holds_at_most_the_limit() {
        // 1,000 requests all ready at once: in every 60 s window of start
        // times, at most 300 (with the margin, 294).
        let mut p = Pacer::new(300);
        let starts: Vec<f64> = (0..1000).map(|_| p.reserve(0.0)).collect();
        for (i, s) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .take_while(|t| **t < s + 60_000.0)
                .count();
            assert!(in_window <= 300, "{in_window} requests from {s} ms");
        }
        let last_minute = starts.iter().filter(|t| **t < 60_000.0).count();
        assert!(
            last_minute >= 291,
            "{last_minute}: at least 97 % of the limit"
        );
    }
}
