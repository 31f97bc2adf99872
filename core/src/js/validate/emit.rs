//! JavaScript for the values of one attribute and for the members of one object: hoisted
//! functions per complex and multi-valued attribute, a switch per object on member names.
//!
//! Conventions of the emitted code: a value check leaves the normalised value in its target
//! variable, `null` for an unassigned value (null, `[]`, `{}`; core drops it), and `return`s
//! (undefined: core decides) for anything else. A slot variable is `undefined` until a member
//! names its attribute; a second spelling of the same attribute leaves the body to core.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::scope::{Scope, Target};
use crate::js::literal;
use crate::schema::{AttrType, Attribute, Mutability};

/// Member id of a name no attribute of the scope has.
pub(super) const UNKNOWN: i64 = -1;
/// Member id of a name the emitted code cannot place (core decides).
pub(super) const BAIL: i64 = -2;
/// Complex attributes nested deeper than this are left to core.
const MAX_DEPTH: usize = 8;

/// A test that `o` is an object whose prototype is `Object.prototype` (what JSON and `for…in`
/// see alike), written out at each use: the `constructor` load there gives the optimiser the
/// object's maps, so that it folds `getPrototypeOf` instead of calling the runtime.
pub(super) fn plain(o: &str) -> String {
    format!("typeof {o} === \"object\" && {o} !== null && {o}.constructor === Object && proto({o}) === OP")
}

/// A test that `v` is NaN or infinite, which JSON writes as `null` (an unassigned value).
fn non_finite(v: &str) -> String {
    format!("typeof {v} === \"number\" && !Number.isFinite({v})")
}

/// Writes the hoisted functions of one validator.
pub(super) struct Emitter {
    /// Whether the validator is for lenient mode.
    pub(super) lenient: bool,
    /// The hoisted functions written so far.
    pub(super) hoisted: String,
    /// Set when a name cannot be emitted safely (`__proto__`): the validator is then undecided.
    pub(super) refused: bool,
    next: usize,
}

