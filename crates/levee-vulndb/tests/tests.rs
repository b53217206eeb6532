//! The one integration-test binary of `levee-vulndb` (see `autotests = false` in Cargo.toml).

mod http;
mod import;
mod lock;
mod open;
mod signatures;
mod support;
mod update;
