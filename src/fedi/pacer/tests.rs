//! The pacing model, in virtual time: unit cases, then whole bulk runs against a simulated
//! fixed-window server with a skewed clock.

use super::*;
use std::time::UNIX_EPOCH;

fn t(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000) + Duration::from_millis(ms)
}

fn headers(limit: u32, remaining: u32, reset: SystemTime) -> RateHeaders {
    RateHeaders {
        limit,
        remaining,
        reset,
        coarse: false,
    }
}

#[test]
fn the_first_half_goes_at_once_then_the_rest_is_spread() {
    let mut pacer = Pacer::new(Budgets::none());
    let now = t(0);
    pacer.observe(Family::Api, Some(&headers(20, 20, t(2_000))), None, now);
    let sent: Vec<_> = (0..20)
        .map(|_| pacer.schedule(Family::Api, now).at)
        .collect();
    let immediate = sent.iter().filter(|&&at| at == now).count();
    assert_eq!(immediate, 10, "{sent:?}");
    for pair in sent[10..].windows(2) {
        assert!(pair[1] > pair[0], "spread slots must increase: {sent:?}");
    }
    assert!(sent[19] < t(2_000), "the budget fits before the reset");
    let next = pacer.schedule(Family::Api, now);
    assert_eq!(next.at, t(2_100));
    assert!(matches!(next.hold, Some(Hold::Exhausted { limit: 20, .. })));
}

#[test]
fn an_exhausted_window_waits_for_the_reset_plus_a_margin() {
    let mut pacer = Pacer::new(Budgets::none());
    pacer.observe(
        Family::Follows,
        Some(&headers(400, 0, t(60_000))),
        None,
        t(0),
    );
    let slot = pacer.schedule(Family::Follows, t(10));
    assert_eq!(slot.at, t(60_100));
    assert_eq!(
        pacer.schedule(Family::Api, t(10)).at,
        t(10),
        "other families go on"
    );

    let mut coarse = Pacer::new(Budgets::none());
    let mut h = headers(300, 0, t(5_000));
    h.coarse = true;
    coarse.observe(Family::Api, Some(&h), None, t(0));
    assert_eq!(coarse.schedule(Family::Api, t(0)).at, t(6_000));
}

#[test]
fn known_budgets_cap_our_own_count_without_any_header() {
    let mut budgets = Budgets::none();
    budgets.set(Family::Follows, Budget::new(3, Duration::from_secs(10)));
    let mut pacer = Pacer::new(budgets);
    let slots: Vec<_> = (0..4)
        .map(|_| pacer.schedule(Family::Follows, t(0)))
        .collect();
    assert!(slots[..3].iter().all(|s| s.at == t(0)));
    assert_eq!(slots[3].at, t(10_000));
    assert!(matches!(slots[3].hold, Some(Hold::Budget { .. })));
    assert_eq!(pacer.schedule(Family::Follows, t(10_001)).at, t(10_001));
}

#[test]
fn a_follow_also_draws_from_the_token_budget() {
    let mut budgets = Budgets::none();
    budgets.set(Family::Api, Budget::new(2, Duration::from_secs(5)));
    let mut pacer = Pacer::new(budgets);
    pacer.schedule(Family::Follows, t(0));
    pacer.schedule(Family::Api, t(0));
    let third = pacer.schedule(Family::Follows, t(0));
    assert_eq!(third.at, t(5_000));
}

#[test]
fn concurrent_reservations_count_down_before_any_answer() {
    let mut pacer = Pacer::new(Budgets::none());
    pacer.observe(Family::Api, Some(&headers(100, 2, t(1_000))), None, t(0));
    let a = pacer.schedule(Family::Api, t(0));
    let b = pacer.schedule(Family::Api, t(0));
    let c = pacer.schedule(Family::Api, t(0));
    assert!(a.at < t(1_000) && b.at < t(1_000), "{a:?} {b:?}");
    assert_eq!(c.at, t(1_100), "the third must wait for the reset");
    // An answer for `a` that still says 2 left cannot raise the count: two are in flight.
    pacer.observe(Family::Api, Some(&headers(100, 1, t(1_000))), None, t(5));
    assert_eq!(pacer.observed(Family::Api).unwrap().remaining, 0);
}

