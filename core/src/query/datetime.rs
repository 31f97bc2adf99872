//! RFC 3339 date-times parsed into comparable instants.
