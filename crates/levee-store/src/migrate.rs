//! Migrations: SQL files compiled in, applied in order at open, each in its own transaction
//! together with its row in `levee_migrations` (version, name, SHA-256 of the text). A migration
//! whose text changed after it was applied stops the open.

use crate::db;
use crate::db::Row;

use crate::{Store, StoreError, now_ms, sha256_hex};

/// Every migration, in order: (version, name, SQL).
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (2, "monitoring", include_str!("../migrations/0002_monitoring.sql")),
];

pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    db::query(
        "CREATE TABLE IF NOT EXISTS levee_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
         sha256 TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(store.pool())
    .await?;
    for &(version, name, sql) in MIGRATIONS {
        let digest = sha256_hex(sql.as_bytes());
        // Two servers starting together: the loser of the race fails its insert, rolls back and
        // finds the migration applied on the second look.
        for attempt in 0..2 {
            let applied = db::query("SELECT sha256 FROM levee_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(store.pool())
                .await?;
            if let Some(row) = applied {
                let stored: String = row.try_get(0)?;
                if stored != digest {
                    return Err(StoreError::MigrationChanged {
                        version,
                        name: name.to_owned(),
                    });
                }
                break;
            }
            let mut tx = store.pool().begin().await?;
            let done = async {
                db::query("INSERT INTO levee_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)")
                    .bind(version)
                    .bind(name)
                    .bind(&digest)
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
                db::raw_sql(sql).execute(&mut *tx).await?;
                Ok::<(), db::Error>(())
            }
            .await;
            match done {
                Ok(()) => {
                    tx.commit().await?;
                    break;
                }
                Err(_) if attempt == 0 => drop(tx),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