#[test]
fn answers_about_an_older_window_are_ignored() {
    let mut pacer = Pacer::new(Budgets::none());
    pacer.observe(Family::Api, Some(&headers(10, 9, t(2_000))), None, t(0));
    pacer.observe(Family::Api, Some(&headers(10, 0, t(1_000))), None, t(1));
    assert_eq!(pacer.observed(Family::Api).unwrap().remaining, 9);
    // Within one window (Mastodon's reset jitters by a fraction of a second) the lower count wins.
    pacer.observe(Family::Api, Some(&headers(10, 4, t(2_300))), None, t(2));
    assert_eq!(pacer.observed(Family::Api).unwrap().remaining, 4);
    pacer.observe(Family::Api, Some(&headers(10, 8, t(2_100))), None, t(3));
    assert_eq!(pacer.observed(Family::Api).unwrap().remaining, 4);
    // A new window replaces the old one.
    pacer.observe(Family::Api, Some(&headers(10, 9, t(4_000))), None, t(2_200));
    assert_eq!(pacer.observed(Family::Api).unwrap().remaining, 9);
}

#[test]
fn the_reset_moves_onto_the_local_clock() {
    // The server's clock is 5 s behind ours; its Date is truncated to the second.
    let mut pacer = Pacer::new(Budgets::none());
    let server_date = t(0) - Duration::from_secs(5);
    pacer.observe(
        Family::Api,
        Some(&headers(10, 0, t(1_000) - Duration::from_secs(5))),
        Some(server_date),
        t(300),
    );
    // First sample: skew estimate 5.3 s (the truncation and latency only ever add).
    assert_eq!(pacer.schedule(Family::Api, t(400)).at, t(1_400));
    // A tighter sample lowers the estimate for later answers.
    pacer.observe(
        Family::Api,
        None,
        Some(t(1_000) - Duration::from_secs(5)),
        t(1_010),
    );
    pacer.observe(
        Family::Api,
        Some(&headers(10, 0, t(3_000) - Duration::from_secs(5))),
        None,
        t(1_020),
    );
    assert_eq!(pacer.schedule(Family::Api, t(1_020)).at, t(3_110));
}

#[test]
fn a_refusal_gates_the_family_until_the_server_says() {
    let mut pacer = Pacer::new(Budgets::none());
    pacer.schedule(Family::Follows, t(0));
    let until = pacer.refused(
        Family::Follows,
        Some(&headers(400, 0, t(30_000))),
        None,
        None,
        t(10),
    );
    assert_eq!(until, t(30_100));
    let slot = pacer.schedule(Family::Follows, t(20));
    assert_eq!(slot.at, t(30_100));

    pacer.schedule(Family::Api, t(0));
    let retry = pacer.refused(Family::Api, None, Some(Duration::from_secs(7)), None, t(0));
    assert_eq!(retry, t(7_000));
}

#[test]
fn a_refusal_without_a_time_backs_off_exponentially() {
    let mut pacer = Pacer::new(Budgets::none());
    let mut waits = Vec::new();
    let mut now = t(0);
    for _ in 0..4 {
        pacer.schedule(Family::Api, now);
        let until = pacer.refused(Family::Api, None, None, None, now);
        waits.push(until.duration_since(now).unwrap().as_secs());
        now = until;
    }
    assert_eq!(waits, [1, 2, 4, 8]);
    pacer.accepted(Family::Api);
    pacer.schedule(Family::Api, now);
    let until = pacer.refused(Family::Api, None, None, None, now);
    assert_eq!(until.duration_since(now).unwrap().as_secs(), 1);
    assert_eq!(refusal_backoff(30), Duration::from_secs(60));
}

