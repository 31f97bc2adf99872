//! The validator function itself: the members of the resource (`schemas`, core and common
//! attributes, extension objects, fully qualified names), then `schemas`, required
//! attributes and extensions, and the normalised resource with its keys in byte order.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::emit::{plain, Emitter, BAIL};
use super::scope::{Scope, Target};
use crate::js::literal;
use crate::resource::validate::qualified;
use crate::schema::{Registry, ResourceType, Schema};

/// What a top-level member is to core's validator (the order of its tests in `validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// The `schemas` list.
    Schemas,
    /// An extension object.
    ExtObject(usize),
    /// A fully qualified extension attribute.
    Ext(usize, Target),
    /// The core URN holding core attributes.
    CoreObject,
    /// A core or common attribute (plain or fully qualified).
    Top(Target),
}

/// An extension of the resource type whose schema is registered.
pub(super) struct Ext<'r> {
    schema: &'r Schema,
    required: bool,
    scope: Scope<'r>,
}

/// The schemas one validator works with.
pub(super) struct Shape<'r> {
    core: &'r Schema,
    top: Scope<'r>,
    exts: Vec<Ext<'r>>,
}

impl<'r> Shape<'r> {
    /// The shape of `rt`; `None` when core would reject every body (unregistered core
    /// schema) or an extension is attached twice.
    pub(super) fn new(registry: &'r Registry, rt: &'r ResourceType) -> Option<Shape<'r>> {
        let core = registry.schema(&rt.schema)?;
        let exts: Vec<Ext<'r>> = rt
            .schema_extensions
            .iter()
            .filter_map(|e| {
                registry.schema(&e.schema).map(|schema| Ext {
                    schema,
                    required: e.required,
                    scope: Scope::new(alloc::vec![schema.attributes.as_slice()]),
                })
            })
            .collect();
        for (i, e) in exts.iter().enumerate() {
            if exts[..i]
                .iter()
                .any(|p| p.schema.id.eq_ignore_ascii_case(&e.schema.id))
            {
                return None;
            }
        }
        let top = Scope::new(alloc::vec![
            core.attributes.as_slice(),
            registry.common().attributes.as_slice()
        ]);
        Some(Shape { core, top, exts })
    }

    /// What core does with the top-level member `key` (mirrors `validate`).
    pub(super) fn dispatch(&self, key: &str) -> Action {
        if key.eq_ignore_ascii_case("schemas") {
            return Action::Schemas;
        }
        if let Some(i) = self
            .exts
            .iter()
            .position(|e| e.schema.id.eq_ignore_ascii_case(key))
        {
            return Action::ExtObject(i);
        }
        if let Some((i, at)) = self
            .exts
            .iter()
            .enumerate()
            .find_map(|(i, e)| qualified(key, &e.schema.id).map(|at| (i, at)))
        {
            let name = key.get(at..).unwrap_or_default();
            return Action::Ext(i, self.exts[i].scope.target(name));
        }
        if key.eq_ignore_ascii_case(&self.core.id) {
            return Action::CoreObject;
        }
        let at = qualified(key, &self.core.id).unwrap_or(0);
        Action::Top(self.top.target(key.get(at..).unwrap_or_default()))
    }

    /// The top-level member names in canonical case, each with what core does with it.
    pub(super) fn labels(&self) -> Vec<(String, Action)> {
        // The emitted switch tests its cases in this order: the members most bodies have
        // first (common attributes, extension objects), fully qualified names last.
        let mut keys: Vec<String> = alloc::vec![String::from("schemas")];
        let (common, own): (Vec<&str>, Vec<&str>) = self
            .top
            .names()
            .into_iter()
            .partition(|n| self.core.attribute(n).is_none());
        keys.extend(common.into_iter().map(String::from));
        for e in &self.exts {
            keys.push(e.schema.id.clone());
        }
        keys.extend(own.into_iter().map(String::from));
        for e in &self.exts {
            for n in e.scope.names() {
                keys.push(format!("{}:{n}", e.schema.id));
            }
        }
        keys.push(self.core.id.clone());
        for n in self.top.names() {
            keys.push(format!("{}:{n}", self.core.id));
        }
        let mut labels: Vec<(String, Action)> = Vec::new();
        for key in keys {
            let action = self.dispatch(&key);
            if action != Action::Top(Target::Unknown) && !labels.iter().any(|(k, _)| *k == key) {
                labels.push((key, action));
            }
        }
        labels
    }
}

/// Statement keeping in `q{i}` the first (in byte order) fully qualified name `k` of extension
/// `i`: names compare in JavaScript as in Rust, their URN part being ASCII.
fn first_qualified(i: usize) -> String {
    format!("if (q{i} === null || k < q{i}) q{i} = k;")
}

/// Variable names of the top-level function.
fn top_var(j: usize) -> String {
    format!("a{j}")
}

