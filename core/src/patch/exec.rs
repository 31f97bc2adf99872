//! Running compiled PATCH steps on a resource (RFC 7644 §3.5.2.1–3), atomically.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::compile::{AttrTarget, CompiledPatch, Select, Step, Target};
use super::request::OpKind;
use super::undo::Undo;
use super::value::{clear_other_primaries, is_primary, same_item, scalar_eq, single};
use crate::error::{Result, ScimError};
use crate::schema::{AttrType, Attribute, Location, Mutability};

/// The result of a PATCH: the new resource, and whether it differs from the original (the
/// service updates `meta.lastModified` and `meta.version` only then).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOutcome {
    /// The patched resource.
    pub resource: Value,
    /// Whether `resource` differs from the resource the PATCH was applied to.
    pub changed: bool,
}

type Object = Map<String, Value>;

impl<'r> CompiledPatch<'r> {
    /// Applies the operations in order to a copy of `resource` (in canonical form); `resource`
    /// itself never changes.
    pub fn apply(&self, resource: &Value) -> Result<PatchOutcome> {
        let mut patched = resource.clone();
        let changed = self.apply_in_place(&mut patched)?;
        Ok(PatchOutcome {
            resource: patched,
            changed,
        })
    }

    /// Applies the operations in order to `resource` (in canonical form) and tells whether it
    /// changed. Atomic (RFC 7644 §3.5.2): on error, `resource` is restored as it was. Costs
    /// no copy of the members the PATCH does not touch.
    pub fn apply_in_place(&self, resource: &mut Value) -> Result<bool> {
        let doc = resource
            .as_object_mut()
            .ok_or_else(|| ScimError::invalid_value("", "a resource must be a JSON object"))?;
        let mut undo = Undo::default();
        match self.run(doc, &mut undo) {
            Ok(()) => Ok(undo.changed(doc)),
            Err(err) => {
                undo.restore(doc);
                Err(err)
            }
        }
    }

    /// Runs every step, then settles the extensions.
    fn run(&self, doc: &mut Object, undo: &mut Undo<'r>) -> Result<()> {
        for step in &self.steps {
            self.step(doc, step, undo)?;
        }
        self.tidy_extensions(doc, undo)
    }

    /// Runs one step.
    fn step(&self, doc: &mut Object, step: &Step<'r>, undo: &mut Undo<'r>) -> Result<()> {
        match &step.target {
            Target::Schemas => {
                undo.save(doc, "schemas");
                self.write_schemas(doc, step)
            }
            Target::Extension { urn, required } => {
                if *required {
                    return Err(mutability(&step.path, "the extension is required"));
                }
                undo.save(doc, urn);
                doc.remove(*urn);
                Ok(())
            }
            Target::Attr(t) => {
                undo.save(
                    doc,
                    match t.location {
                        Location::Top => t.attr.name.as_str(),
                        Location::Extension(urn) => urn,
                    },
                );
                let container = container(doc, t.location, &step.path)?;
                match (&t.select, step.kind) {
                    (Some(select), OpKind::Remove) => {
                        self.remove_selected(container, t, select, step)
                    }
                    (Some(select), _) => self.write_selected(container, t, select, step),
                    (None, OpKind::Remove) if t.sub.is_some() => {
                        remove_sub_everywhere(container, t, step)
                    }
                    (None, OpKind::Remove) => remove_whole(container, t, step),
                    (None, _) if t.sub.is_some() => write_sub_everywhere(container, t, step),
                    (None, kind) => write_whole(container, t, kind, step),
                }?;
                settle(container, t.attr, &step.path)
            }
        }
    }

