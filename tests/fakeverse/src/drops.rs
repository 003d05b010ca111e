//! Lost answers: rules that pick which successful requests a host carries out but never
//! answers (the connection closes instead), so crash tests can check that a client which
//! lost an answer does not act twice. A rule matches a method and a path prefix and drops
//! either the next `n` matches or each match with a probability drawn from a seeded
//! xorshift generator (the same seed drops the same requests). Pure: the host applies it.

/// One rule.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    method: String,
    path_prefix: String,
    how: How,
}

#[derive(Debug, Clone, PartialEq)]
enum How {
    /// Drops this many more matches.
    Next(usize),
    /// Drops each match with this probability.
    Rate(f64),
}

/// The default seed, so a soak test repeats without choosing one.
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// A host's rules and what they dropped.
#[derive(Debug, Clone)]
pub(crate) struct Drops {
    rules: Vec<Rule>,
    rng: XorShift,
    dropped: usize,
}

impl Default for Drops {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            rng: XorShift::new(SEED),
            dropped: 0,
        }
    }
}

impl Drops {
    /// Drops the next `n` matches.
    pub(crate) fn next(&mut self, method: &str, path_prefix: &str, n: usize) {
        self.push(method, path_prefix, How::Next(n));
    }

    /// Drops each match with `probability` (clamped to 0..=1).
    pub(crate) fn rate(&mut self, method: &str, path_prefix: &str, probability: f64) {
        self.push(method, path_prefix, How::Rate(probability.clamp(0.0, 1.0)));
    }

    /// Restarts the generator (and keeps the rules).
    pub(crate) fn seed(&mut self, seed: u64) {
        self.rng = XorShift::new(seed);
    }

    /// Removes every rule.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// How many answers were dropped so far.
    pub(crate) fn dropped(&self) -> usize {
        self.dropped
    }

    /// Whether to drop the answer to a request that succeeded; the first matching rule
    /// decides (and a counted rule is used up by it).
    pub(crate) fn decide(&mut self, method: &str, path: &str) -> bool {
        let Some(index) = self.rules.iter().position(|r| {
            r.method.eq_ignore_ascii_case(method) && path.starts_with(&r.path_prefix)
        }) else {
            return false;
        };
        let drop = match &mut self.rules[index].how {
            How::Next(left) => {
                *left -= 1;
                true
            }
            How::Rate(p) => {
                let p = *p;
                self.rng.unit() < p
            }
        };
        if matches!(self.rules[index].how, How::Next(0)) {
            self.rules.remove(index);
        }
        self.dropped += usize::from(drop);
        drop
    }

    fn push(&mut self, method: &str, path_prefix: &str, how: How) {
        if matches!(how, How::Next(0)) {
            return;
        }
        self.rules.push(Rule {
            method: method.to_string(),
            path_prefix: path_prefix.to_string(),
            how,
        });
    }
}

/// xorshift64* (Vigna): small, seeded, good enough to pick requests.
#[derive(Debug, Clone)]
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        // Zero is the generator's one fixed point.
        Self(if seed == 0 { SEED } else { seed })
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_rule_drops_the_next_matches_only() {
        let mut drops = Drops::default();
        drops.next("POST", "/api/v1/accounts/", 2);
        let seen: Vec<bool> = [
            ("GET", "/api/v1/accounts/1"),
            ("POST", "/api/v1/statuses"),
            ("post", "/api/v1/accounts/1/follow"),
            ("POST", "/api/v1/accounts/2/follow"),
            ("POST", "/api/v1/accounts/3/follow"),
        ]
        .iter()
        .map(|(m, p)| drops.decide(m, p))
        .collect();
        assert_eq!(seen, [false, false, true, true, false]);
        assert_eq!(drops.dropped(), 2);
    }

    #[test]
    fn rules_apply_in_order_and_zero_adds_none() {
        let mut drops = Drops::default();
        drops.next("POST", "/a", 0);
        drops.next("POST", "/a", 1);
        drops.rate("POST", "/", 1.0);
        assert!(drops.decide("POST", "/a"), "the counted rule");
        assert!(drops.decide("POST", "/b"), "the rate rule, probability 1");
        drops.clear();
        assert!(!drops.decide("POST", "/b"));
    }

    #[test]
    fn a_rate_drops_about_that_share_and_repeats_with_the_seed() {
        let run = |seed: u64| {
            let mut drops = Drops::default();
            drops.seed(seed);
            drops.rate("POST", "/", 0.25);
            (0..4000)
                .map(|_| drops.decide("POST", "/x"))
                .collect::<Vec<_>>()
        };
        let first = run(7);
        let share = first.iter().filter(|d| **d).count();
        assert!((800..1200).contains(&share), "{share} of 4000 at 0.25");
        assert_eq!(first, run(7), "same seed, same drops");
        assert_ne!(first, run(8), "another seed, other drops");
    }
}
