//! The PatchOp message (RFC 7644 §3.5.2) parsed into typed operations.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::options::PatchOptions;
use crate::error::{Result, ScimError};
use crate::query::ast::PatchPath;
use crate::query::parser::parse_patch_path;

/// URN of the PatchOp message schema.
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The kind of a PATCH operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// `add` (RFC 7644 §3.5.2.1).
    Add,
    /// `remove` (RFC 7644 §3.5.2.2).
    Remove,
    /// `replace` (RFC 7644 §3.5.2.3).
    Replace,
}

impl OpKind {
    /// The wire name of this operation.
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Add => "add",
            OpKind::Remove => "remove",
            OpKind::Replace => "replace",
        }
    }
}

/// One operation of a PatchOp message.
///
/// [`PatchRequest::parse`] gives every operation a path: a path-less `add` or `replace` becomes
/// one operation per key of its value object, in key order, which is what RFC 7644 §3.5.2.1 and
/// §3.5.2.3 mean by it. A hand-built operation without a path is expanded the same way when it
/// is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// What to do.
    pub op: OpKind,
    /// The target; `None` targets the resource itself.
    pub path: Option<PatchPath>,
    /// The value; `Some(Value::Null)` is an explicit null (unassign, RFC 7643 §2.5).
    pub value: Option<Value>,
}

/// A parsed PatchOp message: its operations, applied in order and atomically.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatchRequest {
    /// The operations, in request order.
    pub operations: Vec<PatchOperation>,
}

impl PatchRequest {
    /// Parses a PatchOp body given as JSON text.
    pub fn from_slice(body: &[u8], options: &PatchOptions) -> Result<PatchRequest> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| ScimError::InvalidSyntax(format!("request body is not JSON: {e}")))?;
        PatchRequest::parse(&value, options)
    }

    /// Parses a PatchOp body: `invalidSyntax` for a malformed message, `noTarget` for a
    /// `remove` without path (RFC 7644 §3.5.2.2), `invalidPath`/`invalidFilter` for a bad path.
    pub fn parse(body: &Value, options: &PatchOptions) -> Result<PatchRequest> {
        let body = body
            .as_object()
            .ok_or_else(|| syntax("the PatchOp body must be a JSON object"))?;
        check_schemas(body)?;
        let ops = body
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Operations"))
            .map(|(_, v)| v)
            .ok_or_else(|| syntax("missing \"Operations\""))?
            .as_array()
            .ok_or_else(|| syntax("\"Operations\" must be an array"))?;
        if ops.is_empty() {
            return Err(syntax("\"Operations\" must hold at least one operation"));
        }
        let mut operations = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            parse_operation(i, op, options, &mut operations)?;
        }
        Ok(PatchRequest { operations })
    }
}

/// Checks that `schemas` is an array of strings naming the PatchOp message.
fn check_schemas(body: &Map<String, Value>) -> Result<()> {
    let schemas = body
        .get("schemas")
        .ok_or_else(|| syntax("missing \"schemas\""))?
        .as_array()
        .ok_or_else(|| syntax("\"schemas\" must be an array"))?;
    let mut found = false;
    for urn in schemas {
        let urn = urn
            .as_str()
            .ok_or_else(|| syntax("\"schemas\" must hold strings"))?;
        found |= urn.eq_ignore_ascii_case(PATCH_OP_URN);
    }
    if found {
        Ok(())
    } else {
        Err(syntax(format!(
            "\"schemas\" must contain \"{PATCH_OP_URN}\""
        )))
    }
}

/// Parses the operation at index `i` into `out` (several operations for a path-less one).
fn parse_operation(
    i: usize,
    op: &Value,
    options: &PatchOptions,
    out: &mut Vec<PatchOperation>,
) -> Result<()> {
    let op = op
        .as_object()
        .ok_or_else(|| syntax(format!("Operations[{i}] must be an object")))?;
    let name = op
        .get("op")
        .ok_or_else(|| syntax(format!("Operations[{i}] has no \"op\"")))?
        .as_str()
        .ok_or_else(|| syntax(format!("Operations[{i}].op must be a string")))?;
    let kind = op_kind(name, options).ok_or_else(|| {
        syntax(format!(
            "Operations[{i}].op \"{name}\" is not add, remove or replace"
        ))
    })?;
    let path = match op.get("path") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(parse_patch_path(text, options.parse_options())?),
        Some(_) => return Err(syntax(format!("Operations[{i}].path must be a string"))),
    };
    let value = op.get("value").cloned();
    match (kind, path, value) {
        (OpKind::Remove, None, _) => Err(ScimError::NoTarget(format!(
            "Operations[{i}]: remove requires a path"
        ))),
        (OpKind::Add, _, None | Some(Value::Null)) | (OpKind::Replace, _, None) => Err(syntax(
            format!("Operations[{i}]: {} requires a value", kind.as_str()),
        )),
        (_, None, Some(value)) => {
            for (path, value) in expand_value(&value, options)? {
                out.push(PatchOperation {
                    op: kind,
                    path: Some(path),
                    value: Some(value),
                });
            }
            Ok(())
        }
        (op, path, value) => {
            out.push(PatchOperation { op, path, value });
            Ok(())
        }
    }
}

/// The operation named `name`: lowercase per RFC 7644, any case with the Entra quirk.
fn op_kind(name: &str, options: &PatchOptions) -> Option<OpKind> {
    [OpKind::Add, OpKind::Remove, OpKind::Replace]
        .into_iter()
        .find(|k| {
            k.as_str() == name || (options.op_any_case && k.as_str().eq_ignore_ascii_case(name))
        })
}

/// Splits the value of a path-less `add`/`replace` into `(path, value)` pairs, one per key.
///
/// A key is an attribute name, an extension schema URN (its value is the extension's
/// attributes) or a URN-qualified attribute name; with [`PatchOptions::path_keys`] it may be any
/// PATCH path (`name.givenName`, `emails[type eq "work"].value`).
pub(crate) fn expand_value(
    value: &Value,
    options: &PatchOptions,
) -> Result<Vec<(PatchPath, Value)>> {
    let object = value.as_object().ok_or_else(|| {
        syntax("the value of an add or replace without path must be an object of attributes")
    })?;
    let mut out = Vec::with_capacity(object.len());
    for (key, value) in object {
        let path = parse_patch_path(key, options.parse_options())?;
        let simple = matches!(&path, PatchPath::Attr(a) if a.sub.is_none());
        if !simple && !options.path_keys {
            return Err(ScimError::InvalidPath {
                path: key.clone(),
                message: "a key of a path-less value must be an attribute name or schema URN"
                    .into(),
            });
        }
        out.push((path, value.clone()));
    }
    Ok(out)
}

/// An `invalidSyntax` error.
fn syntax(message: impl Into<String>) -> ScimError {
    ScimError::InvalidSyntax(message.into())
}