    /// `add`, `replace` or `remove` on `schemas`.
    fn write_schemas(&self, doc: &mut Object, step: &Step<'_>) -> Result<()> {
        let Some(Value::Array(urns)) = &step.value else {
            return Err(mutability("schemas", "schemas is required"));
        };
        let mut known = Vec::with_capacity(urns.len());
        for urn in urns.iter().filter_map(Value::as_str) {
            known.push(self.known_urn(urn).ok_or_else(|| {
                ScimError::invalid_value(
                    "schemas",
                    format!("\"{urn}\" is not a schema of this resource type"),
                )
            })?);
        }
        let list = doc
            .entry("schemas")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !list.is_array() || step.kind == OpKind::Replace {
            if !known
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&self.rt.schema))
            {
                return Err(ScimError::invalid_value(
                    "schemas",
                    "schemas must name the core schema",
                ));
            }
            *list = Value::Array(Vec::new());
        }
        if let Value::Array(list) = list {
            for urn in known {
                if !list
                    .iter()
                    .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn)))
                {
                    list.push(Value::String(urn.into()));
                }
            }
        }
        Ok(())
    }

    /// The canonical URN of the core schema or an extension of the resource type named `urn`.
    pub(crate) fn known_urn(&self, urn: &str) -> Option<&str> {
        let rt = self.rt;
        core::iter::once(rt.schema.as_str())
            .chain(rt.schema_extensions.iter().map(|e| e.schema.as_str()))
            .find(|u| u.eq_ignore_ascii_case(urn))
            .map(|u| self.registry.schema(u).map_or(u, |s| s.id.as_str()))
    }

    /// Drops empty extension objects, checks the required attributes of the extensions this
    /// PATCH changed, and keeps `schemas` in step: a present extension is listed (a `schemas`
    /// replacement cannot drop an extension in use), an extension this PATCH removed is
    /// unlisted.
    fn tidy_extensions(&self, doc: &mut Object, undo: &mut Undo<'r>) -> Result<()> {
        let registry = self.registry;
        for ext in &self.rt.schema_extensions {
            let Some(schema) = registry.schema(&ext.schema) else {
                continue;
            };
            let urn = schema.id.as_str();
            if doc
                .get(urn)
                .and_then(Value::as_object)
                .is_some_and(Map::is_empty)
            {
                undo.save(doc, urn);
                doc.remove(urn);
            }
            let changed = undo
                .before(urn)
                .is_some_and(|before| before != doc.get(urn));
            let present = match doc.get(urn) {
                Some(Value::Object(object)) if changed => {
                    for attr in &schema.attributes {
                        let missing = attr.required
                            && attr.mutability != Mutability::ReadOnly
                            && !object.contains_key(&attr.name);
                        if missing {
                            return Err(ScimError::invalid_value(
                                format!("{urn}:{}", attr.name),
                                "the attribute is required",
                            ));
                        }
                    }
                    true
                }
                Some(_) => true,
                None if changed => false,
                None => continue,
            };
            undo.save(doc, "schemas");
            let list = match doc
                .entry("schemas")
                .or_insert_with(|| Value::Array(alloc::vec![Value::String(self.rt.schema.clone())]))
            {
                Value::Array(list) => list,
                _ => {
                    return Err(ScimError::invalid_value(
                        "schemas",
                        "schemas is not an array",
                    ))
                }
            };
            let listed = list
                .iter()
                .position(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn)));
            match (present, listed) {
                (true, None) => list.push(Value::String(urn.into())),
                (false, Some(i)) => {
                    list.remove(i);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `add`/`replace` on `attr[filter]` or `attr[filter].sub`.
    fn write_selected(
        &self,
        container: &mut Object,
        t: &AttrTarget<'_>,
        select: &Select,
        step: &Step<'_>,
    ) -> Result<()> {
        let attr = t.attr;
        let Some(value) = &step.value else {
            return Ok(());
        };
        if attr.mutability == Mutability::ReadOnly {
            return Err(mutability(&step.path, "the attribute is readOnly"));
        }
        let items = items_mut(container, attr, &step.path)?;
        let mut keep = None;
        let mut matched = false;
        for (i, item) in items.iter_mut().enumerate() {
            if !select.filter.matches_value(item) {
                continue;
            }
            matched = true;
            let object = item_object(item, &step.path)?;
            match (t.sub, step.kind) {
                (Some(sub), _) => write_sub(object, sub, value, false, &step.path)?,
                (None, OpKind::Replace) => {
                    let new = value.as_object().cloned().unwrap_or_default();
                    check_item_replace(attr, object, &new, &step.path)?;
                    *object = new;
                }
                (None, _) => merge_item(attr, object, value, &step.path)?,
            }
            if keep.is_none() && is_primary(item) {
                keep = Some(i);
            }
        }
        if !matched {
            let Some(created) = self.created_item(t, select, value, &step.path)? else {
                return Ok(());
            };
            if is_primary(&created) {
                keep = Some(items.len());
            }
            items.push(created);
        }
        if let Some(keep) = keep {
            clear_other_primaries(items, keep);
        }
        Ok(())
    }

    /// The value to add when `attr[filter]` matched nothing: the filter's `eq` terms plus the
    /// written value (create-missing quirk), or `noTarget`. `None`: nothing to write (null).
    pub(crate) fn created_item(
        &self,
        t: &AttrTarget<'_>,
        select: &Select,
        value: &Value,
        path: &str,
    ) -> Result<Option<Value>> {
        let template = match (&select.template, self.options.create_missing_value) {
            (Some(template), true) => template,
            _ => return Err(no_target(path)),
        };
        if value.is_null() {
            return Ok(None);
        }
        let mut item = template.clone();
        match (t.sub, value) {
            (Some(sub), v) => {
                item.insert(sub.name.clone(), v.clone());
            }
            (None, Value::Object(object)) => {
                item.extend(object.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            (None, _) => {}
        }
        single(t.attr, &Value::Object(item), &self.options, path).map(Some)
    }

    /// `remove` on `attr[filter]` or `attr[filter].sub`.
    fn remove_selected(
        &self,
        container: &mut Object,
        t: &AttrTarget<'_>,
        select: &Select,
        step: &Step<'_>,
    ) -> Result<()> {
        let attr = t.attr;
        if matches!(
            attr.mutability,
            Mutability::ReadOnly | Mutability::Immutable
        ) {
            return Err(mutability(&step.path, "the attribute cannot be changed"));
        }
        let mut matched = false;
        if let Some(Value::Array(items)) = container.get_mut(&attr.name) {
            let mut i = 0;
            while i < items.len() {
                let Some(item) = items.get_mut(i) else { break };
                if !select.filter.matches_value(item) {
                    i += 1;
                    continue;
                }
                matched = true;
                match t.sub {
                    None => {
                        items.remove(i);
                    }
                    Some(sub) => {
                        let object = item_object(item, &step.path)?;
                        remove_sub(object, sub, false, &step.path)?;
                        if object.is_empty() {
                            items.remove(i);
                        } else {
                            i += 1;
                        }
                    }
                }
            }
        }
        if !matched && !self.options.remove_unmatched_ok {
            return Err(no_target(&step.path));
        }
        Ok(())
    }
}

/// The object the attribute of `location` sits in (an extension object is created empty when
/// missing; [`CompiledPatch::tidy_extensions`] drops it if it stays empty).
fn container<'d>(
    doc: &'d mut Object,
    location: Location<'_>,
    path: &str,
) -> Result<&'d mut Object> {
    match location {
        Location::Top => Ok(doc),
        Location::Extension(urn) => doc
            .entry(urn)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| ScimError::invalid_value(path, "the extension holds no object")),
    }
}

