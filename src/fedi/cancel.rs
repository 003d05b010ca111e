//! Stopping a long operation cleanly: a cancellation flag that Ctrl-C raises.
//!
//! Commands that run for long (follow, post) create one with [`Cancel::on_ctrl_c`] and give it
//! to the client. The client stops before the next request and during any wait, and returns
//! [`Error::Interrupted`](super::Error::Interrupted); the command flushes its state and exits
//! 130. A request that must not be abandoned halfway (one that is not safe to repeat) is let
//! finish first. A second Ctrl-C ends the process at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// A cancellation flag shared by everything working for one command.
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    flag: AtomicBool,
    notify: Notify,
}

impl Cancel {
    /// A flag nothing has raised yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A flag that the first Ctrl-C raises; the second calls `second` (the command line's
    /// business: it ends the process). Must be called inside the tokio runtime.
    pub fn on_ctrl_c(second: fn()) -> Self {
        let cancel = Self::new();
        let raised = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            raised.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                second();
            }
        });
        cancel
    }

    /// Raises the flag and wakes everything waiting on it.
    pub fn cancel(&self) {
        self.inner.flag.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// True once raised.
    pub fn is_cancelled(&self) -> bool {
        self.inner.flag.load(Ordering::SeqCst)
    }

    /// Completes when the flag is raised (at once if it already is).
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn waiters_wake_when_raised() {
        let cancel = Cancel::new();
        let waiter = cancel.clone();
        let task = tokio::spawn(async move { waiter.cancelled().await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!cancel.is_cancelled());
        cancel.cancel();
        tokio::time::timeout(Duration::from_secs(2), task)
            .await
            .expect("the waiter woke")
            .unwrap();
        // Waiting on a raised flag returns at once.
        cancel.cancelled().await;
    }
}
