//! The undo log that makes in-place application atomic: the value each top-level member of
//! the resource had before the PATCH first touched it.

use alloc::vec::Vec;
use serde_json::{Map, Value};

/// Prior values of the top-level members a PATCH touched, in the order first touched.
#[derive(Debug, Default)]
pub(crate) struct Undo<'k> {
    saved: Vec<(&'k str, Option<Value>)>,
}

impl<'k> Undo<'k> {
    /// Records the value of `doc[key]` unless it was recorded already.
    pub fn save(&mut self, doc: &Map<alloc::string::String, Value>, key: &'k str) {
        if !self.saved.iter().any(|(k, _)| *k == key) {
            self.saved.push((key, doc.get(key).cloned()));
        }
    }

    /// The value `key` had before the PATCH, when the PATCH touched it.
    pub fn before(&self, key: &str) -> Option<Option<&Value>> {
        self.saved
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// Whether any touched member differs from its prior value.
    pub fn changed(&self, doc: &Map<alloc::string::String, Value>) -> bool {
        self.saved.iter().any(|(k, v)| doc.get(*k) != v.as_ref())
    }

    /// Puts every touched member back as it was.
    pub fn restore(self, doc: &mut Map<alloc::string::String, Value>) {
        for (key, value) in self.saved {
            match value {
                Some(value) => {
                    doc.insert(key.into(), value);
                }
                None => {
                    doc.remove(key);
                }
            }
        }
    }
}