fn ext_vars(i: usize, scope: &Scope<'_>) -> Vec<String> {
    (0..scope.slots.len())
        .map(|j| format!("x{i}_{j}"))
        .collect()
}

/// The validator expression for `shape`, or `None` when it cannot be emitted safely.
pub(super) fn source(shape: &Shape<'_>, lenient: bool) -> Option<String> {
    let mut em = Emitter::new(lenient);
    let labels = shape.labels();
    let mut actions: Vec<Action> = Vec::new();
    for (_, a) in &labels {
        if !actions.contains(a) {
            actions.push(*a);
        }
    }
    let id_labels: Vec<(String, i64)> = labels
        .iter()
        .map(|(k, a)| {
            (
                k.clone(),
                actions.iter().position(|b| b == a).unwrap_or(0) as i64,
            )
        })
        .collect();
    let lower = em.lower_fn(&id_labels);
    let top_vars: Vec<String> = (0..shape.top.slots.len()).map(top_var).collect();

    let mut handlers: Vec<(i64, String)> = Vec::new();
    for (n, action) in actions.iter().enumerate() {
        let body = match *action {
            Action::Schemas => String::from("if (sch !== undefined) return; sch = v; break;"),
            Action::Top(Target::Slot(j)) => {
                let t = &top_vars[j];
                let check = em.assign(shape.top.slots[j], "v", t, 0);
                format!("if ({t} !== undefined) return; {check} break;")
            }
            Action::Top(Target::ReadOnly(r)) => {
                let dropped = em.dropped(shape.top.read_only[r], "v");
                format!("if (!{dropped}) return; break;")
            }
            Action::Top(Target::Unknown) | Action::Ext(_, Target::Unknown) => {
                String::from("return;")
            }
            Action::CoreObject => String::from("if (v !== null) return; break;"),
            Action::ExtObject(i) => {
                let vars = ext_vars(i, &shape.exts[i].scope);
                let members = em.members(&shape.exts[i].scope, "v", &vars, "1", 0);
                format!("if (o{i}) return; o{i} = true; if (v === null) break; if (!({})) return; p{i} = true; b{i} = k;\n{members}break;", plain("v"))
            }
            Action::Ext(i, Target::Slot(j)) => {
                let vars = ext_vars(i, &shape.exts[i].scope);
                let t = &vars[j];
                let check = em.assign(shape.exts[i].scope.slots[j], "v", t, 0);
                format!(
                    "{} p{i} = true; if ({t} !== undefined) return; {check} break;",
                    first_qualified(i)
                )
            }
            Action::Ext(i, Target::ReadOnly(r)) => {
                let dropped = em.dropped(shape.exts[i].scope.read_only[r], "v");
                format!(
                    "{} p{i} = true; if (!{dropped}) return; break;",
                    first_qualified(i)
                )
            }
        };
        handlers.push((n as i64, body));
    }
    let unknown = match qualified_fn(shape, &mut em) {
        Some(f) => {
            let mut marks = String::new();
            for i in 0..shape.exts.len() {
                let _ = write!(
                    marks,
                    "case {i}: {} p{i} = true; break; ",
                    first_qualified(i)
                );
            }
            let then = format!("switch ({f}(k)) {{ {marks}case {BAIL}: return; }} ");
            em.unknown("k", "v", "id", &then)
        }
        None => em.unknown("k", "v", "id", "if (k.includes(\":\")) return; "),
    };

    let mut decls: Vec<String> = alloc::vec![String::from("sch"), String::from("cl = false")];
    decls.extend(top_vars.iter().cloned());
    for (i, e) in shape.exts.iter().enumerate() {
        decls.extend(ext_vars(i, &e.scope));
        for flag in ["l", "p", "o"] {
            decls.push(format!("{flag}{i} = false"));
        }
        decls.push(format!("q{i} = null, b{i} = null"));
    }

    let schemas = schemas_code(shape, &mut em);
    let mut after = Emitter::required(&shape.top, &top_vars);
    if !lenient {
        after.push_str("if (!cl) return;\n");
    }
    let core_urn = literal::string(&shape.core.id);
    // One extension (User): the list as a literal, without growing an array.
    let mut urns = match shape.exts.as_slice() {
        [e] => format!(
            "const sc = u0 ? [{core_urn}, {}] : [{core_urn}];\n",
            literal::string(&e.schema.id)
        ),
        _ => format!("const sc = [{core_urn}];\n"),
    };
    for (i, e) in shape.exts.iter().enumerate() {
        let vars = ext_vars(i, &e.scope);
        // A fully qualified name sorted before the extension object made core see the
        // extension twice.
        let _ = writeln!(
            after,
            "if (b{i} !== null && q{i} !== null && q{i} < b{i}) return;"
        );
        let req = Emitter::required(&e.scope, &vars);
        if !req.is_empty() {
            let _ = write!(after, "if (l{i} || p{i}) {{\n{req}}}\n");
        }
        let _ = writeln!(after, "const u{i} = l{i} || {};", Emitter::any(&vars));
        if e.required {
            let _ = writeln!(after, "if (!u{i}) return;");
        }
        if shape.exts.len() > 1 {
            let _ = writeln!(
                urns,
                "if (u{i}) sc.push({});",
                literal::string(&e.schema.id)
            );
        }
    }

    // Output members in byte order: attributes, extension objects, `schemas`.
    let mut out: Vec<(String, String)> = Vec::new();
    for (j, name) in shape.top.sorted_slots() {
        let key = em.key(name);
        out.push((
            String::from(name),
            format!("if ({0} != null) r[{key}] = {0};\n", top_vars[j]),
        ));
    }
    for (i, e) in shape.exts.iter().enumerate() {
        let vars = ext_vars(i, &e.scope);
        let fill = em.output(&e.scope, &vars, "e");
        let key = em.key(&e.schema.id);
        out.push((
            e.schema.id.clone(),
            format!(
                "if ({}) {{\nconst e = {{}};\n{fill}r[{key}] = e;\n}}\n",
                Emitter::any(&vars)
            ),
        ));
    }
    out.push((String::from("schemas"), String::from("r.schemas = sc;\n")));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let output: String = out.into_iter().map(|(_, code)| code).collect();

    let dispatch = Emitter::dispatch(&id_labels, &handlers, &lower, "k", "id", &unknown);
    if em.refused {
        return None;
    }
    Some(format!(
        "(() => {{\n{prelude}{hoisted}  return function validate(input) {{\nif (!({plain})) return;\nfor (const _ in EMPTY) return;\nlet {decls};\nfor (const k in input) {{\n const v = input[k];\n if (v === undefined) continue;\n{dispatch}}}\n{schemas}{after}{urns}const r = new Out();\n{output}return r;\n  }};\n}})()",
        prelude = super::PRELUDE,
        hoisted = em.hoisted,
        decls = decls.join(", "),
        plain = plain("input"),
    ))
}

