//! PostgreSQL databases for tests: each test makes one of its own and drops it at the end (hidden
//! from the documentation; the store and server test suites share them).

use crate::{StoreError, db, now_ms, sha256_hex};

/// Creates an empty database on the PostgreSQL server of `base_url` (a role that may create
/// databases) and returns its URL: every test gets a database of its own.
#[doc(hidden)]
pub async fn fresh_postgres_database(base_url: &str, name_hint: &str) -> Result<String, StoreError> {
    db::install_drivers();
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let salt = sha256_hex(format!("{}-{}-{n}-{name_hint}", now_ms(), std::process::id()).as_bytes());
    let clean: String = name_hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let name = format!("levee_t_{clean}_{}", &salt[..10]);
    let mut conn = <db::AnyConnection as db::Connection>::connect(base_url).await?;
    db::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let base = base_url.rsplit_once('/').map_or(base_url, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Drops a database [`fresh_postgres_database`] made (its URL), connecting through `base_url`.
#[doc(hidden)]
pub async fn drop_postgres_database(base_url: &str, url: &str) -> Result<(), StoreError> {
    db::install_drivers();
    let Some(name) = url.rsplit('/').next().filter(|n| n.starts_with("levee_t_")) else {
        return Ok(());
    };
    let mut conn = <db::AnyConnection as db::Connection>::connect(base_url).await?;
    db::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// A database of its own for one test on a PostgreSQL server, dropped when this goes out of scope.
#[doc(hidden)]
#[derive(Debug)]
pub struct TestDatabase {
    /// Its URL.
    pub url: String,
    base: String,
}

impl TestDatabase {
    /// Creates one on the server of `base_url`.
    pub async fn create(base_url: &str, name_hint: &str) -> Result<TestDatabase, StoreError> {
        Ok(TestDatabase {
            url: fresh_postgres_database(base_url, name_hint).await?,
            base: base_url.to_owned(),
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (base, url) = (self.base.clone(), self.url.clone());
        // Drop may run inside a runtime: drop the database from a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(rt) = rt {
                let _ = rt.block_on(drop_postgres_database(&base, &url));
            }
        })
        .join();
    }
}
