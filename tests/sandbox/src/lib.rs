//! A Microsoft Graph sandbox tenant for LUCS App Registrar: the endpoints the registrar calls, behaving as
//! Microsoft documents them, with seeded faults. Used in-process by native tests (virtual time) and over HTTP
//! (`lucs-sandbox` binary) by the wasm and browser tests, the benchmark and `make demo`.

pub mod exchange;
pub mod faults;
pub mod graph_sp;
mod routes;
pub mod tenant;
pub mod token;

pub use exchange::Exchange;
pub use faults::Faults;
pub use tenant::{Registration, Reply, Tenant};