impl Emitter {
    /// An emitter for strict or lenient validation.
    pub(super) fn new(lenient: bool) -> Emitter {
        Emitter {
            lenient,
            hoisted: String::new(),
            refused: false,
            next: 0,
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    /// Hoists `function <fresh name><rest>` and returns the name.
    pub(super) fn hoist(&mut self, prefix: &str, rest: &str) -> String {
        let name = self.fresh(prefix);
        let _ = writeln!(self.hoisted, "  function {name}{rest}");
        name
    }

    /// `name` as a property key literal; refuses the validator for `__proto__`.
    pub(super) fn key(&mut self, name: &str) -> String {
        if name == "__proto__" {
            self.refused = true;
        }
        literal::string(name)
    }

    /// A hoisted function from a member name not in canonical case to its member id: names
    /// match ASCII case-insensitively (first label wins), as core compares them.
    pub(super) fn lower_fn(&mut self, labels: &[(String, i64)]) -> String {
        let name = self.fresh("low");
        let non_ascii = if labels.iter().all(|(l, _)| l.is_ascii()) {
            UNKNOWN
        } else {
            BAIL
        };
        let mut seen: Vec<String> = Vec::new();
        let mut cases = String::new();
        for (label, id) in labels {
            let lower = label.to_ascii_lowercase();
            if !seen.contains(&lower) {
                let _ = writeln!(
                    cases,
                    "      case {}: return {id};",
                    literal::string(&lower)
                );
                seen.push(lower);
            }
        }
        let _ = write!(
            self.hoisted,
            "  function {name}(k) {{\n    if (!ASCII.test(k)) return {non_ascii};\n    switch (k.toLowerCase()) {{\n{cases}    }}\n    return {UNKNOWN};\n  }}\n"
        );
        name
    }

    /// The switch over the member name `k`: canonical labels run their handler directly;
    /// other names go through `lower` to a member id `id` and its handler, else `unknown`.
    /// Handlers end in `break`.
    pub(super) fn dispatch(
        labels: &[(String, i64)],
        handlers: &[(i64, String)],
        lower: &str,
        k: &str,
        id: &str,
        unknown: &str,
    ) -> String {
        let handler = |n: i64| {
            handlers
                .iter()
                .find(|(m, _)| *m == n)
                .map_or("return;", |(_, h)| h.as_str())
        };
        let mut s = format!(" switch ({k}) {{\n");
        let mut seen: Vec<&str> = Vec::new();
        for (label, n) in labels {
            if !seen.contains(&label.as_str()) {
                let _ = writeln!(
                    s,
                    "  case {}: {{ {} }}",
                    literal::string(label),
                    handler(*n)
                );
                seen.push(label);
            }
        }
        let _ = write!(
            s,
            "  default: {{\n   const {id} = {lower}({k});\n   switch ({id}) {{\n"
        );
        for (n, h) in handlers {
            let _ = writeln!(s, "    case {n}: {{ {h} }}");
        }
        let _ = write!(s, "    default: {unknown}\n   }}\n  }}\n }}\n");
        s
    }

    /// What a member no attribute claims does: core rejects it, or drops it in lenient mode
    /// (when it survives JSON unchanged; `then` runs before the drop).
    pub(super) fn unknown(&self, k: &str, v: &str, id: &str, then: &str) -> String {
        if self.lenient {
            format!(
                "if ({id} === {BAIL} || {k} === \"toJSON\" || !{k}.isWellFormed() || !inert({v}, 0)) return; {then}break;"
            )
        } else {
            String::from("return;")
        }
    }

    /// The member labels of `scope`: each canonical name with its slot, or for a readOnly
    /// attribute `scope.slots.len()` plus its index.
    pub(super) fn labels(scope: &Scope<'_>) -> Vec<(String, i64)> {
        let first = scope.slots.len();
        scope
            .names()
            .into_iter()
            .filter_map(|n| match scope.target(n) {
                Target::Slot(j) => Some((String::from(n), j as i64)),
                Target::ReadOnly(r) => Some((String::from(n), (first + r) as i64)),
                Target::Unknown => None,
            })
            .collect()
    }

    /// An expression: whether the value `v` of the readOnly `attr`, which core drops unseen,
    /// reaches core at all (`inert`, with a fast path for the types the schema gives).
    pub(super) fn dropped(&mut self, attr: &Attribute, v: &str) -> String {
        match attr.ty {
            AttrType::Complex if !attr.multi_valued => {
                let name = self.fresh("dropped");
                let mut cases = String::new();
                for sub in &attr.sub_attributes {
                    let _ = writeln!(cases, "      case {}:", literal::string(&sub.name));
                }
                let _ = write!(
                    self.hoisted,
                    "  function {name}(o) {{\n    if (!({plain})) return inert(o, 0);\n    for (const k in o) {{\n      const x = o[k];\n      switch (k) {{\n{cases}        if (typeof x === \"string\" ? !x.isWellFormed() : !inert(x, 1)) return false;\n        break;\n      default:\n        if (k === \"toJSON\" || !k.isWellFormed() || !inert(x, 1)) return false;\n      }}\n    }}\n    return true;\n  }}\n",
                    plain = plain("o"),
                );
                format!("{name}({v})")
            }
            AttrType::Complex => format!("inert({v}, 0)"),
            _ => format!("(typeof {v} === \"string\" ? {v}.isWellFormed() : inert({v}, 0))"),
        }
    }

    /// Statements validating every member of the plain object `o` into the slot variables
    /// `vars` of `scope` (loop variables end in `sfx`). `for…in` visits the own enumerable
    /// members of a plain object as long as `Object.prototype` has no enumerable property,
    /// which the validator checks on entry.
    pub(super) fn members(
        &mut self,
        scope: &Scope<'_>,
        o: &str,
        vars: &[String],
        sfx: &str,
        depth: usize,
    ) -> String {
        let labels = Self::labels(scope);
        let lower = self.lower_fn(&labels);
        let (k, v, id) = (format!("k{sfx}"), format!("v{sfx}"), format!("id{sfx}"));
        let mut s = format!(
            "for (const {k} in {o}) {{\n const {v} = {o}[{k}];\n if ({v} === undefined) continue;\n"
        );
        let mut handlers: Vec<(i64, String)> = Vec::new();
        for (j, attr) in scope.slots.iter().enumerate() {
            let t = &vars[j];
            let check = self.assign(attr, &v, t, depth);
            handlers.push((
                j as i64,
                format!("if ({t} !== undefined) return; {check} break;"),
            ));
        }
        for (r, attr) in scope.read_only.iter().enumerate() {
            let dropped = self.dropped(attr, &v);
            handlers.push((
                (scope.slots.len() + r) as i64,
                format!("if (!{dropped}) return; break;"),
            ));
        }
        let unknown = self.unknown(&k, &v, &id, "");
        s.push_str(&Self::dispatch(
            &labels, &handlers, &lower, &k, &id, &unknown,
        ));
        s.push_str("}\n");
        s
    }

    /// Statements that return when a required attribute of `scope` is missing (core's
    /// `finish` on create).
    pub(super) fn required(scope: &Scope<'_>, vars: &[String]) -> String {
        let mut s = String::new();
        for attr in scope.attributes() {
            if attr.required && attr.mutability != Mutability::ReadOnly {
                match scope.slot_named(&attr.name) {
                    Some(j) => {
                        let _ = writeln!(s, "if ({} == null) return;", vars[j]);
                    }
                    None => s.push_str("return;\n"),
                }
            }
        }
        s
    }

    /// Whether any slot holds a value: `a != null || b != null`.
    pub(super) fn any(vars: &[String]) -> String {
        if vars.is_empty() {
            return String::from("false");
        }
        let parts: Vec<String> = vars.iter().map(|v| format!("{v} != null")).collect();
        parts.join(" || ")
    }

    /// Statements copying the assigned slots into the object `r`, keys in byte order.
    pub(super) fn output(&mut self, scope: &Scope<'_>, vars: &[String], r: &str) -> String {
        let mut s = String::new();
        for (j, name) in scope.sorted_slots() {
            let key = self.key(name);
            let _ = writeln!(s, "if ({0} != null) {r}[{key}] = {0};", vars[j]);
        }
        s
    }

    /// Statements setting `t` from the value `v` of `attr`.
    pub(super) fn assign(&mut self, attr: &Attribute, v: &str, t: &str, depth: usize) -> String {
        if attr.multi_valued {
            let f = self.multi(attr, depth);
            format!("{t} = {f}({v}); if ({t} === undefined) return;")
        } else {
            self.single(attr, v, t, depth)
        }
    }

    /// Statements setting `t` from one value `v` of `attr` (core's `single`).
    fn single(&mut self, attr: &Attribute, v: &str, t: &str, depth: usize) -> String {
        let lenient = self.lenient;
        let test = match attr.ty {
            AttrType::String | AttrType::Reference => {
                let mut c = format!("typeof {v} === \"string\" && {v}.isWellFormed()");
                if attr.required {
                    let _ = write!(c, " && solid({v})");
                }
                if attr.strict_canonical && !attr.canonical_values.is_empty() {
                    let f = self.canonical(attr);
                    let _ = write!(c, " && {f}({v})");
                }
                let mut s = format!("if ({v} === null) {t} = null; else if ({c}) {t} = {v};");
                if lenient && attr.ty == AttrType::String {
                    let _ = write!(s, " else if (Number.isSafeInteger({v})) {t} = String({v});");
                }
                return s + &format!(" else if ({}) {t} = null; else return;", non_finite(v));
            }
            AttrType::Boolean if lenient => {
                return format!(
                    "if ({v} === null) {t} = null; else if (typeof {v} === \"boolean\") {t} = {v}; else if (typeof {v} === \"string\") {{ {t} = boolText({v}); if ({t} === undefined) return; }} else if ({nf}) {t} = null; else return;",
                    nf = non_finite(v),
                );
            }
            AttrType::Boolean => format!("typeof {v} === \"boolean\""),
            // Any integer JSON writes without an exponent that serde_json reads as i64 or u64.
            AttrType::Integer => format!(
                "Number.isInteger({v}) && {v} >= -9223372036854775808 && {v} < 18446744073709551616"
            ),
            AttrType::Decimal => format!("typeof {v} === \"number\" && Number.isFinite({v})"),
            AttrType::DateTime => format!("typeof {v} === \"string\" && dateTime({v})"),
            AttrType::Binary => format!("typeof {v} === \"string\" && base64({v})"),
            AttrType::Complex => {
                let f = self.complex(attr, depth);
                return format!(
                    "if ({v} === null || {nf}) {t} = null; else {{ {t} = {f}({v}); if ({t} === undefined) return; }}",
                    nf = non_finite(v),
                );
            }
        };
        // -0 is 0 once through JSON.
        let value = match attr.ty {
            AttrType::Integer | AttrType::Decimal => format!("{v} === 0 ? 0 : {v}"),
            _ => String::from(v),
        };
        format!(
            "if ({v} === null) {t} = null; else if ({test}) {t} = {value}; else if ({}) {t} = null; else return;",
            non_finite(v)
        )
    }

    /// A hoisted function: whether a string is one of the canonical values of a
    /// `strictCanonical` attribute (ASCII case-insensitively unless `caseExact`).
    fn canonical(&mut self, attr: &Attribute) -> String {
        let name = self.fresh("canon");
        let mut s = format!("  function {name}(s) {{\n    switch (s) {{\n");
        for c in &attr.canonical_values {
            let _ = writeln!(s, "      case {}: return true;", literal::string(c));
        }
        s.push_str("    }\n");
        if !attr.case_exact {
            s.push_str("    if (!ASCII.test(s)) return false;\n    switch (s.toLowerCase()) {\n");
            for c in &attr.canonical_values {
                let _ = writeln!(
                    s,
                    "      case {}: return true;",
                    literal::string(&c.to_ascii_lowercase())
                );
            }
            s.push_str("    }\n");
        }
        s.push_str("    return false;\n  }\n");
        self.hoisted.push_str(&s);
        name
    }

    /// A hoisted function validating one value of the complex `attr` (core's `single` on an
    /// object: members, required sub-attributes, `{}` unassigned).
    fn complex(&mut self, attr: &Attribute, depth: usize) -> String {
        let name = self.fresh("complex");
        if depth >= MAX_DEPTH {
            let _ = writeln!(self.hoisted, "  function {name}() {{ return undefined; }}");
            return name;
        }
        let scope = Scope::new(alloc::vec![attr.sub_attributes.as_slice()]);
        let vars: Vec<String> = (0..scope.slots.len()).map(|j| format!("s{j}")).collect();
        let members = self.members(&scope, "o", &vars, "", depth + 1);
        let required = Self::required(&scope, &vars);
        let any = Self::any(&vars);
        let output = self.output(&scope, &vars, "r");
        let decl = if vars.is_empty() {
            String::new()
        } else {
            format!("let {};\n", vars.join(", "))
        };
        let _ = write!(
            self.hoisted,
            "  // {}\n  function {name}(o) {{\nif (!({plain})) return;\n{decl}{members}{required}if (!({any})) return null;\nconst r = {{}};\n{output}return r;\n  }}\n",
            attr.name.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " "),
            plain = plain("o"),
        );
        name
    }

    /// A hoisted function validating the array of the multi-valued `attr` (core's `multi`:
    /// unassigned values skipped, at most one `primary`, `[]` unassigned).
    fn multi(&mut self, attr: &Attribute, depth: usize) -> String {
        let name = self.fresh("multi");
        let item = self.single(attr, "v", "t", depth);
        let primary = attr
            .sub_attribute("primary")
            .filter(|p| p.ty == AttrType::Boolean)
            .map(|p| literal::string(&p.name));
        let wrap = if self.lenient { "a = [a];" } else { "return;" };
        let nf = non_finite("a");
        let mut s = format!(
            "  function {name}(a) {{\nif (a === null || {nf}) return null;\nif (!isArray(a)) {{ {wrap} }}\nconst out = new Array(a.length);\nlet n = 0, p = false;\nfor (let i = 0; i < a.length; i++) {{\n const v = a[i];\n if (v === undefined) continue;\n let t;\n {item}\n if (t === null) continue;\n"
        );
        if let Some(p) = primary {
            let _ = writeln!(s, " if (t[{p}] === true) {{ if (p) return; p = true; }}");
        }
        s.push_str(
            " out[n++] = t;\n}\nif (n === 0) return null;\nif (n !== out.length) out.length = n;\nreturn out;\n  }\n",
        );
        self.hoisted.push_str(&s);
        name
    }
}
