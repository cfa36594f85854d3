//! The shared scenario store: PostgreSQL through `tokio-postgres`, for replicas that must agree.
//!
//! Same table and guarantees as the SQLite store. A write is one transaction that also sends
//! `NOTIFY freight_scenarios, '<id>'`: PostgreSQL delivers a notification only when (and if)
//! its transaction commits, so a replica that hears one reads a committed row. Optimistic
//! concurrency is a conditional `UPDATE … WHERE version = $n` (no read-then-write window);
//! unique names are a constraint, its violation (SQLSTATE 23505) reported as `NameTaken`. The
//! schema version is one row in `schema_version`, migrated forward at open under an advisory
//! lock so replicas starting together do not race.
//!
//! Connections come from a small pool of our own: at most [`POOL_SIZE`] at once, each
//! checked out for one call; a connection that failed is dropped, not returned, and a new
//! one is made on the next call. Every call is bounded in time, so a database that stops
//! answering gives `Unavailable` rather than a stuck write.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};
use tokio_postgres::error::SqlState;
use tokio_postgres::{AsyncMessage, Client, Config, NoTls};

use super::{public_id, row_id, StoreError, StoredScenario};

/// The channel every write notifies, with the scenario's public id as the payload.
pub const NOTIFY_CHANNEL: &str = "freight_scenarios";

/// Schema migrations, in order; migration `i` brings `schema_version` from `i` to `i + 1`.
/// Never edit a released migration: append a new one.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE scenario (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name        TEXT   NOT NULL CONSTRAINT scenario_name_unique UNIQUE,
        definition  TEXT   NOT NULL,
        version     BIGINT NOT NULL,
        created_at  BIGINT NOT NULL,
        updated_at  BIGINT NOT NULL
    );
"];

/// Connections of one replica's pool (the listener's is separate). Writes are few and short;
/// reads for the catalogue come from memory, not from here.
pub const POOL_SIZE: usize = 4;
/// The longest a call waits for a connection, the database's answer included.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The advisory lock migrations run under (any constant of ours: "frgt").
const MIGRATION_LOCK: i64 = 0x6672_6774;
/// Notifications buffered between the listener's connection and the catalogue's sync loop;
/// when full, the connection is not read until there is room (PostgreSQL queues the rest).
const NOTIFY_BUFFER: usize = 1024;

/// The scenario database of a replica set.
pub struct PostgresStore {
    config: Config,
    /// `postgres://user@host:port/db`: the URL without its password, for messages and logs.
    described: String,
    idle: Mutex<Vec<Client>>,
    slots: Semaphore,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.described)
            .finish_non_exhaustive()
    }
}

/// What a database call can fail with: the driver's error (classified by the store) or an
/// answer of ours.
enum Failure {
    Driver(tokio_postgres::Error),
    Store(StoreError),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Driver(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

/// Whether a driver error means the database is out of reach (rather than that it refused
/// this statement): the connection closed or failed, or the server is shutting down,
/// starting up, out of connections or cut our session.
fn out_of_reach(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            let code = code.code();
            code.starts_with("08") || code.starts_with("57P") || code.starts_with("53")
        }
        // No SQLSTATE: the error is ours or the socket's, not the server's answer.
        None => std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

/// A pool connection checked out for one call; returned on [`Checkout::release`], dropped
/// otherwise (a connection whose call failed or timed out is not trusted again).
struct Checkout<'a> {
    client: Option<Client>,
    store: &'a PostgresStore,
    _slot: tokio::sync::SemaphorePermit<'a>,
}

impl Checkout<'_> {
    fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("checked out")
    }

    fn release(mut self) {
        if let Some(client) = self.client.take().filter(|c| !c.is_closed()) {
            self.store
                .idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(client);
        }
    }
}

