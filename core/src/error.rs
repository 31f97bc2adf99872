//! Errors of the engine and their one mapping to SCIM error responses (RFC 7644 §3.12).

use alloc::string::{String, ToString};
use serde_json::{json, Value};

/// URN of the SCIM error message schema.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `scimType` detail codes of RFC 7644 §3.12, Table 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    /// The filter syntax or comparison is invalid.
    InvalidFilter,
    /// The query would return more results than the server allows.
    TooMany,
    /// A value is not unique where the schema requires it.
    Uniqueness,
    /// The change conflicts with an attribute's mutability.
    Mutability,
    /// The request body is not a valid SCIM message.
    InvalidSyntax,
    /// The PATCH path is invalid.
    InvalidPath,
    /// The PATCH path matched no target.
    NoTarget,
    /// A value is of the wrong type or out of range.
    InvalidValue,
    /// The protocol version is not supported.
    InvalidVers,
    /// The request carries sensitive data in the URL.
    Sensitive,
}

impl ScimType {
    /// The wire name of this `scimType`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
            ScimType::Sensitive => "sensitive",
        }
    }
}

/// Every failure the engine reports; `status` and `scim_type` give its SCIM mapping.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScimError {
    /// A filter failed to parse or compile; `pos` is the byte offset in the filter text.
    #[error("invalid filter at byte {pos}: {message}")]
    InvalidFilter {
        /// Byte offset of the problem in the filter text.
        pos: usize,
        /// What was expected or what went wrong.
        message: String,
    },
    /// An attribute path failed to parse or names no attribute.
    #[error("invalid path '{path}': {message}")]
    InvalidPath {
        /// The attribute path concerned.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A value has the wrong type, is missing, or breaks a schema rule.
    #[error("{path}: {message}")]
    InvalidValue {
        /// The attribute path concerned.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The request body is malformed or is not the expected SCIM message.
    #[error("invalid syntax: {0}")]
    InvalidSyntax(String),
    /// An attempt to change a readOnly or immutable attribute.
    #[error("{path}: {message}")]
    Mutability {
        /// The attribute path concerned.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A value that must be unique already exists.
    #[error("{path}: {message}")]
    Uniqueness {
        /// The attribute path concerned.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A PATCH path with a filter matched nothing.
    #[error("no target: {0}")]
    NoTarget(String),
    /// A query would return too many results.
    #[error("too many results: {0}")]
    TooMany(String),
    /// Sensitive information sent where it must not be (e.g. in the URL).
    #[error("sensitive: {0}")]
    Sensitive(String),
    /// The resource or endpoint does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The endpoint does not support the method.
    #[error("method not allowed: {0}")]
    MethodNotAllowed(String),
    /// Missing or invalid credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Valid credentials without permission for the operation.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request conflicts with the state of the service (e.g. a Bulk operation refers to
    /// a `bulkId` whose operation failed, or to a circular reference it cannot resolve).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The stored version differs from the one the client expected (`If-Match`).
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// The request body or bulk request exceeds a configured limit.
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// The request body has a media type other than JSON (`application/scim+json`).
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// The client exceeded its request rate; retry after the given seconds.
    #[error("too many requests, retry after {retry_after} s")]
    TooManyRequests {
        /// Seconds until the client may retry.
        retry_after: u32,
    },
    /// The feature is not implemented by this server.
    #[error("not implemented: {0}")]
    NotImplemented(String),
    /// The storage backend failed.
    #[error("storage failure: {0}")]
    Storage(String),
}

impl ScimError {
    /// The HTTP status RFC 7644 §3.12 assigns to this error.
    pub fn status(&self) -> u16 {
        match self {
            ScimError::InvalidFilter { .. }
            | ScimError::InvalidPath { .. }
            | ScimError::InvalidValue { .. }
            | ScimError::InvalidSyntax(_)
            | ScimError::Mutability { .. }
            | ScimError::NoTarget(_)
            | ScimError::TooMany(_)
            | ScimError::Sensitive(_) => 400,
            ScimError::Unauthorized(_) => 401,
            ScimError::Forbidden(_) => 403,
            ScimError::NotFound(_) => 404,
            ScimError::MethodNotAllowed(_) => 405,
            ScimError::Uniqueness { .. } | ScimError::Conflict(_) => 409,
            ScimError::PreconditionFailed(_) => 412,
            ScimError::PayloadTooLarge(_) => 413,
            ScimError::UnsupportedMediaType(_) => 415,
            ScimError::TooManyRequests { .. } => 429,
            ScimError::Storage(_) => 500,
            ScimError::NotImplemented(_) => 501,
        }
    }

    /// The `scimType` RFC 7644 §3.12 assigns to this error, if any.
    pub fn scim_type(&self) -> Option<ScimType> {
        match self {
            ScimError::InvalidFilter { .. } => Some(ScimType::InvalidFilter),
            ScimError::InvalidPath { .. } => Some(ScimType::InvalidPath),
            ScimError::InvalidValue { .. } => Some(ScimType::InvalidValue),
            ScimError::InvalidSyntax(_) => Some(ScimType::InvalidSyntax),
            ScimError::Mutability { .. } => Some(ScimType::Mutability),
            ScimError::Uniqueness { .. } => Some(ScimType::Uniqueness),
            ScimError::NoTarget(_) => Some(ScimType::NoTarget),
            ScimError::TooMany(_) => Some(ScimType::TooMany),
            ScimError::Sensitive(_) => Some(ScimType::Sensitive),
            _ => None,
        }
    }

    /// The attribute path the error is about, where it names one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ScimError::InvalidPath { path, .. }
            | ScimError::InvalidValue { path, .. }
            | ScimError::Mutability { path, .. }
            | ScimError::Uniqueness { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The SCIM error body (`urn:ietf:params:scim:api:messages:2.0:Error`), status as a string.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_URN],
            "status": self.status().to_string(),
            "detail": self.to_string(),
        });
        if let Some(t) = self.scim_type() {
            body["scimType"] = Value::String(t.as_str().into());
        }
        body
    }

    /// Shorthand for an [`ScimError::InvalidValue`] at `path`.
    pub fn invalid_value(path: impl Into<String>, message: impl Into<String>) -> Self {
        ScimError::InvalidValue {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an [`ScimError::InvalidFilter`] at byte `pos`.
    pub fn invalid_filter(pos: usize, message: impl Into<String>) -> Self {
        ScimError::InvalidFilter {
            pos,
            message: message.into(),
        }
    }
}

/// Result type of the engine.
pub type Result<T, E = ScimError> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_string_status_and_scim_type() {
        let body = ScimError::invalid_filter(4, "expected operator").to_json();
        assert_eq!(body["schemas"][0], ERROR_URN);
        assert_eq!(body["status"], "400");
        assert_eq!(body["scimType"], "invalidFilter");
        assert_eq!(
            body["detail"],
            "invalid filter at byte 4: expected operator"
        );
    }

    #[test]
    fn errors_without_scim_type_omit_it() {
        let body = ScimError::NotFound("User 42".into()).to_json();
        assert_eq!(body["status"], "404");
        assert!(body.get("scimType").is_none());
    }

    #[test]
    fn statuses_follow_rfc_7644_table() {
        let cases = [
            (
                ScimError::Uniqueness {
                    path: "userName".into(),
                    message: "taken".into(),
                },
                409,
            ),
            (ScimError::PreconditionFailed("etag".into()), 412),
            (ScimError::PayloadTooLarge("bulk".into()), 413),
            (ScimError::TooManyRequests { retry_after: 1 }, 429),
            (ScimError::MethodNotAllowed("PUT".into()), 405),
            (
                ScimError::Mutability {
                    path: "id".into(),
                    message: "readOnly".into(),
                },
                400,
            ),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status, "{err:?}");
        }
    }
}
