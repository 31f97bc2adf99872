//! Target `patch`: parse a PatchOp body and apply it to stored Users and a Group with the
//! default, strict and lenient options.
//!
//! An input starting with `{` (after whitespace) is the raw JSON body; any other input is read
//! with `arbitrary` as a list of operations (op name, path, value) built from SCIM names.
//!
//! Invariants:
//! - errors are 4xx with a `scimType` (the resource, borrowed immutably, stays as it was);
//! - `changed` is true exactly when the result differs from the original;
//! - a changed result validates strictly as a replacement of the original;
//! - a compiled PATCH gives the same outcome each time it is applied.

use arbitrary::{Arbitrary, Unstructured};
use scim_core::patch::{CompiledPatch, PatchOptions, PatchRequest, PATCH_OP_URN};
use scim_core::resource::validate::{validate, Mode, ValidateOptions};
use scim_core::schema::ResourceType;
use serde_json::{json, Value};

use crate::fixtures::fixtures;
use crate::json::{word, Json, Text};
use crate::path::check_client_error;

/// Most operations taken from a structured input.
const MAX_OPS: usize = 8;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let body = if data.trim_ascii_start().starts_with(b"{") {
        match serde_json::from_slice::<Value>(data) {
            Ok(body) => body,
            Err(_) => return,
        }
    } else {
        match PatchInput::arbitrary_take_rest(Unstructured::new(data)) {
            Ok(input) => input.to_body(),
            Err(_) => return,
        }
    };
    let fx = fixtures();
    for options in [
        PatchOptions::default(),
        PatchOptions::STRICT,
        PatchOptions::LENIENT,
    ] {
        let request = match PatchRequest::parse(&body, &options) {
            Ok(request) => request,
            Err(err) => {
                check_client_error(&err);
                continue;
            }
        };
        for (rt, resources) in [
            (fx.user_type(), fx.users.as_slice()),
            (fx.group_type(), std::slice::from_ref(&fx.group)),
        ] {
            let compiled = match CompiledPatch::new(&request, &fx.registry, rt, &options) {
                Ok(compiled) => compiled,
                Err(err) => {
                    check_client_error(&err);
                    continue;
                }
            };
            for resource in resources {
                check_apply(&compiled, rt, resource);
            }
        }
    }
}

fn check_apply(compiled: &CompiledPatch<'_>, rt: &ResourceType, resource: &Value) {
    let outcome = compiled.apply(resource);
    assert_eq!(
        compiled.apply(resource),
        outcome,
        "applying the same compiled PATCH twice gave different outcomes"
    );
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(err) => return check_client_error(&err),
    };
    assert_eq!(
        outcome.changed,
        outcome.resource != *resource,
        "`changed` is {} but the resource {} differ",
        outcome.changed,
        if outcome.changed { "does not" } else { "does" }
    );
    if outcome.changed {
        let mode = Mode::Replace { existing: resource };
        let options = ValidateOptions { lenient: false };
        let fx = fixtures();
        if let Err(violations) =
            validate(&fx.registry, rt, outcome.resource.clone(), mode, &options)
        {
            panic!(
                "a successful PATCH gave a {} that fails validation: {violations}\n{}",
                rt.name, outcome.resource
            );
        }
    }
}

/// A PatchOp message built from fuzz bytes.
#[derive(Debug, Arbitrary)]
struct PatchInput {
    operations: Vec<OpInput>,
}

impl PatchInput {
    fn to_body(&self) -> Value {
        let ops: Vec<Value> = self
            .operations
            .iter()
            .take(MAX_OPS)
            .map(OpInput::to_value)
            .collect();
        json!({"schemas": [PATCH_OP_URN], "Operations": ops})
    }
}

#[derive(Debug, Arbitrary)]
struct OpInput {
    op: OpName,
    path: Option<PathInput>,
    value: Option<Json>,
}

impl OpInput {
    fn to_value(&self) -> Value {
        let mut op = json!({"op": self.op.as_str()});
        if let Some(path) = &self.path {
            op["path"] = Value::String(path.text());
        }
        if let Some(value) = &self.value {
            op["value"] = value.to_value();
        }
        op
    }
}

#[derive(Debug, Arbitrary)]
enum OpName {
    Add,
    Remove,
    Replace,
    /// A spelling from a fixed list (Entra capitalises), or any text.
    Other(u8, Text),
}

impl OpName {
    fn as_str(&self) -> &str {
        const SPELLINGS: [&str; 6] = ["Add", "Replace", "Remove", "ADD", "rePlace", "delete"];
        match self {
            OpName::Add => "add",
            OpName::Remove => "remove",
            OpName::Replace => "replace",
            OpName::Other(i, text) => SPELLINGS
                .get(usize::from(*i))
                .copied()
                .unwrap_or(text.as_str()),
        }
    }
}

/// Paths a PATCH names, as Okta, Entra and the RFC write them.
const PATHS: [&str; 28] = [
    "userName",
    "name",
    "name.givenName",
    "name.familyName",
    "displayName",
    "active",
    "title",
    "externalId",
    "emails",
    "emails.value",
    "emails[type eq \"work\"]",
    "emails[type eq \"work\"].value",
    "emails[primary eq true].value",
    "phoneNumbers[type eq \"mobile\"].value",
    "addresses[type eq \"work\"].streetAddress",
    "addresses[type eq \"work\"]",
    "roles",
    "x509Certificates",
    "members",
    "members[value eq \"00000002\"]",
    "members[value eq \"00000001\"].display",
    "id",
    "meta",
    "groups",
    "schemas",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
];

#[derive(Debug, Arbitrary)]
enum PathInput {
    /// One of [`PATHS`].
    Known(u8),
    /// `attr[sub op literal].sub2` from words.
    Filtered {
        attr: u8,
        sub: u8,
        op: u8,
        literal: Json,
        then: Option<u8>,
    },
    /// Any text.
    Free(String),
}

impl PathInput {
    fn text(&self) -> String {
        const OPS: [&str; 10] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"];
        match self {
            PathInput::Known(i) => PATHS[usize::from(*i) % PATHS.len()].into(),
            PathInput::Filtered {
                attr,
                sub,
                op,
                literal,
                then,
            } => {
                let op = OPS[usize::from(*op) % OPS.len()];
                let mut text = format!("{}[{} {op}", word(*attr), word(*sub));
                if op != "pr" {
                    text.push(' ');
                    text.push_str(&literal.to_value().to_string());
                }
                text.push(']');
                if let Some(then) = then {
                    text.push('.');
                    text.push_str(word(*then));
                }
                text
            }
            PathInput::Free(text) => text.clone(),
        }
    }
}
