//! Resource validation for create and replace (RFC 7643).
