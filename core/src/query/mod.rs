//! The query language: filters, attribute paths, sorting, pagination, projection and SQL push-down.

pub mod ast;
pub mod compile;
pub mod datetime;
pub mod eval;
pub mod lexer;
pub mod page;
pub mod parser;
pub mod printer;
pub mod projection;
pub mod resident;
pub mod sort;
pub mod sql;

pub use ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
pub use compile::{
    compile, compile_value_filter, AttrLocation, AttrRef, Comparison, CompileOptions,
    CompiledFilter, CompiledValueFilter, Literal, Node,
};
pub use datetime::Instant;
pub use page::Page;
pub use parser::{parse_attr_list, parse_attr_path, parse_filter, parse_patch_path, ParseOptions};
pub use projection::Projection;
pub use resident::Collection;
pub use sort::{sort, SortOrder, SortSpec};
pub use sql::{list_sql, IndexColumns, ListSql, PageSql, SqlValue, Statement};