/// The values of the multi-valued `attr`, created empty when missing.
fn items_mut<'c>(
    container: &'c mut Object,
    attr: &Attribute,
    path: &str,
) -> Result<&'c mut Vec<Value>> {
    match container
        .entry(attr.name.as_str())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(items) => Ok(items),
        _ => Err(ScimError::invalid_value(
            path,
            "the stored attribute is not an array",
        )),
    }
}

/// The value of the single-valued complex `attr`, created empty when missing.
fn object_mut<'c>(
    container: &'c mut Object,
    attr: &Attribute,
    path: &str,
) -> Result<&'c mut Object> {
    container
        .entry(attr.name.as_str())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| ScimError::invalid_value(path, "the stored attribute is not an object"))
}

/// One value of a complex multi-valued attribute as an object.
fn item_object<'i>(item: &'i mut Value, path: &str) -> Result<&'i mut Object> {
    item.as_object_mut()
        .ok_or_else(|| ScimError::invalid_value(path, "a stored value is not an object"))
}

/// Brings `attr` back to the form resource validation accepts after a step: empty values
/// dropped, and the attribute removed when none is left (unassigned, RFC 7644 §3.5.2.2; a
/// required attribute cannot become unassigned); each complex value keeps its required
/// sub-attributes; at most one value is primary.
fn settle(container: &mut Object, attr: &Attribute, path: &str) -> Result<()> {
    let empty = match container.get_mut(&attr.name) {
        Some(Value::Array(items)) => {
            items.retain(|i| i.as_object().is_none_or(|o| !o.is_empty()));
            if items.iter().filter(|i| is_primary(i)).count() > 1 {
                return Err(ScimError::invalid_value(
                    path,
                    "at most one value may have primary true",
                ));
            }
            for item in items.iter() {
                required_subs(attr, item, path)?;
            }
            items.is_empty()
        }
        Some(object @ Value::Object(_)) => {
            required_subs(attr, object, path)?;
            object.as_object().is_some_and(Map::is_empty)
        }
        _ => false,
    };
    if empty {
        if attr.required {
            return Err(mutability(
                path,
                "a required attribute cannot be unassigned",
            ));
        }
        container.remove(&attr.name);
    }
    Ok(())
}

