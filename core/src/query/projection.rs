//! Attribute projection: `attributes`, `excludedAttributes` and `returned` (RFC 7644 §3.4.2.5).
//!
//! A [`Projection`] is compiled once per request from the schema's `returned` characteristics
//! (RFC 7643 §7) and the two parameters, then applied to each resource:
//! - `returned: never` attributes (`password`) are never in the output;
//! - `returned: always` attributes (`id`) and `schemas` are always in it;
//! - with `attributes`, the output holds those attributes (an attribute named whole brings all
//!   its sub-attributes but `never` ones; `name.givenName` brings only that sub-attribute) plus
//!   the `always` ones; `returned: request` attributes appear only when named there;
//! - otherwise every `default` attribute is returned except those in `excludedAttributes`
//!   (which cannot remove `always` attributes or sub-attributes);
//! - when both parameters are given, `attributes` wins and `excludedAttributes` is ignored;
//! - a bare extension URN names the whole extension, and `urn:…:attr` one of its attributes;
//! - names that are not attributes of the resource type are ignored, not errors: the RFC
//!   gives no error for them, and a client asking for an attribute the server lacks should
//!   still get the resource;
//! - an extension object, or a complex value, left with nothing is left out;
//! - keys of the resource that no schema defines are left out.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::ast::AttrPath;
use crate::schema::{Attribute, Location, Registry, Resolved, ResourceType, Returned};

/// What to keep of one value.
#[derive(Debug, Clone, PartialEq)]
enum Rule {
    /// The whole value.
    All,
    /// Only these keys of the object, or of each object in the array, with their own rules.
    Keys(Vec<(String, Rule)>),
}

/// A compiled `attributes`/`excludedAttributes` selection for one resource type.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    keys: Vec<(String, Rule)>,
}

/// A parameter's paths, resolved: which attributes or sub-attributes it names.
#[derive(Default)]
struct Named {
    /// Extension URNs named whole (canonical).
    extensions: Vec<String>,
    /// (extension URN or `None` for the top level, attribute, sub-attribute) named.
    attrs: Vec<(Option<String>, String, Option<String>)>,
}

/// How much of an attribute a parameter names.
enum Mention<'n> {
    None,
    Whole,
    Subs(Vec<&'n str>),
}

impl Named {
    fn new(registry: &Registry, rt: &ResourceType, paths: &[AttrPath]) -> Named {
        let mut named = Named::default();
        for p in paths {
            let urn = p.urn.as_deref();
            if let Some(Resolved {
                location,
                attr,
                sub,
            }) = registry.resolve(rt, urn, &p.name, p.sub.as_deref())
            {
                let ext = match location {
                    Location::Top => None,
                    Location::Extension(u) => Some(String::from(u)),
                };
                named
                    .attrs
                    .push((ext, attr.name.clone(), sub.map(|s| s.name.clone())));
            } else if let Some(ext) = urn
                .filter(|_| p.sub.is_none())
                .and_then(|u| registry.extension_urn(rt, u, &p.name))
            {
                named.extensions.push(ext.into());
            }
        }
        named
    }

    fn mention(&self, ext: Option<&str>, attr: &str) -> Mention<'_> {
        if ext.is_some_and(|e| self.extensions.iter().any(|x| x == e)) {
            return Mention::Whole;
        }
        let mut subs = Vec::new();
        for (e, a, s) in &self.attrs {
            if e.as_deref() == ext && a == attr {
                match s {
                    None => return Mention::Whole,
                    Some(s) => subs.push(s.as_str()),
                }
            }
        }
        if subs.is_empty() {
            Mention::None
        } else {
            Mention::Subs(subs)
        }
    }
}

impl Projection {
    /// Compiles the `attributes` and `excludedAttributes` lists (either may be empty) for `rt`.
    pub fn new(
        registry: &Registry,
        rt: &ResourceType,
        attributes: &[AttrPath],
        excluded: &[AttrPath],
    ) -> Projection {
        let (named, selecting) = if attributes.is_empty() {
            (Named::new(registry, rt, excluded), false)
        } else {
            (Named::new(registry, rt, attributes), true)
        };
        let decide = |ext: Option<&str>, a: &Attribute| {
            let mention = named.mention(ext, &a.name);
            if selecting {
                selected(a, &mention)
            } else {
                kept(a, &mention)
            }
        };
        let mut keys = Vec::new();
        keys.push((String::from("schemas"), Rule::All));
        let core = registry.schema(&rt.schema).map(|s| s.attributes.as_slice());
        let top = core
            .unwrap_or_default()
            .iter()
            .chain(registry.common().attributes.iter());
        for a in top {
            if let Some(rule) = decide(None, a) {
                keys.push((a.name.clone(), rule));
            }
        }
        for ext in &rt.schema_extensions {
            let Some(schema) = registry.schema(&ext.schema) else {
                continue;
            };
            let inner: Vec<(String, Rule)> = schema
                .attributes
                .iter()
                .filter_map(|a| Some((a.name.clone(), decide(Some(&schema.id), a)?)))
                .collect();
            if !inner.is_empty() {
                keys.push((schema.id.clone(), Rule::Keys(inner)));
            }
        }
        Projection { keys }
    }

