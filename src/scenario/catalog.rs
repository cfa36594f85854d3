//! The live catalogue: every stored scenario applied to the base network, ready for queries.
//!
//! Readers take an `Arc` of one scenario version out of a map under a read lock held for a
//! pointer copy, so a query sees one consistent version however the scenario changes
//! meanwhile, and writers never stall queries: a write builds the new network first (the slow
//! part, on the blocking pool, outside every lock), commits it to the store, then swaps the
//! pointer.
//!
//! With a shared store, other replicas change scenarios too; [`super::sync`] hears of their
//! commits and hands the rows to [`Catalog::adopt`] / [`Catalog::forget`], which follow the
//! same rule (build off-lock, then swap). Whichever path brings a version, the catalogue only
//! ever moves a scenario forward: a version older than the live one is ignored, and an id once
//! deleted is never published again (ids are never reused), so news arriving late or twice
//! cannot undo a newer state.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, RwLock};

use super::overlay::{apply, OverlayError};
use super::spec::ScenarioDefinition;
use super::store::{ScenarioStore, StoreError, StoredRow, StoredScenario};
use crate::engine::NetworkState;

/// One version of a stored scenario as the service sees it.
#[derive(Debug)]
pub struct LiveScenario {
    pub stored: StoredScenario,
    /// The parsed definition; `None` if the stored text no longer parses.
    pub definition: Option<ScenarioDefinition>,
    /// The scenario's network, or why it cannot be built on today's base network (a stored
    /// scenario whose service refers to a terminal the data no longer has, say). Broken
    /// scenarios are kept and reported, never dropped.
    pub network: Result<Arc<NetworkState>, String>,
}

impl LiveScenario {
    pub(super) fn build(base: &NetworkState, stored: StoredScenario) -> Self {
        let definition = ScenarioDefinition::from_toml(&stored.definition_toml);
        let network = match &definition {
            Ok(def) => apply(&base.network, def)
                .map(NetworkState::new)
                .map_err(|e| e.to_string()),
            Err(e) => Err(format!("stored definition does not parse: {e}")),
        };
        LiveScenario {
            stored,
            definition: definition.ok(),
            network,
        }
    }