/// Checks that a complex value holds every required sub-attribute the client sets.
fn required_subs(attr: &Attribute, value: &Value, path: &str) -> Result<()> {
    let Value::Object(object) = value else {
        return Ok(());
    };
    for sub in &attr.sub_attributes {
        if sub.required && sub.mutability != Mutability::ReadOnly && !object.contains_key(&sub.name)
        {
            return Err(ScimError::invalid_value(
                path,
                format!("{}.{} is required", attr.name, sub.name),
            ));
        }
    }
    Ok(())
}

/// `add`/`replace` on `attr` as a whole.
fn write_whole(
    container: &mut Object,
    t: &AttrTarget<'_>,
    kind: OpKind,
    step: &Step<'_>,
) -> Result<()> {
    let attr = t.attr;
    let value = match &step.value {
        None | Some(Value::Null) => return remove_whole(container, t, step),
        Some(v) => v,
    };
    let current = container.get(&attr.name);
    match (attr.multi_valued, kind) {
        (true, OpKind::Add) => {
            let Value::Array(new) = value else {
                return Ok(());
            };
            if locked(attr, current) {
                let have = current
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                if new
                    .iter()
                    .all(|n| have.iter().any(|h| same_item(attr, h, n)))
                {
                    return Ok(());
                }
                return Err(mutability(&step.path, "the attribute cannot be changed"));
            }
            let items = items_mut(container, attr, &step.path)?;
            let mut keep = None;
            for n in new {
                let at = match items.iter().position(|h| same_item(attr, h, n)) {
                    Some(i) => {
                        if let (Some(h), Value::Object(_)) = (items.get_mut(i), n) {
                            merge_item(attr, item_object(h, &step.path)?, n, &step.path)?;
                        }
                        i
                    }
                    None => {
                        items.push(n.clone());
                        items.len() - 1
                    }
                };
                if is_primary(n) {
                    keep = Some(at);
                }
            }
            if let Some(keep) = keep {
                clear_other_primaries(items, keep);
            }
            Ok(())
        }
        (true, _) => {
            check_writable(attr, current, value, &step.path)?;
            container.insert(attr.name.clone(), value.clone());
            Ok(())
        }
        (false, _) => match value {
            Value::Object(new) if attr.ty == AttrType::Complex => {
                let locked = locked(attr, current);
                let object = object_mut(container, attr, &step.path)?;
                for (key, v) in new {
                    if let Some(sub) = attr.sub_attribute(key) {
                        write_sub(object, sub, v, locked, &step.path)?;
                    }
                }
                Ok(())
            }
            _ => {
                check_writable(attr, current, value, &step.path)?;
                container.insert(attr.name.clone(), value.clone());
                Ok(())
            }
        },
    }
}

