//! Which attribute a member name selects inside one object of a body, as core's validator
//! resolves it: the first attribute of the scope's lists whose name matches ASCII
//! case-insensitively.

use alloc::vec::Vec;

use crate::schema::{Attribute, Mutability};

/// What a member name selects in a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// The attribute kept in this slot of the scope.
    Slot(usize),
    /// A readOnly attribute (this one of the scope's): core drops the value unseen.
    ReadOnly(usize),
    /// No attribute of the scope.
    Unknown,
}

/// The attributes one object of a body may hold.
pub(super) struct Scope<'r> {
    lists: Vec<&'r [Attribute]>,
    /// The attributes whose values are kept, in schema order (readOnly ones and those shadowed
    /// by an earlier attribute of the same name are not).
    pub(super) slots: Vec<&'r Attribute>,
    /// The readOnly attributes members may name, in schema order.
    pub(super) read_only: Vec<&'r Attribute>,
}

impl<'r> Scope<'r> {
    /// The scope of `lists`, searched in order.
    pub(super) fn new(lists: Vec<&'r [Attribute]>) -> Scope<'r> {
        let mut scope = Scope {
            lists,
            slots: Vec::new(),
            read_only: Vec::new(),
        };
        let (read_only, slots) = scope
            .attributes()
            .filter(|a| scope.resolve(&a.name).is_some_and(|r| core::ptr::eq(*a, r)))
            .partition(|a| a.mutability == Mutability::ReadOnly);
        scope.slots = slots;
        scope.read_only = read_only;
        scope
    }

    /// Every attribute of the scope, shadowed ones included.
    pub(super) fn attributes(&self) -> impl Iterator<Item = &'r Attribute> + '_ {
        self.lists.iter().flat_map(|l| l.iter())
    }

    /// The attribute `name` selects.
    fn resolve(&self, name: &str) -> Option<&'r Attribute> {
        self.attributes()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// What `name` selects.
    pub(super) fn target(&self, name: &str) -> Target {
        match self.resolve(name) {
            None => Target::Unknown,
            Some(a) if a.mutability == Mutability::ReadOnly => self
                .read_only
                .iter()
                .position(|s| core::ptr::eq(*s, a))
                .map_or(Target::Unknown, Target::ReadOnly),
            Some(a) => self
                .slots
                .iter()
                .position(|s| core::ptr::eq(*s, a))
                .map_or(Target::Unknown, Target::Slot),
        }
    }

    /// The slot whose attribute is named exactly `name` (core's `out.contains_key`).
    pub(super) fn slot_named(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.name == name)
    }

    /// The names members may use in canonical case, each once.
    pub(super) fn names(&self) -> Vec<&'r str> {
        let mut names: Vec<&'r str> = Vec::new();
        for a in self.attributes() {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&a.name)) {
                names.push(&a.name);
            }
        }
        names
    }

    /// The slots in the order their names sort as keys of a `serde_json::Map` (UTF-8 bytes).
    pub(super) fn sorted_slots(&self) -> Vec<(usize, &'r str)> {
        let mut sorted: Vec<(usize, &'r str)> = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.name.as_str()))
            .collect();
        sorted.sort_by(|a, b| a.1.cmp(b.1));
        sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;

    fn user_scope(registry: &Registry) -> Scope<'_> {
        let core = registry
            .schema("urn:ietf:params:scim:schemas:core:2.0:User")
            .expect("User schema");
        Scope::new(alloc::vec![
            core.attributes.as_slice(),
            registry.common().attributes.as_slice()
        ])
    }

    #[test]
    fn names_resolve_case_insensitively_and_read_only_ones_have_no_slot() {
        let registry = Registry::builtin();
        let scope = user_scope(&registry);
        let Target::Slot(s) = scope.target("USERNAME") else {
            panic!("userName has a slot");
        };
        assert_eq!(scope.slots[s].name, "userName");
        for name in ["id", "groups", "META"] {
            let Target::ReadOnly(r) = scope.target(name) else {
                panic!("{name} is readOnly");
            };
            assert!(scope.read_only[r].name.eq_ignore_ascii_case(name));
        }
        assert_eq!(scope.target("nope"), Target::Unknown);
        assert!(scope.slot_named("externalId").is_some());
        assert!(scope.slot_named("externalid").is_none());
    }

    #[test]
    fn sorted_slots_follow_byte_order() {
        let registry = Registry::builtin();
        let scope = user_scope(&registry);
        let names: Vec<&str> = scope.sorted_slots().iter().map(|s| s.1).collect();
        let mut expected = names.clone();
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert!(names.contains(&"x509Certificates"));
    }

    #[test]
    fn a_shadowed_attribute_gets_no_slot() {
        let a: Attribute =
            serde_json::from_value(serde_json::json!({"name": "title", "type": "string"}))
                .expect("attribute");
        let b: Attribute =
            serde_json::from_value(serde_json::json!({"name": "TITLE", "type": "integer"}))
                .expect("attribute");
        let first = [a];
        let second = [b];
        let scope = Scope::new(alloc::vec![&first[..], &second[..]]);
        assert_eq!(scope.slots.len(), 1);
        assert_eq!(scope.target("Title"), Target::Slot(0));
        assert_eq!(scope.names(), alloc::vec!["title"]);
    }
}
