//! Tokens of the filter and path language.
