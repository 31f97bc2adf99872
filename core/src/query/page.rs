//! Pagination arithmetic (RFC 7644 §3.4.2.4).