/// `remove` on `attr` as a whole, or on the listed values of a multi-valued `attr`.
fn remove_whole(container: &mut Object, t: &AttrTarget<'_>, step: &Step<'_>) -> Result<()> {
    let attr = t.attr;
    if attr.required {
        return Err(mutability(
            &step.path,
            "a required attribute cannot be removed",
        ));
    }
    if attr.mutability == Mutability::ReadOnly {
        return Err(mutability(&step.path, "the attribute is readOnly"));
    }
    let present = container.contains_key(&attr.name);
    if present && attr.mutability == Mutability::Immutable {
        return Err(mutability(&step.path, "the attribute is immutable"));
    }
    match (&step.value, container.get_mut(&attr.name)) {
        (Some(Value::Array(listed)), Some(Value::Array(items))) => {
            items.retain(|item| !listed.iter().any(|l| same_item(attr, item, l)));
            Ok(())
        }
        (Some(Value::Array(_)), _) => Ok(()),
        _ => {
            container.remove(&attr.name);
            Ok(())
        }
    }
}

/// `add`/`replace` on `attr.sub`: the sub-attribute of a complex attribute, or of every value
/// of a multi-valued one (a first value is created when there is none).
fn write_sub_everywhere(container: &mut Object, t: &AttrTarget<'_>, step: &Step<'_>) -> Result<()> {
    let (attr, Some(sub), Some(value)) = (t.attr, t.sub, &step.value) else {
        return Ok(());
    };
    let locked = locked(attr, container.get(&attr.name));
    if attr.multi_valued {
        let items = items_mut(container, attr, &step.path)?;
        if items.is_empty() && !value.is_null() {
            if locked {
                return Err(mutability(&step.path, "the value cannot be changed"));
            }
            let mut item = Map::new();
            item.insert(sub.name.clone(), value.clone());
            items.push(Value::Object(item));
        }
        for item in items.iter_mut() {
            write_sub(
                item_object(item, &step.path)?,
                sub,
                value,
                locked,
                &step.path,
            )?;
        }
        if is_primary_write(sub, value) {
            clear_other_primaries(items, 0);
        }
    } else {
        let object = object_mut(container, attr, &step.path)?;
        write_sub(object, sub, value, locked, &step.path)?;
    }
    Ok(())
}

/// `remove` on `attr.sub`: from the complex attribute, or from every value of a multi-valued one.
fn remove_sub_everywhere(
    container: &mut Object,
    t: &AttrTarget<'_>,
    step: &Step<'_>,
) -> Result<()> {
    let (attr, Some(sub)) = (t.attr, t.sub) else {
        return Ok(());
    };
    let locked = locked(attr, container.get(&attr.name));
    match container.get_mut(&attr.name) {
        Some(Value::Array(items)) => {
            for item in items.iter_mut() {
                remove_sub(item_object(item, &step.path)?, sub, locked, &step.path)?;
            }
        }
        Some(Value::Object(object)) => remove_sub(object, sub, locked, &step.path)?,
        _ => {
            if sub.required || locked || sub.mutability == Mutability::ReadOnly {
                return Err(mutability(
                    &step.path,
                    "the sub-attribute cannot be removed",
                ));
            }
        }
    }
    Ok(())
}

