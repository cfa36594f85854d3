//! The scenario store: where scenario definitions live between restarts, behind one type so
//! that the catalogue and the API do not care which backend holds them.
//!
//! - [`SqliteStore`] (the embedded default, a file path): one process owns the file.
//! - [`PostgresStore`] (`postgres://…`): replicas share one database; each write also tells
//!   the other replicas (`NOTIFY`), which [`super::sync`] listens for.
//!
//! Both keep the same guarantees: a write is one transaction; names are unique (a constraint,
//! reported as [`StoreError::NameTaken`]); updates may name the version they expect
//! (optimistic concurrency, [`StoreError::VersionMismatch`]); the schema is versioned and
//! migrated forward at open, and a schema newer than the build is refused. Public ids are
//! `scn-<n>` over a sequence that never reuses a number, so an id names one scenario for ever
//! (the catalogue relies on that to ignore late news of a deleted one).

mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use postgres::{PostgresStore, NOTIFY_CHANNEL};
pub use sqlite::SqliteStore;

/// One stored scenario: its definition is the scenario file text.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScenario {
    pub id: String,
    pub name: String,
    pub definition_toml: String,
    /// 1 at creation, +1 on every update (optimistic concurrency).
    pub version: i64,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("scenario database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("scenario database schema version {found} is newer than this build knows ({known})")]
    TooNew { found: i64, known: i64 },
    #[error("a scenario named '{0}' already exists")]
    NameTaken(String),
    #[error("scenario '{0}' does not exist")]
    NotFound(String),
    #[error("scenario '{id}' is at version {current}, not {expected}")]
    VersionMismatch {
        id: String,
        expected: i64,
        current: i64,
    },
    #[error("scenario database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The database cannot be reached (down, restarting, connections cut, the pool's wait
    /// over): the write did not happen and may be retried. `store` names the database
    /// without its password.
    #[error("scenario database {store} is unavailable: {reason}")]
    Unavailable { store: String, reason: String },
    /// The database answered with an error that is not about reaching it.
    #[error("scenario database {store}: {reason}")]
    Database { store: String, reason: String },
    /// `--scenario-db` looks like a database URL but is not a valid one.
    #[error("scenario database URL: {0}")]
    Url(String),
}

/// One row of the store: the scenario, or its public id and why it cannot be read.
pub type StoredRow = Result<StoredScenario, (String, String)>;

const ID_PREFIX: &str = "scn-";

/// The row of a public id, which must be exactly the canonical form `scn-<n>`: no sign, no
/// leading zeros, so that one scenario has one id (`scn-01` is not `scn-1`).
pub(crate) fn row_id(id: &str) -> Option<i64> {
    let digits = id.strip_prefix(ID_PREFIX)?;
    let row: i64 = digits.parse().ok()?;
    (row > 0 && public_id(row) == id).then_some(row)
}

pub(crate) fn public_id(row: i64) -> String {
    format!("{ID_PREFIX}{row}")
}

/// Whether `--scenario-db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The scenario store of this process, whichever backend holds it.
#[derive(Debug, Clone)]
pub enum ScenarioStore {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PostgresStore>),
}

impl ScenarioStore {
    /// Opens the store `location` names: a `postgres://` or `postgresql://` URL is a shared
    /// PostgreSQL database, anything else the path of a SQLite file (created if needed).
    pub async fn open(location: &Path) -> Result<Self, StoreError> {
        match location.to_str().filter(|l| is_postgres_url(l)) {
            Some(url) => Ok(ScenarioStore::Postgres(Arc::new(
                PostgresStore::open(url).await?,
            ))),
            None => {
                let path = location.to_path_buf();
                let store = blocking(move || SqliteStore::open(&path)).await?;
                Ok(ScenarioStore::Sqlite(Arc::new(store)))
            }
        }
    }

    /// The store as logs and messages name it (a PostgreSQL URL without its password).
    pub fn describe(&self) -> String {
        match self {
            ScenarioStore::Sqlite(s) => s.path().to_string(),
            ScenarioStore::Postgres(p) => p.describe().to_string(),
        }
    }

    pub async fn insert(
        &self,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        match self {
            ScenarioStore::Sqlite(s) => {
                let (s, name, text) =
                    (Arc::clone(s), name.to_string(), definition_toml.to_string());
                blocking(move || s.insert(&name, &text, now)).await
            }
            ScenarioStore::Postgres(p) => p.insert(name, definition_toml, now).await,
        }
    }

    /// Replaces a scenario's definition. With `expected_version`, fails unless the stored
    /// version is that one (another planner changed it meanwhile).
    pub async fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        match self {
            ScenarioStore::Sqlite(s) => {
                let s = Arc::clone(s);
                let (id, name, text) = (
                    id.to_string(),
                    name.to_string(),
                    definition_toml.to_string(),
                );
                blocking(move || s.update(&id, expected_version, &name, &text, now)).await
            }
            ScenarioStore::Postgres(p) => {
                p.update(id, expected_version, name, definition_toml, now)
                    .await
            }
        }
    }

    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        match self {
            ScenarioStore::Sqlite(s) => {
                let (s, id) = (Arc::clone(s), id.to_string());
                blocking(move || s.delete(&id)).await
            }
            ScenarioStore::Postgres(p) => p.delete(id).await,
        }
    }

    /// Every stored scenario, oldest first (a row that cannot be read is its id and why).
    pub async fn list(&self) -> Result<Vec<StoredRow>, StoreError> {
        match self {
            ScenarioStore::Sqlite(s) => {
                let s = Arc::clone(s);
                blocking(move || s.list()).await
            }
            ScenarioStore::Postgres(p) => Ok(p.list().await?.into_iter().map(Ok).collect()),
        }
    }

    /// How many scenarios are stored.
    pub async fn count(&self) -> Result<usize, StoreError> {
        match self {
            ScenarioStore::Sqlite(s) => {
                let s = Arc::clone(s);
                blocking(move || s.count()).await
            }
            ScenarioStore::Postgres(p) => p.count().await,
        }
    }
}

/// Runs a SQLite call on the blocking pool: a commit waits for the disk (`synchronous=FULL`),
/// which must not hold up an async worker serving route queries.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn only_the_canonical_id_names_a_row() {
        assert_eq!(row_id("scn-1"), Some(1));
        assert_eq!(row_id("scn-42"), Some(42));
        for bad in [
            "scn-01", "scn-+1", "scn--1", "scn-0", "scn- 1", "SCN-1", "scn-1 ",
        ] {
            assert_eq!(row_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn database_urls_choose_postgres_and_paths_sqlite() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://h:5432/db"));
        assert!(!is_postgres_url("freight-scenarios.db"));
        assert!(!is_postgres_url("/var/lib/freight/postgres.db"));
    }
}
