//! PATCH (RFC 7644 §3.5.2): PatchOp parsing with client quirks and atomic application.
