//! JavaScript backend: compiled filters, validators and PATCH operations emitted as JavaScript
//! source, for hosts (the npm package) where crossing into wasm costs more than the work.
//!
//! Like the SQL translation in [`query::sql`](crate::query::sql), this is core's logic in another
//! target language: the host only instantiates the text (`new Function`) and calls it. Every
//! emitted function answers only where it is certain core would answer the same, and returns
//! `undefined` everywhere else (a string that needs Unicode case folding outside the ranges
//! the emitted code knows, a dateTime in an unusual form, a value of an unexpected type, any
//! input core would reject); the host then asks core itself. So an emitted function may be
//! incomplete, never wrong, and the Node differential tests (`tests/npm/*-js.test.mjs`) check
//! exactly that against core on generated corpora.
//!
//! Each `*_source` function returns a JavaScript *expression* whose value is the function.

pub mod filter;
mod literal;
pub mod patch;
pub mod validate;

/// Case folding as core does it, where JavaScript certainly agrees (`foldStable`), shared by
/// the filter and PATCH code.
const FOLD: &str = include_str!("fold.js");
