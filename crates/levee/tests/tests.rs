//! The one integration-test binary of the `levee` CLI (see `autotests = false` in Cargo.toml).

#[macro_use]
mod macros;

mod assess;
mod catalog;
mod db;
mod firmware;
mod help;
mod hostile;
mod observe;
mod outputs;
mod scan;
mod schemas;
mod server;
mod tidy;
mod ui_e2e;
mod wild;
