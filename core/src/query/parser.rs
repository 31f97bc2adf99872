//! Parser of filters and attribute paths (RFC 7644 §3.4.2.2, §3.5.2, ABNF of §8).
