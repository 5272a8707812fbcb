//! genesys-billing: exact invoice lines from Genesys Cloud billing data.
//!
//! The crate has three layers (the automerge/lightningcss split):
//! - a pure core (every module below except `client` and `wasm`): models,
//!   money, invoice lines and exports, with no wasm-bindgen, js-sys or I/O,
//!   tested natively with `cargo test`;
//! - `client` (wasm32 only): HTTP through the browser's or Node's `fetch`,
//!   polling, retries and the partner fan-out;
//! - `wasm` (wasm32 only): the one thin module that exports the JS API and
//!   converts types and errors.

pub mod compare;
pub mod currency;
pub mod dates;
pub mod decode;
pub mod error;
pub mod export;
pub mod invoice;
pub mod json;
pub mod model;
pub mod money;
pub mod oauth;
pub mod options;
pub mod pacer;
pub mod price_book;
pub mod region;
pub mod retry;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{BillingError, Result};
pub use invoice::{Invoice, InvoiceLine, InvoiceTotal, InvoiceWarning, LineKind};