    /// The services the scenario adds (reverse directions included).
    pub fn added_service_ids(&self) -> Vec<String> {
        self.definition
            .as_ref()
            .map(ScenarioDefinition::added_service_ids)
            .unwrap_or_default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{0}")]
    Invalid(#[from] OverlayError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store holds as many scenarios as it may, or the definition is too large.
    #[error("{0}")]
    Quota(String),
}

/// Scenarios the store keeps at most (each is a network in memory, some 450 KB).
pub const MAX_SCENARIOS: usize = 500;
/// The largest definition, as its TOML text.
pub const MAX_DEFINITION_BYTES: usize = 256 * 1024;

/// The live scenarios, and the ids deleted since start (never to be published again).
#[derive(Debug, Default)]
struct Live {
    scenarios: BTreeMap<String, Arc<LiveScenario>>,
    deleted: HashSet<String>,
}

/// The base network, the store, and the live version of every scenario.
#[derive(Debug)]
pub struct Catalog {
    base: Arc<NetworkState>,
    store: ScenarioStore,
    live: RwLock<Live>,
    /// Serialises this replica's writers, so the store's commit order is the order versions
    /// go live in.
    writer: tokio::sync::Mutex<()>,
}

/// A stored row as the catalogue keeps it: built, or broken with the reason.
fn live_row(base: &NetworkState, row: StoredRow) -> LiveScenario {
    match row {
        Ok(stored) => LiveScenario::build(base, stored),
        Err((id, problem)) => LiveScenario {
            stored: StoredScenario {
                name: format!("(unreadable {id})"),
                id,
                definition_toml: String::new(),
                version: 0,
                created_at: 0,
                updated_at: 0,
            },
            definition: None,
            network: Err(problem),
        },
    }
}

impl Catalog {
    /// Loads every stored scenario and applies it to `base`; broken ones are logged and kept.
    pub async fn open(base: Arc<NetworkState>, store: ScenarioStore) -> Result<Self, StoreError> {
        let rows = store.list().await?;
        let built = Arc::clone(&base);
        let scenarios = tokio::task::spawn_blocking(move || {
            rows.into_iter()
                .map(|row| live_row(&built, row))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        let mut live = Live::default();
        for scenario in scenarios {
            if let Err(problem) = &scenario.network {
                tracing::warn!(id = %scenario.stored.id, name = %scenario.stored.name, %problem,
                    "stored scenario no longer applies to the base network");
            }
            live.scenarios
                .insert(scenario.stored.id.clone(), Arc::new(scenario));
        }
        tracing::info!(scenarios = live.scenarios.len(), store = %store.describe(), "scenarios loaded");
        metrics::gauge!("freight_scenarios").set(live.scenarios.len() as f64);
        Ok(Catalog {
            base,
            store,
            live: RwLock::new(live),
            writer: tokio::sync::Mutex::new(()),
        })
    }

    pub fn base(&self) -> &Arc<NetworkState> {
        &self.base
    }

    /// The store the catalogue writes to.
    pub fn store(&self) -> &ScenarioStore {
        &self.store
    }

    pub fn get(&self, id: &str) -> Option<Arc<LiveScenario>> {
        self.read().scenarios.get(id).cloned()
    }

    /// Every scenario, oldest first.
    pub fn list(&self) -> Vec<Arc<LiveScenario>> {
        let mut all: Vec<_> = self.read().scenarios.values().cloned().collect();
        all.sort_by_key(|s| s.stored.created_at);
        all
    }

    /// The id and version of every live scenario.
    pub fn versions(&self) -> BTreeMap<String, i64> {
        self.read()
            .scenarios
            .iter()
            .map(|(id, s)| (id.clone(), s.stored.version))
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write_live(&self) -> std::sync::RwLockWriteGuard<'_, Live> {
        self.live.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes `scenario` the live version of its id unless a newer (or the same) version is
    /// live already or the id was deleted; returns it either way (a writer answers with the
    /// version it wrote).
    fn publish(&self, scenario: LiveScenario) -> Arc<LiveScenario> {
        let scenario = Arc::new(scenario);
        let mut live = self.write_live();
        let id = &scenario.stored.id;
        let newer = live
            .scenarios
            .get(id)
            .is_none_or(|current| current.stored.version < scenario.stored.version);
        if newer && !live.deleted.contains(id) {
            live.scenarios.insert(id.clone(), Arc::clone(&scenario));
            metrics::gauge!("freight_scenarios").set(live.scenarios.len() as f64);
        }
        scenario
    }

    /// Builds a scenario's network on the blocking pool (it derives geometry and a graph).
    async fn build(
        &self,
        definition: ScenarioDefinition,
    ) -> Result<(ScenarioDefinition, Arc<NetworkState>), CatalogError> {
        let base = Arc::clone(&self.base);
        tokio::task::spawn_blocking(move || {
            let network = NetworkState::new(apply(&base.network, &definition)?);
            Ok((definition, network))
        })
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }

    /// Validates `definition` against the base network, stores it, and makes it live.
    pub async fn create(
        &self,
        definition: ScenarioDefinition,
        now: i64,
    ) -> Result<Arc<LiveScenario>, CatalogError> {
        let text = definition.to_toml();
        if text.len() > MAX_DEFINITION_BYTES {
            return Err(CatalogError::Quota(format!(
                "definition: {} bytes as TOML; at most {MAX_DEFINITION_BYTES}",
                text.len()
            )));
        }
        let (definition, network) = self.build(definition).await?;
        let _writer = self.writer.lock().await;
        let stored_now = self.store.count().await?;
        if stored_now >= MAX_SCENARIOS {
            return Err(CatalogError::Quota(format!(
                "{stored_now} scenarios are stored, the most the store keeps ({MAX_SCENARIOS}); \
                 delete one first"
            )));
        }
        let stored = self.store.insert(&definition.name, &text, now).await?;
        Ok(self.publish(LiveScenario {
            stored,
            definition: Some(definition),
            network: Ok(network),
        }))
    }

    /// Replaces a scenario's definition (a broken scenario can be repaired this way).
    pub async fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        definition: ScenarioDefinition,
        now: i64,
    ) -> Result<Arc<LiveScenario>, CatalogError> {
        // Only this process writes a SQLite store, so an id it does not know is not stored:
        // answer before building. A shared store may hold a scenario another replica created
        // a moment ago; it decides.
        if matches!(self.store, ScenarioStore::Sqlite(_)) && self.get(id).is_none() {
            return Err(StoreError::NotFound(id.to_string()).into());
        }
        let (definition, network) = self.build(definition).await?;
        let _writer = self.writer.lock().await;
        let stored = self
            .store
            .update(
                id,
                expected_version,
                &definition.name,
                &definition.to_toml(),
                now,
            )
            .await?;
        Ok(self.publish(LiveScenario {
            stored,
            definition: Some(definition),
            network: Ok(network),
        }))
    }

    pub async fn delete(&self, id: &str) -> Result<(), CatalogError> {
        let _writer = self.writer.lock().await;
        self.store.delete(id).await?;
        self.forget(id);
        Ok(())
    }

    /// A committed row read back from the store (another replica's write): built off-lock
    /// and made live if it is newer than the live version. Returns whether it was.
    pub async fn adopt(&self, stored: StoredScenario) -> bool {
        let current = self.get(&stored.id).map(|s| s.stored.version);
        if current.is_some_and(|v| v >= stored.version) {
            return false;
        }
        let base = Arc::clone(&self.base);
        let scenario = tokio::task::spawn_blocking(move || LiveScenario::build(&base, stored))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        if let Err(problem) = &scenario.network {
            tracing::warn!(id = %scenario.stored.id, %problem,
                "a scenario stored by another replica does not apply to this base network");
        }
        let version = scenario.stored.version;
        let published = self.publish(scenario);
        self.get(&published.stored.id)
            .is_some_and(|s| s.stored.version == version)
    }

    /// Removes a deleted scenario, for good: a late copy of it is never published again.
    pub fn forget(&self, id: &str) -> bool {
        let mut live = self.write_live();
        live.deleted.insert(id.to_string());
        let removed = live.scenarios.remove(id).is_some();
        metrics::gauge!("freight_scenarios").set(live.scenarios.len() as f64);
        removed
    }
}