/// A hoisted function: the extension whose URN, ASCII case-insensitively, followed by `:`,
/// starts a member name (core's `qualified`; the member then marks the extension present
/// even when it names no attribute), else -1. `None` when an extension URN is not ASCII.
fn qualified_fn(shape: &Shape<'_>, em: &mut Emitter) -> Option<String> {
    if shape.exts.iter().any(|e| !e.schema.id.is_ascii()) {
        return None;
    }
    let mut body = String::new();
    for (i, e) in shape.exts.iter().enumerate() {
        let len = e.schema.id.len();
        let _ = writeln!(
            body,
            "    if (k.length > {} && k.charCodeAt({len}) === 58) {{\n      const p = k.slice(0, {len});\n      if (p === {} || (ASCII.test(p) && p.toLowerCase() === {})) return {i};\n    }}",
            len + 1,
            literal::string(&e.schema.id),
            literal::string(&e.schema.id.to_ascii_lowercase()),
        );
    }
    Some(em.hoist("qualified", &format!("(k) {{\n{body}    return -1;\n  }}")))
}

/// Statements checking `sch` (the `schemas` member) and marking the schemas it lists.
fn schemas_code(shape: &Shape<'_>, em: &mut Emitter) -> String {
    let mut urns: Vec<(String, i64)> = alloc::vec![(shape.core.id.clone(), 0)];
    for (i, e) in shape.exts.iter().enumerate() {
        urns.push((e.schema.id.clone(), i as i64 + 1));
    }
    let lower = em.lower_fn(&urns);
    let mark = |n: i64| {
        if n == 0 {
            String::from("cl = true;")
        } else {
            format!("l{} = true;", n - 1)
        }
    };
    let mut exact = String::new();
    let mut low = String::new();
    let mut seen: Vec<String> = Vec::new();
    for (urn, n) in &urns {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(urn)) {
            let _ = writeln!(
                exact,
                "   case {}: {} break;",
                literal::string(urn),
                mark(*n)
            );
            let _ = writeln!(low, "     case {n}: {} break;", mark(*n));
            seen.push(urn.clone());
        }
    }
    let (missing, single, non_string, unlisted) = if em.lenient {
        (
            "cl = true;",
            "if (typeof sch === \"string\") sch = [sch];\n",
            "if (inert(u, 0)) continue; return;",
            "if (!u.isWellFormed()) return;",
        )
    } else {
        ("return;", "", "return;", "return;")
    };
    format!(
        "if (sch === undefined || sch === null) {{ {missing} }} else {{\n{single}if (!isArray(sch)) return;\nfor (let i = 0; i < sch.length; i++) {{\n const u = sch[i];\n if (typeof u !== \"string\") {{ {non_string} }}\n switch (u) {{\n{exact}   default:\n    switch ({lower}(u)) {{\n{low}     case {BAIL}: return;\n     default: {unlisted}\n    }}\n }}\n}}\n}}\n"
    )
}