    /// The projected copy of `resource` (a JSON object; anything else gives an empty object).
    pub fn apply(&self, resource: &Value) -> Value {
        match resource {
            Value::Object(map) => Value::Object(project_keys(&self.keys, map)),
            _ => Value::Object(Map::new()),
        }
    }
}

/// The rule for `a` when `attributes` was given and mentions it as `mention`.
fn selected(a: &Attribute, mention: &Mention<'_>) -> Option<Rule> {
    match (a.returned, mention) {
        (Returned::Never, _) => None,
        (Returned::Always, _) | (_, Mention::Whole) => {
            Some(whole(a, |s| s.returned != Returned::Never))
        }
        (_, Mention::Subs(names)) => Some(subset(a, |s| match s.returned {
            Returned::Never => false,
            Returned::Always => true,
            _ => names.contains(&s.name.as_str()),
        })),
        (_, Mention::None) => None,
    }
}

/// The rule for `a` without `attributes`, where `excludedAttributes` mentions it as `mention`.
fn kept(a: &Attribute, mention: &Mention<'_>) -> Option<Rule> {
    let by_default = |s: &Attribute| matches!(s.returned, Returned::Always | Returned::Default);
    match (a.returned, mention) {
        (Returned::Never | Returned::Request, _) => None,
        (Returned::Always, _) | (_, Mention::None) => Some(whole(a, by_default)),
        (_, Mention::Whole) => None,
        (_, Mention::Subs(names)) => Some(subset(a, |s| {
            s.returned == Returned::Always || (by_default(s) && !names.contains(&s.name.as_str()))
        })),
    }
}

/// All of `a`, or of its sub-attributes those that `keep` accepts.
fn whole(a: &Attribute, keep: impl Fn(&Attribute) -> bool) -> Rule {
    if a.sub_attributes.iter().all(&keep) {
        Rule::All
    } else {
        subset(a, keep)
    }
}

/// The sub-attributes of `a` that `keep` accepts.
fn subset(a: &Attribute, keep: impl Fn(&Attribute) -> bool) -> Rule {
    Rule::Keys(
        a.sub_attributes
            .iter()
            .filter(|s| keep(s))
            .map(|s| (s.name.clone(), Rule::All))
            .collect(),
    )
}

fn project_keys(keys: &[(String, Rule)], map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, rule) in keys {
        if let Some(v) = map.get(name).and_then(|v| project(rule, v)) {
            out.insert(name.clone(), v);
        }
    }
    out
}

