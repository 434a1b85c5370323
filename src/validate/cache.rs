//! A concurrent, per-provider memo for plan-time look-ups: the first caller of
//! a key runs the look-up, concurrent callers of the same key wait for it, and
//! later callers get the stored answer. Failures are not stored, so a
//! transient error is retried by the next caller; a look-up whose every
//! outcome is an answer (the shared listings, see `listings.rs`) uses
//! [`Memo::get_or_load`] and runs once per key whatever happens.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

pub struct Memo<K, V> {
    cells: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            cells: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Memo<K, V> {
    pub async fn get_or_try_load<E, F, Fut>(&self, key: &K, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            // A poisoned lock only means another look-up panicked; the map is still sound.
            let mut cells = self.cells.lock().unwrap_or_else(|p| p.into_inner());
            cells.entry(key.clone()).or_default().clone()
        };
        cell.get_or_try_init(load).await.cloned()
    }

    /// [`Memo::get_or_try_load`] for a look-up that cannot fail: its answer,
    /// whatever it is, is stored for the process.
    pub async fn get_or_load<F, Fut>(&self, key: &K, load: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let loaded = self
            .get_or_try_load(key, || async { Ok::<_, Infallible>(load().await) })
            .await;
        match loaded {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn loads_once_per_key_even_when_concurrent() {
        let memo: Memo<String, usize> = Memo::default();
        let calls = AtomicUsize::new(0);
        let load = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            Ok::<_, ()>(7)
        };
        let key = "a".to_owned();
        let (a, b, c) = tokio::join!(
            memo.get_or_try_load(&key, load),
            memo.get_or_try_load(&key, load),
            memo.get_or_try_load(&key, load)
        );
        assert_eq!((a, b, c), (Ok(7), Ok(7), Ok(7)));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let other = memo.get_or_try_load(&"b".to_owned(), load).await;
        assert_eq!(other, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failures_are_not_remembered() {
        let memo: Memo<u8, u8> = Memo::default();
        assert_eq!(
            memo.get_or_try_load(&1, || async { Err::<u8, _>("boom") })
                .await,
            Err("boom")
        );
        assert_eq!(
            memo.get_or_try_load(&1, || async { Ok::<_, &str>(3) })
                .await,
            Ok(3)
        );
    }

    #[tokio::test]
    async fn an_infallible_load_runs_once() {
        let memo: Memo<u8, &str> = Memo::default();
        assert_eq!(
            memo.get_or_load(&1, || async { "unavailable" }).await,
            "unavailable"
        );
        // The stored answer stands: the second loader never runs.
        assert_eq!(
            memo.get_or_load(&1, || async { "listed" }).await,
            "unavailable"
        );
        assert_eq!(memo.get_or_load(&2, || async { "listed" }).await, "listed");
    }
}
