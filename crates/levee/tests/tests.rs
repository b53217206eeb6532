//! The one integration-test binary of the `levee` CLI (see `autotests = false` in Cargo.toml).

#[macro_use]
mod macros;

mod assess;
mod catalog;
mod db;
mod help;
mod hostile;
mod scan;
mod schemas;
mod tidy;