impl PostgresStore {
    /// Connects to the database `url` names and migrates its schema.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let mut config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
            // The driver's message never repeats the URL, so no password leaks through it.
            StoreError::Url(e.to_string())
        })?;
        config
            .application_name("freight-router")
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(10))
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(3);
        let store = PostgresStore {
            described: describe(&config),
            config,
            idle: Mutex::new(Vec::new()),
            slots: Semaphore::new(POOL_SIZE),
        };
        {
            let mut conn = store.checkout().await?;
            let migrated = store.bounded(migrate(conn.client())).await;
            if migrated.is_ok() {
                conn.release();
            }
            migrated?;
        }
        Ok(store)
    }

    /// The database as messages name it: `postgres://user@host:port/db`, no password.
    pub fn describe(&self) -> &str {
        &self.described
    }

    fn unavailable(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Unavailable {
            store: self.described.clone(),
            reason: reason.to_string(),
        }
    }

    fn classify(&self, failure: Failure) -> StoreError {
        match failure {
            Failure::Store(e) => e,
            Failure::Driver(e) if out_of_reach(&e) => self.unavailable(e),
            Failure::Driver(e) => StoreError::Database {
                store: self.described.clone(),
                reason: e.to_string(),
            },
        }
    }

    /// A new connection, its I/O driven by a task of its own until it closes.
    async fn connect(&self) -> Result<Client, StoreError> {
        let (client, connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| self.unavailable(e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "scenario database connection ended");
            }
        });
        Ok(client)
    }

    /// A connection for one call: an idle one of the pool or a new one, waiting at most
    /// [`CALL_TIMEOUT`] for a free slot.
    async fn checkout(&self) -> Result<Checkout<'_>, StoreError> {
        let slot = tokio::time::timeout(CALL_TIMEOUT, self.slots.acquire())
            .await
            .map_err(|_| self.unavailable("every pool connection stayed busy for 5 s"))?
            .expect("the pool's semaphore is never closed");
        let reused = loop {
            let next = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match next {
                Some(client) if client.is_closed() => continue,
                other => break other,
            }
        };
        let client = match reused {
            Some(client) => client,
            None => self.connect().await?,
        };
        Ok(Checkout {
            client: Some(client),
            store: self,
            _slot: slot,
        })
    }

    /// Runs one call with the time bound, classifying its failure.
    async fn bounded<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, Failure>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(CALL_TIMEOUT, call).await {
            Ok(result) => result.map_err(|f| self.classify(f)),
            Err(_) => Err(self.unavailable("no answer within 5 s")),
        }
    }

    /// Runs `call` on a pooled connection, returning the connection unless the database
    /// went out of reach.
    async fn with_connection<T>(
        &self,
        call: impl for<'c> FnOnce(
            &'c mut Client,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, Failure>> + Send + 'c>,
        >,
    ) -> Result<T, StoreError> {
        let mut conn = self.checkout().await?;
        let result = self.bounded(call(conn.client())).await;
        if !matches!(result, Err(StoreError::Unavailable { .. })) {
            conn.release();
        }
        result
    }

    pub async fn insert(
        &self,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        let (name, text) = (name.to_string(), definition_toml.to_string());
        self.with_connection(move |client| {
            Box::pin(async move {
                let tx = client.transaction().await?;
                let inserted = tx
                    .query_one(
                        "INSERT INTO scenario (name, definition, version, created_at, updated_at)
                         VALUES ($1, $2, 1, $3, $3) RETURNING id",
                        &[&name, &text, &now],
                    )
                    .await;
                let row: i64 = match inserted {
                    Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                        return Err(StoreError::NameTaken(name).into())
                    }
                    other => other?.get(0),
                };
                let id = public_id(row);
                notify(&tx, &id).await?;
                tx.commit().await?;
                Ok(StoredScenario {
                    id,
                    name,
                    definition_toml: text,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                })
            })
        })
        .await
    }

    /// Replaces a scenario's definition; with `expected_version`, only if the stored version
    /// is still that one (checked by the `UPDATE` itself, so two replicas cannot both pass).
    pub async fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        let row = row_id(id).ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let (id, name, text) = (
            id.to_string(),
            name.to_string(),
            definition_toml.to_string(),
        );
        self.with_connection(move |client| {
            Box::pin(async move {
                let tx = client.transaction().await?;
                let updated = tx
                    .query_opt(
                        "UPDATE scenario
                         SET name = $2, definition = $3, version = version + 1, updated_at = $4
                         WHERE id = $1 AND ($5::BIGINT IS NULL OR version = $5)
                         RETURNING version, created_at",
                        &[&row, &name, &text, &now, &expected_version],
                    )
                    .await;
                let (version, created_at): (i64, i64) = match updated {
                    Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                        return Err(StoreError::NameTaken(name).into())
                    }
                    Ok(Some(r)) => (r.get(0), r.get(1)),
                    Ok(None) => {
                        let current = tx
                            .query_opt("SELECT version FROM scenario WHERE id = $1", &[&row])
                            .await?;
                        return Err(match (current, expected_version) {
                            (Some(r), Some(expected)) => StoreError::VersionMismatch {
                                id,
                                expected,
                                current: r.get(0),
                            },
                            _ => StoreError::NotFound(id),
                        }
                        .into());
                    }
                    Err(e) => return Err(e.into()),
                };
                notify(&tx, &id).await?;
                tx.commit().await?;
                Ok(StoredScenario {
                    id,
                    name,
                    definition_toml: text,
                    version,
                    created_at,
                    updated_at: now,
                })
            })
        })
        .await
    }

    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        let row = row_id(id).ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let id = id.to_string();
        self.with_connection(move |client| {
            Box::pin(async move {
                let tx = client.transaction().await?;
                if tx
                    .execute("DELETE FROM scenario WHERE id = $1", &[&row])
                    .await?
                    == 0
                {
                    return Err(StoreError::NotFound(id).into());
                }
                notify(&tx, &id).await?;
                tx.commit().await?;
                Ok(())
            })
        })
        .await
    }

    /// Every stored scenario, oldest first.
    pub async fn list(&self) -> Result<Vec<StoredScenario>, StoreError> {
        self.with_connection(|client| {
            Box::pin(async move {
                let rows = client
                    .query(
                        "SELECT id, name, definition, version, created_at, updated_at
                         FROM scenario ORDER BY id",
                        &[],
                    )
                    .await?;
                Ok(rows.iter().map(scenario).collect())
            })
        })
        .await
    }

    /// One scenario, or `None` if no row has that id (never created, or deleted).
    pub async fn get(&self, id: &str) -> Result<Option<StoredScenario>, StoreError> {
        let Some(row) = row_id(id) else {
            return Ok(None);
        };
        self.with_connection(move |client| {
            Box::pin(async move {
                let found = client
                    .query_opt(
                        "SELECT id, name, definition, version, created_at, updated_at
                         FROM scenario WHERE id = $1",
                        &[&row],
                    )
                    .await?;
                Ok(found.as_ref().map(scenario))
            })
        })
        .await
    }

    /// Every scenario's id and version: what a resync compares before reading any
    /// definition.
    pub async fn versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.with_connection(|client| {
            Box::pin(async move {
                let rows = client
                    .query("SELECT id, version FROM scenario ORDER BY id", &[])
                    .await?;
                Ok(rows
                    .iter()
                    .map(|r| (public_id(r.get(0)), r.get(1)))
                    .collect())
            })
        })
        .await
    }

    pub async fn count(&self) -> Result<usize, StoreError> {
        self.with_connection(|client| {
            Box::pin(async move {
                let n: i64 = client
                    .query_one("SELECT COUNT(*) FROM scenario", &[])
                    .await?
                    .get(0);
                Ok(n.max(0) as usize)
            })
        })
        .await
    }

    /// The schema version of the database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.with_connection(|client| {
            Box::pin(async move {
                Ok(client
                    .query_one("SELECT version FROM schema_version", &[])
                    .await?
                    .get(0))
            })
        })
        .await
    }

    /// A dedicated connection that `LISTEN`s on [`NOTIFY_CHANNEL`]; the receiver yields each
    /// notified scenario id and ends when the connection does.
    pub async fn listen(&self) -> Result<Listener, StoreError> {
        let (client, mut connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| self.unavailable(e))?;
        let (tx, ids) = mpsc::channel(NOTIFY_BUFFER);
        let described = self.described.clone();
        tokio::spawn(async move {
            loop {
                match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                    Some(Ok(AsyncMessage::Notification(n))) => {
                        if tx.send(n.payload().to_string()).await.is_err() {
                            break; // the sync loop let go of the listener
                        }
                    }
                    Some(Ok(_)) => {} // a notice
                    Some(Err(e)) => {
                        tracing::warn!(database = %described, error = %e,
                            "scenario database listener connection lost");
                        break;
                    }
                    None => break,
                }
            }
        });
        let listen = format!("LISTEN {NOTIFY_CHANNEL}");
        match tokio::time::timeout(CALL_TIMEOUT, client.batch_execute(&listen)).await {
            Ok(Ok(())) => Ok(Listener {
                _client: client,
                ids,
            }),
            Ok(Err(e)) => Err(self.classify(Failure::Driver(e))),
            Err(_) => Err(self.unavailable("LISTEN got no answer within 5 s")),
        }
    }
}