/// `v` under `rule`; `None` when nothing of it remains.
fn project(rule: &Rule, v: &Value) -> Option<Value> {
    let Rule::Keys(keys) = rule else {
        return Some(v.clone());
    };
    match v {
        Value::Object(m) => {
            let out = project_keys(keys, m);
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Value::Array(items) => {
            let out: Vec<Value> = items
                .iter()
                .filter_map(|item| match item {
                    Value::Object(m) => {
                        let o = project_keys(keys, m);
                        (!o.is_empty()).then_some(Value::Object(o))
                    }
                    _ => None,
                })
                .collect();
            (!out.is_empty()).then_some(Value::Array(out))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_attr_list;
    use crate::schema::builtin::ENTERPRISE_USER_URN as EXT;
    use serde_json::json;

    fn project_user(attributes: &str, excluded: &str, resource: &Value) -> Value {
        let reg = Registry::builtin();
        let rt = reg.resource_type("User").cloned().unwrap();
        let a = parse_attr_list(attributes).unwrap();
        let e = parse_attr_list(excluded).unwrap();
        Projection::new(&reg, &rt, &a, &e).apply(resource)
    }

    fn babs() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
            "id": "2819c223",
            "externalId": "bjensen",
            "userName": "bjensen@example.com",
            "password": "t1meMa$heen",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "title": "Tour Guide",
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "meta": {"resourceType": "User", "version": "W/\"1\""},
            EXT: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John"}}
        })
    }

    #[test]
    fn default_projection_returns_everything_but_never_attributes() {
        let mut expected = babs();
        expected.as_object_mut().unwrap().remove("password");
        assert_eq!(project_user("", "", &babs()), expected);
    }

    #[test]
    fn attributes_keep_named_ones_plus_always_ones() {
        let out = project_user("userName,name.givenName", "", &babs());
        assert_eq!(
            out,
            json!({
                "schemas": babs()["schemas"],
                "id": "2819c223",
                "userName": "bjensen@example.com",
                "name": {"givenName": "Barbara"}
            })
        );
    }

    #[test]
    fn attribute_names_are_case_insensitive_and_unknown_ones_ignored() {
        let out = project_user("TITLE,shoeSize,name.nickname", "", &babs());
        assert_eq!(out["title"], "Tour Guide");
        assert!(out.get("name").is_none());
        assert!(out.get("userName").is_none());
        assert_eq!(out["id"], "2819c223");
    }

    #[test]
    fn sub_attributes_of_multi_valued_attributes_project_each_value() {
        let out = project_user("emails.value", "", &babs());
        assert_eq!(
            out["emails"],
            json!([{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}])
        );
    }

    #[test]
    fn never_attributes_stay_out_even_when_requested() {
        let out = project_user("password,userName", "", &babs());
        assert!(out.get("password").is_none());
        assert_eq!(out["userName"], "bjensen@example.com");
    }

    #[test]
    fn excluded_attributes_remove_default_ones_but_not_always_ones() {
        let out = project_user("", "emails,id,name.familyName,meta", &babs());
        assert!(out.get("emails").is_none());
        assert!(out.get("meta").is_none());
        assert_eq!(out["id"], "2819c223");
        assert_eq!(out["name"], json!({"givenName": "Barbara"}));
        assert_eq!(out["title"], "Tour Guide");
    }

    #[test]
    fn extension_urns_name_whole_extensions_or_their_attributes() {
        let whole = project_user(EXT, "", &babs());
        assert_eq!(whole[EXT], babs()[EXT]);
        assert!(whole.get("userName").is_none());
        let one = project_user(&alloc::format!("{EXT}:employeeNumber"), "", &babs());
        assert_eq!(one[EXT], json!({"employeeNumber": "701984"}));
        let sub = project_user(&alloc::format!("{EXT}:manager.value"), "", &babs());
        assert_eq!(sub[EXT], json!({"manager": {"value": "26118915"}}));
        let dropped = project_user("", EXT, &babs());
        assert!(dropped.get(EXT).is_none());
        assert_eq!(dropped["userName"], "bjensen@example.com");
        let emptied = project_user(
            "",
            &alloc::format!("{EXT}:employeeNumber,{EXT}:manager"),
            &babs(),
        );
        assert!(emptied.get(EXT).is_none());
    }

    #[test]
    fn core_schema_urn_prefix_is_accepted() {
        let out = project_user(
            "urn:ietf:params:scim:schemas:core:2.0:User:userName",
            "",
            &babs(),
        );
        assert_eq!(out["userName"], "bjensen@example.com");
        assert!(out.get("title").is_none());
    }

    #[test]
    fn attributes_win_over_excluded_attributes() {
        let out = project_user("title", "title", &babs());
        assert_eq!(out["title"], "Tour Guide");
    }

    #[test]
    fn request_only_attributes_need_to_be_named() {
        let reg = Registry::builtin();
        let mut reg = reg;
        let rt = reg.resource_type("User").cloned().unwrap();
        if let Some(title) = reg
            .schemas
            .iter_mut()
            .find(|s| s.id == rt.schema)
            .and_then(|s| s.attributes.iter_mut().find(|a| a.name == "title"))
        {
            title.returned = Returned::Request;
        }
        let none = Projection::new(&reg, &rt, &[], &[]).apply(&babs());
        assert!(none.get("title").is_none());
        let named = parse_attr_list("title").unwrap();
        let some = Projection::new(&reg, &rt, &named, &[]).apply(&babs());
        assert_eq!(some["title"], "Tour Guide");
    }

    #[test]
    fn keys_outside_the_schemas_and_non_objects_are_dropped() {
        let out = project_user("", "", &json!({"id": "1", "bogus": 1}));
        assert_eq!(out, json!({"id": "1"}));
        assert_eq!(project_user("", "", &json!([1])), json!({}));
    }
}
