//! The SQL layer: sqlx's core with its SQLite and PostgreSQL drivers behind the `Any` driver,
//! taken crate by crate (the `sqlx` umbrella would list the MySQL driver and its RSA crate in
//! the lock file although nothing builds them). Public for tests that tamper with rows.

pub use sqlx_core::any::{Any, AnyConnection, AnyPool, AnyPoolOptions, AnyRow};
pub use sqlx_core::connection::Connection;
pub use sqlx_core::error::Error;
pub use sqlx_core::query::query;
pub use sqlx_core::query_scalar::query_scalar;
pub use sqlx_core::raw_sql::raw_sql;
pub use sqlx_core::row::Row;
pub use sqlx_core::transaction::Transaction;

/// Registers the SQLite and PostgreSQL drivers with `Any` (once per process).
pub fn install_drivers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ =
            sqlx_core::any::driver::install_drivers(&[sqlx_sqlite::any::DRIVER, sqlx_postgres::any::DRIVER]);
    });
}
