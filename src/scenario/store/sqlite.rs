//! The embedded scenario store: SQLite (bundled), one row per scenario holding its definition as the
//! scenario file text. Every write is one transaction, so a crash or `kill -9` at any moment
//! leaves each scenario either fully written or not at all. The schema is versioned with
//! SQLite's `user_version` and migrated forward at open.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Schema migrations, in order; migration `i` brings `user_version` from `i` to `i + 1`.
/// Never edit a released migration: append a new one.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE scenario (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT    NOT NULL UNIQUE,
        definition  TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
"];

use super::{public_id, row_id, StoreError, StoredRow, StoredScenario};

/// The scenario database. One connection behind a mutex: writes are few and short.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// The database file, named in problems with its rows.
    path: String,
}

fn name_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl SqliteStore {
    /// Opens (creating it if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        // WAL: readers never wait for the writer; FULL: a commit is on disk before it returns.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.display().to_string(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of an open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// SQLite's own consistency check: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction (SQLite rolls it
        // back), so a poisoned lock is still a good connection.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn insert(
        &self,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = tx.execute(
            "INSERT INTO scenario (name, definition, version, created_at, updated_at)
             VALUES (?1, ?2, 1, ?3, ?3)",
            params![name, definition_toml, now],
        );
        match inserted {
            Err(e) if name_taken(&e) => return Err(StoreError::NameTaken(name.to_string())),
            other => other?,
        };
        let row = tx.last_insert_rowid();
        tx.commit()?;
        Ok(StoredScenario {
            id: public_id(row),
            name: name.to_string(),
            definition_toml: definition_toml.to_string(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }

    /// Replaces a scenario's definition. With `expected_version`, fails unless the stored
    /// version is that one (another planner changed it meanwhile).
    pub fn update(
        &self,
        id: &str,
        expected_version: Option<i64>,
        name: &str,
        definition_toml: &str,
        now: i64,
    ) -> Result<StoredScenario, StoreError> {
        let row = row_id(id).ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<(i64, i64)> = tx
            .query_row(
                "SELECT version, created_at FROM scenario WHERE id = ?1",
                [row],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (version, created_at) = current.ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        if let Some(expected) = expected_version.filter(|&e| e != version) {
            return Err(StoreError::VersionMismatch {
                id: id.to_string(),
                expected,
                current: version,
            });
        }
        let updated = tx.execute(
            "UPDATE scenario SET name = ?2, definition = ?3, version = ?4, updated_at = ?5
             WHERE id = ?1",
            params![row, name, definition_toml, version + 1, now],
        );
        match updated {
            Err(e) if name_taken(&e) => return Err(StoreError::NameTaken(name.to_string())),
            other => other?,
        };
        tx.commit()?;
        Ok(StoredScenario {
            id: id.to_string(),
            name: name.to_string(),
            definition_toml: definition_toml.to_string(),
            version: version + 1,
            created_at,
            updated_at: now,
        })
    }

    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let row = row_id(id).ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        match self
            .conn()
            .execute("DELETE FROM scenario WHERE id = ?1", [row])?
        {
            0 => Err(StoreError::NotFound(id.to_string())),
            _ => Ok(()),
        }
    }

    /// Every stored scenario, oldest first; a row that cannot be read (a column of the wrong
    /// type, say) comes back as its id and a problem naming the database file, the row and
    /// the column, so that one bad row does not stop the others.
    pub fn list(&self) -> Result<Vec<StoredRow>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT id, name, definition, version, created_at, updated_at
             FROM scenario ORDER BY id",
        )?;
        let path = &self.path;
        let rows = statement.query_map([], |r| {
            let row: i64 = r.get(0)?;
            let read = || -> Result<StoredScenario, String> {
                fn column(i: usize, name: &'static str) -> impl Fn(rusqlite::Error) -> String {
                    move |e| format!("column {name} ({i}): {e}")
                }
                Ok(StoredScenario {
                    id: public_id(row),
                    name: r.get(1).map_err(column(1, "name"))?,
                    definition_toml: r.get(2).map_err(column(2, "definition"))?,
                    version: r.get(3).map_err(column(3, "version"))?,
                    created_at: r.get(4).map_err(column(4, "created_at"))?,
                    updated_at: r.get(5).map_err(column(5, "updated_at"))?,
                })
            };
            Ok(read().map_err(|problem| {
                (
                    public_id(row),
                    format!("scenario database {path}: row {row}: {problem}"),
                )
            }))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many scenarios are stored.
    pub fn count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM scenario", [], |r| r.get(0))?;
        Ok(n.max(0) as usize)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "scenario database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("freight-store-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("scenarios.db")
    }

    #[test]
    fn a_new_database_is_migrated_to_the_latest_schema_and_reopens() {
        let path = temp_db("migrate");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let s = store.insert("a", "name = \"a\"\n", 10).unwrap();
        drop(store);
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(again.list().unwrap(), vec![Ok(s)]);
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let path = temp_db("too-new");
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn names_are_unique_and_versions_guard_concurrent_updates() {
        let store = SqliteStore::open(&temp_db("unique")).unwrap();
        let a = store.insert("a", "x", 1).unwrap();
        store.insert("b", "x", 1).unwrap();
        assert!(matches!(store.insert("a", "y", 2), Err(StoreError::NameTaken(n)) if n == "a"));
        assert!(matches!(
            store.update(&a.id, None, "b", "y", 2),
            Err(StoreError::NameTaken(_))
        ));
        let a2 = store.update(&a.id, Some(1), "a", "y", 3).unwrap();
        assert_eq!((a2.version, a2.created_at, a2.updated_at), (2, 1, 3));
        assert!(matches!(
            store.update(&a.id, Some(1), "a", "z", 4),
            Err(StoreError::VersionMismatch { current: 2, .. })
        ));
        store.delete(&a.id).unwrap();
        assert!(matches!(store.delete(&a.id), Err(StoreError::NotFound(_))));
        assert!(matches!(
            store.delete("nonsense"),
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(store.list().unwrap().len(), 1);
    }
}