/// Whether writing `value` to `sub` sets a `primary` flag.
fn is_primary_write(sub: &Attribute, value: &Value) -> bool {
    sub.name == "primary" && *value == Value::Bool(true)
}

/// Sets `object[sub]` to `value` (null removes it), within the mutability rules.
fn write_sub(
    object: &mut Object,
    sub: &Attribute,
    value: &Value,
    parent_locked: bool,
    path: &str,
) -> Result<()> {
    if value.is_null() {
        return remove_sub(object, sub, parent_locked, path);
    }
    let current = object.get(&sub.name);
    if current == Some(value) {
        return Ok(());
    }
    if parent_locked || locked(sub, current) {
        return Err(mutability(path, "the value cannot be changed"));
    }
    object.insert(sub.name.clone(), value.clone());
    Ok(())
}

/// Removes `object[sub]` within the mutability rules (a required or readOnly sub-attribute
/// cannot be removed, an immutable one once set neither).
fn remove_sub(object: &mut Object, sub: &Attribute, parent_locked: bool, path: &str) -> Result<()> {
    if sub.required {
        return Err(mutability(
            path,
            "a required sub-attribute cannot be removed",
        ));
    }
    if parent_locked || locked(sub, object.get(&sub.name)) {
        return Err(mutability(path, "the value cannot be changed"));
    }
    object.remove(&sub.name);
    Ok(())
}

/// Merges the sub-attributes of `new` into an existing value of `attr` that is the same value
/// ([`same_item`]); immutable sub-attributes, and those equal but for case where case does not
/// matter, keep what they hold.
fn merge_item(attr: &Attribute, object: &mut Object, new: &Value, path: &str) -> Result<()> {
    let Value::Object(new) = new else {
        return Ok(());
    };
    for (key, v) in new {
        let Some(sub) = attr.sub_attribute(key) else {
            continue;
        };
        let keep = object
            .get(&sub.name)
            .is_some_and(|old| sub.mutability == Mutability::Immutable || scalar_eq(sub, old, v));
        if !keep {
            write_sub(object, sub, v, false, path)?;
        }
    }
    Ok(())
}

/// Checks that replacing the value `old` of `attr` by `new` keeps its immutable and readOnly
/// sub-attributes.
fn check_item_replace(attr: &Attribute, old: &Object, new: &Object, path: &str) -> Result<()> {
    for sub in &attr.sub_attributes {
        let fixed = match sub.mutability {
            Mutability::ReadOnly => true,
            Mutability::Immutable => old.contains_key(&sub.name),
            _ => false,
        };
        if fixed && old.get(&sub.name) != new.get(&sub.name) {
            return Err(mutability(path, format!("{} cannot be changed", sub.name)));
        }
    }
    Ok(())
}

/// Whether `attr`, holding `current`, may only keep its value: readOnly, or immutable and set.
fn locked(attr: &Attribute, current: Option<&Value>) -> bool {
    match attr.mutability {
        Mutability::ReadOnly => true,
        Mutability::Immutable => current.is_some(),
        _ => false,
    }
}

/// Checks that `attr` may go from `current` to `value`: a readOnly attribute only keeps its
/// value, an immutable one is set once.
fn check_writable(
    attr: &Attribute,
    current: Option<&Value>,
    value: &Value,
    path: &str,
) -> Result<()> {
    match attr.mutability {
        Mutability::ReadOnly if current != Some(value) => {
            Err(mutability(path, "the attribute is readOnly"))
        }
        Mutability::Immutable if current.is_some_and(|c| c != value) => {
            Err(mutability(path, "the attribute is immutable"))
        }
        _ => Ok(()),
    }
}

/// A `mutability` error.
fn mutability(path: &str, message: impl Into<String>) -> ScimError {
    ScimError::Mutability {
        path: path.into(),
        message: message.into(),
    }
}

/// A `noTarget` error.
fn no_target(path: &str) -> ScimError {
    ScimError::NoTarget(format!("{path}: the filter matches no value"))
}
