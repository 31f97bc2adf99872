//! Evaluation of compiled filters against resources.
