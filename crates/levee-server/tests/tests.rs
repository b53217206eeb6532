//! The API suite, run against SQLite and PostgreSQL alike (see `support`).

mod api;
mod bad_input;
mod monitor;
mod routes;
mod support;
mod tls;
mod ui;
