//! Attribute projection: `attributes`, `excludedAttributes` and `returned` (RFC 7644 §3.4.2.5).