/// A connection listening for scenario changes (kept open as long as this lives).
pub struct Listener {
    _client: Client,
    /// The ids of changed scenarios, in commit order; closed when the connection ends.
    pub ids: mpsc::Receiver<String>,
}

async fn notify(tx: &tokio_postgres::Transaction<'_>, id: &str) -> Result<(), Failure> {
    tx.execute("SELECT pg_notify($1, $2)", &[&NOTIFY_CHANNEL, &id])
        .await?;
    Ok(())
}

fn scenario(r: &tokio_postgres::Row) -> StoredScenario {
    StoredScenario {
        id: public_id(r.get(0)),
        name: r.get(1),
        definition_toml: r.get(2),
        version: r.get(3),
        created_at: r.get(4),
        updated_at: r.get(5),
    }
}

async fn migrate(client: &mut Client) -> Result<(), Failure> {
    let known = MIGRATIONS.len() as i64;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
             version  BIGINT  NOT NULL
         )",
    )
    .await?;
    let found: i64 = tx
        .query_opt("SELECT version FROM schema_version", &[])
        .await?
        .map_or(0, |r| r.get(0));
    if found > known {
        return Err(StoreError::TooNew { found, known }.into());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).await?;
        tracing::info!(version = i + 1, "scenario database migrated");
    }
    tx.execute(
        "INSERT INTO schema_version (only_row, version) VALUES (TRUE, $1)
         ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version",
        &[&known.max(found)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `postgres://user@host:port/db` of a connection configuration, without the password.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("postgres://{user}{host}:{port}/{db}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_leaves_the_password_out() {
        let config: Config = "postgres://freight:s3cret@db.example:6543/scenarios"
            .parse()
            .unwrap();
        assert_eq!(
            describe(&config),
            "postgres://freight@db.example:6543/scenarios"
        );
    }
}
