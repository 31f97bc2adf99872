//! The `meta` attribute: resource type, timestamps, location and version (RFC 7643 §3.1).