/// A fixed-window server (windows aligned to multiples of `window` on its own clock, like
/// rack-attack), whose clock runs `behind` the client's.
struct SimServer {
    limit: u32,
    window: Duration,
    behind: Duration,
    counts: BTreeMap<u64, u32>,
    refusals: u32,
}

impl SimServer {
    fn handle(&mut self, local: SystemTime) -> (RateHeaders, SystemTime) {
        let server_now = local - self.behind;
        let since = server_now.duration_since(UNIX_EPOCH).unwrap();
        let index = (since.as_nanos() / self.window.as_nanos()) as u64;
        let count = self.counts.entry(index).or_default();
        *count += 1;
        if *count > self.limit {
            self.refusals += 1;
        }
        let reset = UNIX_EPOCH + self.window * (index as u32 + 1);
        let date_secs = since.as_secs();
        let headers = headers(self.limit, self.limit.saturating_sub(*count), reset);
        (headers, UNIX_EPOCH + Duration::from_secs(date_secs))
    }
}

/// Sends `n` requests one after another, as the client does, and returns the virtual time taken.
fn bulk_run(server: &mut SimServer, n: usize, latency: Duration) -> Duration {
    let mut pacer = Pacer::new(Budgets::none());
    let start = t(0) + Duration::from_millis(137);
    let mut now = start;
    for _ in 0..n {
        let slot = pacer.schedule(Family::Follows, now);
        now = slot.at.max(now);
        let (headers, date) = server.handle(now + latency / 2);
        now += latency;
        pacer.observe(Family::Follows, Some(&headers), Some(date), now);
    }
    now.duration_since(start).unwrap()
}

#[test]
fn bulk_runs_never_exceed_the_advertised_limit() {
    for (limit, window_ms, behind_ms, latency_ms) in [
        (20, 2_000, 0, 20),
        (20, 2_000, 3_700, 5),
        (5, 1_000, 0, 1),
        (300, 300_000, 1_250, 80),
        (30, 1_800_000, 0, 300),
    ] {
        let window = Duration::from_millis(window_ms);
        let mut server = SimServer {
            limit,
            window,
            behind: Duration::from_millis(behind_ms),
            counts: BTreeMap::new(),
            refusals: 0,
        };
        let n = limit as usize * 3;
        let took = bulk_run(&mut server, n, Duration::from_millis(latency_ms));
        assert_eq!(server.refusals, 0, "limit {limit}/{window_ms} ms: refused");
        // Three windows' worth never takes more than four windows (plus margins).
        let bound = window * 4 + Duration::from_secs(2);
        assert!(took <= bound, "limit {limit}/{window_ms} ms took {took:?}");
    }
}

#[test]
fn a_broken_server_clock_is_not_taken_as_skew() {
    let mut pacer = Pacer::new(Budgets::none());
    let year_1970 = UNIX_EPOCH + Duration::from_secs(5);
    pacer.observe(
        Family::Api,
        Some(&headers(10, 0, t(1_000))),
        Some(year_1970),
        t(0),
    );
    assert_eq!(pacer.schedule(Family::Api, t(0)).at, t(1_100));
}

#[test]
fn the_servers_stated_limit_replaces_the_known_budget() {
    let mut budgets = Budgets::none();
    budgets.set(Family::Follows, Budget::new(4, Duration::from_secs(86_400)));
    let mut guessing = Pacer::new(budgets.clone());
    let held: Vec<_> = (0..5)
        .map(|_| guessing.schedule(Family::Follows, t(0)).at)
        .collect();
    assert!(
        held[4] > t(80_000_000),
        "without headers the guess holds: {held:?}"
    );

    let mut told = Pacer::new(budgets);
    told.observe(
        Family::Follows,
        Some(&headers(100, 100, t(10_000))),
        None,
        t(0),
    );
    let sent: Vec<_> = (0..10)
        .map(|_| told.schedule(Family::Follows, t(0)).at)
        .collect();
    assert!(
        sent.iter().all(|&at| at == t(0)),
        "the server allows 100 now: {sent:?}"
    );
}
