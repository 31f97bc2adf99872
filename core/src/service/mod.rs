//! The host-neutral SCIM protocol service (RFC 7644 §3) over a storage trait.
