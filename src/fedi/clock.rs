//! Time as a dependency: the client asks a [`Clock`] what time it is and to sleep, so tests
//! can run hours of pacing in microseconds with a [`ManualClock`].

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A sleep that can be awaited.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where the client gets the time and its sleeps.
pub trait Clock: Send + Sync + Debug {
    /// The current local time.
    fn now(&self) -> SystemTime;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock and tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when slept on: each sleep returns at once and advances the time.
/// It records every sleep, so tests can check what the client waited for.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        Self {
            now: Mutex::new(start),
            slept: Mutex::new(Vec::new()),
        }
    }

    /// Moves the time forward.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.now.lock() {
            *now += by;
        }
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.now
            .lock()
            .map(|now| *now)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        if let Ok(mut slept) = self.slept.lock() {
            slept.push(duration);
        }
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_clock_advances_on_sleep() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        let clock = ManualClock::new(start);
        clock.sleep(Duration::from_secs(3)).await;
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now(), start + Duration::from_secs(4));
        assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    }
}
