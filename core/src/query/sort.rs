//! Sorting by an attribute path (RFC 7644 §3.4.2.3).
