//! Keeping one replica's catalogue in step with a shared (PostgreSQL) store.
//!
//! Two paths bring other replicas' commits here, both ending in the catalogue's own rule
//! (build the network off-lock, then swap the pointer; never move a scenario backwards):
//!
//! - **Notifications** (milliseconds): every write sends `NOTIFY freight_scenarios, '<id>'` in
//!   its transaction; a dedicated connection `LISTEN`s, and each id heard is read back and
//!   adopted (or forgotten, if its row is gone). A burst is coalesced: each id once.
//! - **Resync** (the safety net, every `resync_every`): notifications sent while the listener
//!   was down are lost for good, so the loop compares every stored id and version with the
//!   live ones and adopts what is newer, forgets what is gone. It reads only ids and versions
//!   unless something changed, so it is cheap to run often.
//!
//! The staleness bound follows: a change is live on every replica within the notification
//! path's delay, or at worst one resync period plus the rebuild time.
//!
//! The same loop is the replica's view of the store's health: the store is *reachable* while
//! the listener's connection is up and the last read succeeded. When it is lost the loop
//! reconnects with exponential backoff (capped), and after reconnecting re-reads everything
//! before saying reachable again. The server turns reachability into health statuses.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::store::{PostgresStore, ScenarioStore, StoreError};
use super::Catalog;

/// The first wait before reconnecting; doubled after each failure up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The default period of the full re-read (`--store-resync-secs`).
pub const DEFAULT_RESYNC: Duration = Duration::from_secs(5);

/// The sync loop of one replica (only for a shared store: a SQLite file has one writer, this
/// process, and needs none).
#[derive(Debug)]
pub struct StoreSync {
    catalog: Arc<Catalog>,
    store: Arc<PostgresStore>,
    resync_every: Duration,
    reachable: watch::Sender<bool>,
}

impl StoreSync {
    /// The loop for `catalog`'s store, and the watch of whether the store is reachable;
    /// `None` for a store no other process writes.
    pub fn new(
        catalog: Arc<Catalog>,
        resync_every: Duration,
    ) -> Option<(StoreSync, watch::Receiver<bool>)> {
        let store = match catalog.store() {
            ScenarioStore::Postgres(store) => Arc::clone(store),
            ScenarioStore::Sqlite(_) => return None,
        };
        // The catalogue has just been read from the store: it was reachable.
        let (reachable, watch) = watch::channel(true);
        Some((
            StoreSync {
                catalog,
                store,
                resync_every: resync_every.max(Duration::from_millis(100)),
                reachable,
            },
            watch,
        ))
    }

    fn set_reachable(&self, up: bool) {
        self.reachable.send_if_modified(|current| {
            let changed = *current != up;
            *current = up;
            changed
        });
    }

    /// Runs until the task is dropped: listen, resync, reconnect.
    pub async fn run(self) {
        let mut backoff = MIN_BACKOFF;
        loop {
            match self.connected_session().await {
                Ok(()) => {}
                Err(e) => {
                    if *self.reachable.borrow() {
                        tracing::warn!(error = %e, "scenario store lost; reconnecting");
                    } else {
                        tracing::debug!(error = %e, retry_ms = backoff.as_millis() as u64,
                            "scenario store still unreachable");
                    }
                }
            }
            self.set_reachable(false);
            metrics::counter!("freight_store_errors_total").increment(1);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            if self.store_answers().await {
                backoff = MIN_BACKOFF;
            }
        }
    }

    /// Whether the store answers a cheap query now (to reset the backoff on recovery).
    async fn store_answers(&self) -> bool {
        self.store.count().await.is_ok()
    }

    /// One listening session: from connecting until the connection or a read fails.
    async fn connected_session(&self) -> Result<(), StoreError> {
        let mut listener = self.store.listen().await?;
        // Whatever happened while nobody listened is only in the table: read it all.
        self.resync().await?;
        if !*self.reachable.borrow() {
            tracing::info!(store = %self.store.describe(), "scenario store reachable again; resynced");
        }
        self.set_reachable(true);
        let mut ticks = tokio::time::interval(self.resync_every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await; // the first tick is immediate: we have just resynced
        loop {
            tokio::select! {
                id = listener.ids.recv() => {
                    let Some(id) = id else {
                        return Err(StoreError::Unavailable {
                            store: self.store.describe().to_string(),
                            reason: "the listening connection closed".into(),
                        });
                    };
                    let mut ids = BTreeSet::from([id]);
                    while let Ok(more) = listener.ids.try_recv() {
                        ids.insert(more);
                    }
                    for id in ids {
                        self.refresh(&id).await?;
                    }
                }
                _ = ticks.tick() => self.resync().await?,
            }
        }
    }

    /// Reads one scenario back after a notification about it.
    async fn refresh(&self, id: &str) -> Result<(), StoreError> {
        match self.store.get(id).await? {
            Some(stored) => {
                let version = stored.version;
                if self.catalog.adopt(stored).await {
                    tracing::debug!(%id, version, "scenario changed by another replica");
                }
            }
            // Ids are never reused: a notified id without a row was deleted.
            None => {
                if self.catalog.forget(id) {
                    tracing::debug!(%id, "scenario deleted by another replica");
                }
            }
        }
        Ok(())
    }

    /// Compares every stored id and version with the live ones; adopts what is newer and
    /// forgets what is gone.
    pub async fn resync(&self) -> Result<(), StoreError> {
        // Live ids taken *before* the store is read: an id live then but absent from the
        // read was deleted; one made live after (a local create) is not in this set, so it
        // cannot be mistaken for deleted.
        let live_before = self.catalog.versions();
        let stored: HashMap<String, i64> = self.store.versions().await?.into_iter().collect();
        for (id, version) in &stored {
            let live = self.catalog.get(id).map(|s| s.stored.version);
            if live.is_none_or(|v| v < *version) {
                self.refresh(id).await?;
            }
        }
        for id in live_before.keys().filter(|id| !stored.contains_key(*id)) {
            if self.catalog.forget(id) {
                tracing::debug!(%id, "scenario deleted by another replica (resync)");
            }
        }
        Ok(())
    }
}
