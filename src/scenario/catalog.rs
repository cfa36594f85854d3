//! The live catalogue: every stored scenario applied to the base network, ready for queries.
//!
//! Readers take an `Arc` of one scenario version out of a map under a read lock held for a
//! pointer copy, so a query sees one consistent version however the scenario changes
//! meanwhile, and writers never stall queries: a write builds the new network first (the slow
//! part, outside every lock), commits it to the store, then swaps the pointer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use super::overlay::{apply, OverlayError};
use super::spec::ScenarioDefinition;
use super::store::{ScenarioStore, StoreError, StoredScenario};
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
    fn build(base: &NetworkState, stored: StoredScenario) -> Self {
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

/// The base network, the store, and the live version of every scenario.
#[derive(Debug)]
pub struct Catalog {
    base: Arc<NetworkState>,
    store: ScenarioStore,
    live: RwLock<BTreeMap<String, Arc<LiveScenario>>>,
    /// Serialises writers, so the store's commit order is the order versions go live in.
    writer: Mutex<()>,
}

impl Catalog {
    /// Loads every stored scenario and applies it to `base`; broken ones are logged and kept.
    pub fn open(base: Arc<NetworkState>, store: ScenarioStore) -> Result<Self, StoreError> {
        let mut live = BTreeMap::new();
        for row in store.list()? {
            let scenario = match row {
                Ok(stored) => LiveScenario::build(&base, stored),
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
            };
            if let Err(problem) = &scenario.network {
                tracing::warn!(id = %scenario.stored.id, name = %scenario.stored.name, %problem,
                    "stored scenario no longer applies to the base network");
            }
            live.insert(scenario.stored.id.clone(), Arc::new(scenario));
        }
        tracing::info!(scenarios = live.len(), "scenarios loaded");
        metrics::gauge!("freight_scenarios").set(live.len() as f64);
        Ok(Catalog {
            base,
            store,
            live: RwLock::new(live),
            writer: Mutex::new(()),
        })
    }

    pub fn base(&self) -> &Arc<NetworkState> {
        &self.base
    }

    pub fn get(&self, id: &str) -> Option<Arc<LiveScenario>> {
        self.read().get(id).cloned()
    }

    /// Every scenario, oldest first.
    pub fn list(&self) -> Vec<Arc<LiveScenario>> {
        let mut all: Vec<_> = self.read().values().cloned().collect();
        all.sort_by_key(|s| s.stored.created_at);
        all
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Arc<LiveScenario>>> {
        self.live.read().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, scenario: LiveScenario) -> Arc<LiveScenario> {
        let scenario = Arc::new(scenario);
        let mut live = self.live.write().unwrap_or_else(|p| p.into_inner());
        live.insert(scenario.stored.id.clone(), Arc::clone(&scenario));
        metrics::gauge!("freight_scenarios").set(live.len() as f64);
        scenario
    }

    /// Validates `definition` against the base network, stores it, and makes it live.
    pub fn create(
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
        let network = NetworkState::new(apply(&self.base.network, &definition)?);
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let stored_now = self.store.count()?;
        if stored_now >= MAX_SCENARIOS {
            return Err(CatalogError::Quota(format!(
                "{stored_now} scenarios are stored, the most the store keeps ({MAX_SCENARIOS}); \
                 delete one first"
            )));
        }
        let stored = self.store.insert(&definition.name, &text, now)?;
        Ok(self.publish(LiveScenario {
            stored,
            definition: Some(definition),
            network: Ok(network),
        }))
    }

    /// Replaces a scenario's definition (a broken scenario can be repaired this way).
    pub fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        definition: ScenarioDefinition,
        now: i64,
    ) -> Result<Arc<LiveScenario>, CatalogError> {
        if self.get(id).is_none() {
            return Err(StoreError::NotFound(id.to_string()).into());
        }
        let network = NetworkState::new(apply(&self.base.network, &definition)?);
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let stored = self.store.update(
            id,
            expected_version,
            &definition.name,
            &definition.to_toml(),
            now,
        )?;
        Ok(self.publish(LiveScenario {
            stored,
            definition: Some(definition),
            network: Ok(network),
        }))
    }

    pub fn delete(&self, id: &str) -> Result<(), CatalogError> {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.store.delete(id)?;
        let mut live = self.live.write().unwrap_or_else(|p| p.into_inner());
        live.remove(id);
        metrics::gauge!("freight_scenarios").set(live.len() as f64);
        Ok(())
    }
}
