//! Filters compiled against the schema registry into programs that evaluate without parsing.
