//! The attributes a store must keep unique (RFC 7643 §7 `uniqueness` server or global).

use alloc::vec::Vec;

use super::model::{Attribute, Mutability, ResourceType, Uniqueness};
use super::registry::{Location, Registry, Resolved};

/// Pushes `attr` and its sub-attributes that clients set and that must be unique.
fn collect<'r>(location: Location<'r>, attr: &'r Attribute, out: &mut Vec<Resolved<'r>>) {
    if attr.mutability == Mutability::ReadOnly {
        return;
    }
    if attr.uniqueness != Uniqueness::None {
        out.push(Resolved {
            location,
            attr,
            sub: None,
        });
    }
    for sub in &attr.sub_attributes {
        if sub.mutability != Mutability::ReadOnly && sub.uniqueness != Uniqueness::None {
            out.push(Resolved {
                location,
                attr,
                sub: Some(sub),
            });
        }
    }
}

impl Registry {
    /// The attributes of `rt` whose values clients set and that must be unique (uniqueness
    /// `server` or `global`), e.g. `userName` for `User`; `id` is left out (the service
    /// assigns it). The store enforces these; `Resolved::attr.uniqueness` says the scope.
    pub fn unique_attributes<'r>(&'r self, rt: &'r ResourceType) -> Vec<Resolved<'r>> {
        let mut out = Vec::new();
        if let Some(core) = self.schema(&rt.schema) {
            for attr in core.attributes.iter().chain(&self.common.attributes) {
                collect(Location::Top, attr, &mut out);
            }
        }
        for ext in &rt.schema_extensions {
            if let Some(schema) = self.schema(&ext.schema) {
                for attr in &schema.attributes {
                    collect(Location::Extension(&schema.id), attr, &mut out);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn user_name_is_the_only_unique_builtin_user_attribute() {
        let reg = Registry::builtin();
        let user = reg.resource_type("User").unwrap();
        let unique = reg.unique_attributes(user);
        assert_eq!(unique.len(), 1);
        assert_eq!(unique[0].attr.name, "userName");
        assert_eq!(unique[0].location, Location::Top);
        assert_eq!(unique[0].attr.uniqueness, Uniqueness::Server);
        let group = reg.resource_type("Group").unwrap();
        assert!(reg.unique_attributes(group).is_empty());
    }

    #[test]
    fn custom_extension_and_sub_attribute_uniqueness_is_listed() {
        let mut reg = Registry::builtin();
        let doc = serde_json::json!({"id": "urn:acme:User", "attributes": [
            {"name": "badge", "type": "string", "uniqueness": "global"},
            {"name": "logins", "type": "complex", "multiValued": true, "subAttributes": [
                {"name": "handle", "type": "string", "uniqueness": "server"},
                {"name": "seen", "type": "dateTime", "mutability": "readOnly",
                 "uniqueness": "server"}
            ]}
        ]});
        reg.load_schemas_json(&doc.to_string()).unwrap();
        reg.add_extension(
            "User",
            crate::schema::SchemaExtension {
                schema: "urn:acme:User".into(),
                required: false,
            },
        )
        .unwrap();
        let user = reg.resource_type("User").unwrap();
        let names: Vec<_> = reg
            .unique_attributes(user)
            .iter()
            .map(|r| {
                (
                    r.location,
                    r.attr.name.as_str(),
                    r.sub.map(|s| s.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                (Location::Top, "userName", None),
                (Location::Extension("urn:acme:User"), "badge", None),
                (
                    Location::Extension("urn:acme:User"),
                    "logins",
                    Some("handle")
                ),
            ]
        );
    }
}
