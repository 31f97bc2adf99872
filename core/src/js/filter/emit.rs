//! The JavaScript text of a compiled filter, node by node, mirroring
//! [`eval`](crate::query::eval).
//!
//! Values are read as `JSON.stringify` would write them for core: `undefined`, functions and
//! symbols as absent (core treats absent and `null` alike), non-finite numbers as `null`. What
//! is left undecided: objects that are not plain (`toJSON`, a prototype other than
//! `Object.prototype` or `null`, boxed primitives), bigints, strings with lone surrogates,
//! case-insensitive strings outside the ranges where JS lowercases as core does (`text.js`),
//! integers beyond 2⁵³ compared with integers, and attribute names JS reads specially.
//!
//! Only what the filter reads is looked at, so what makes core refuse a whole document
//! elsewhere in it (a lone surrogate in another string, nesting deeper than the JSON parser
//! reads) does not change the answer; the package sends core only what the filter reads too.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::js::literal;
use crate::query::ast::CompareOp;
use crate::query::compile::{AttrLocation, AttrRef, Comparison, Literal, Node};
use crate::query::datetime::Instant;

/// Helpers every filter uses: value classification and "any value".
const BASE: &str = include_str!("base.js");
/// Presence (`pr`, `eq null`, `ne null`).
const PRESENT: &str = include_str!("present.js");
/// Case folding and string comparisons.
const TEXT: &str = include_str!("text.js");
/// RFC 3339 date-times.
const DATETIME: &str = include_str!("datetime.js");

/// Largest integer a JS number holds exactly (2⁵³ − 1).
const MAX_SAFE: i64 = (1 << 53) - 1;

/// What the values a node's [`AttrRef`]s are relative to (as in evaluation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// A whole resource.
    Resource,
    /// One value of a complex attribute (inside `attr[filter]`, or a PATCH value filter).
    Element,
}

/// The source being written.
#[derive(Default)]
pub(super) struct Emitter {
    /// Hoisted constants (`c0`, `c1`, …).
    consts: String,
    /// One function per node (`n…`), leaf test (`l…`), sub-attribute reader (`s…`) and value
    /// of a value filter (`e…`).
    funcs: String,
    /// Count of names given so far.
    next: usize,
    /// Whether `present.js` is needed.
    present: bool,
    /// Whether `text.js` is needed.
    text: bool,
    /// Whether `datetime.js` is needed.
    datetime: bool,
    /// The property keys the code reads (JS literals), each once.
    keys: Vec<String>,
}

impl Emitter {
    /// The whole expression: an immediately invoked function returning the predicate over one
    /// resource (`Scope::Resource`) or one value (`Scope::Element`); anything but a plain
    /// object is `false`, as in core.
    pub(super) fn program(mut self, root: &Node, scope: Scope) -> String {
        let top = self.node(root, scope);
        let mut out = String::from("(() => {\n");
        for (needed, text) in [
            (true, BASE),
            (self.present, PRESENT),
            (self.text, crate::js::FOLD),
            (self.text, TEXT),
            (self.datetime, DATETIME),
        ] {
            if needed {
                push_code(&mut out, text);
            }
        }
        out.push_str(&self.consts);
        out.push_str(&self.funcs);
        // A property the code reads that Object.prototype holds (other than its own methods,
        // which read as absent, like a missing property) would be inherited where JSON.stringify
        // writes nothing: then nothing is decided.
        let clean: Vec<String> = self
            .keys
            .iter()
            .map(|k| format!("inherits(OP[{k}])"))
            .collect();
        let guard = if clean.is_empty() {
            String::new()
        } else {
            format!("if ({}) return U; ", clean.join(" || "))
        };
        out.push_str(&format!(
            "return (r) => {{ {guard}const k = obj(r); return k === true ? {top}(r) : k; }};\n}})()"
        ));
        out
    }

    /// A fresh name with `prefix`.
    fn fresh(&mut self, prefix: char) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next - 1)
    }

    /// Declares `function name(param) { body }`.
    fn function(&mut self, name: &str, param: &str, body: &str) {
        self.funcs
            .push_str(&format!("function {name}({param}) {{ {body} }}\n"));
    }

    /// A hoisted constant holding the JavaScript expression `value`; its name.
    fn constant(&mut self, value: &str) -> String {
        let name = self.fresh('c');
        self.consts.push_str(&format!("const {name} = {value};\n"));
        name
    }

    /// The function testing `node` in `scope`; its name.
    fn node(&mut self, node: &Node, scope: Scope) -> String {
        let body = match node {
            Node::Const(b) => format!("return {b};"),
            Node::Present(r) => {
                self.present = true;
                return self.found(r, scope, "pr");
            }
            Node::Compare(c) => {
                let leaf = self.leaf(c);
                let found = self.found(&c.attr, scope, &leaf);
                if c.op != CompareOp::Ne {
                    return found;
                }
                format!("const a = {found}(x); return a === U ? U : !a;")
            }
            Node::Not(inner) => {
                let inner = self.node(inner, scope);
                format!("const a = {inner}(x); return a === U ? U : !a;")
            }
            Node::And(items) => self.junction(items, scope, false),
            Node::Or(items) => self.junction(items, scope, true),
            Node::ValuePath { attr, filter } => match scope {
                Scope::Element => String::from("return false;"),
                Scope::Resource => {
                    let inner = self.node(filter, Scope::Element);
                    let each = self.fresh('e');
                    self.function(
                        &each,
                        "el",
                        &format!("const k = obj(el); return k === true ? {inner}(el) : k;"),
                    );
                    let name = self.fresh('n');
                    let body = match self.read(attr) {
                        Some(read) => format!("{read} return any(v, {each});"),
                        None => String::from("return U;"),
                    };
                    self.function(&name, "x", &body);
                    return name;
                }
            },
        };
        let name = self.fresh('n');
        self.function(&name, "x", &body);
        name
    }

    /// Kleene `and` (`absorbing` false) or `or` (`absorbing` true) of `items`.
    fn junction(&mut self, items: &[Node], scope: Scope, absorbing: bool) -> String {
        let mut body = String::from("let u = false, a;");
        for item in items {
            let f = self.node(item, scope);
            body.push_str(&format!(
                " a = {f}(x); if (a === {absorbing}) return {absorbing}; if (a === U) u = true;"
            ));
        }
        body.push_str(&format!(" return u ? U : {};", !absorbing));
        body
    }

    /// The function telling whether `leaf` holds for any single value `r` designates in
    /// `scope` (core's `any_value`); its name.
    fn found(&mut self, r: &AttrRef, scope: Scope, leaf: &str) -> String {
        let body = match (scope, r.sub.as_deref()) {
            (Scope::Element, None) => String::from("return false;"),
            (Scope::Element, Some(sub)) => match self.key(sub) {
                Some(k) => format!("return any(x[{k}], {leaf});"),
                None => String::from("return U;"),
            },
            (Scope::Resource, sub) => {
                let each = match sub {
                    None => Some(String::from(leaf)),
                    Some(sub) => self.key(sub).map(|k| {
                        let name = self.fresh('s');
                        self.function(
                            &name,
                            "el",
                            &format!(
                                "const k = obj(el); return k === true ? any(el[{k}], {leaf}) : k;"
                            ),
                        );
                        name
                    }),
                };
                match (self.read(r), each) {
                    (Some(read), Some(each)) => format!("{read} return any(v, {each});"),
                    _ => String::from("return U;"),
                }
            }
        };
        let name = self.fresh('n');
        self.function(&name, "x", &body);
        name
    }

    /// The test of one single value `v` against the comparison (`ne` tested as `eq`, as in
    /// core's `leaf_matches`); its name.
    fn leaf(&mut self, c: &Comparison) -> String {
        let body = match &c.value {
            Literal::String(lit) => {
                let k = self.constant(&literal::string(lit));
                let test = self.string_test(c, &k);
                format!("if (typeof v !== 'string') return other(v); if (!wf(v)) return U; {test}")
            }
            Literal::Bool(b) => format!(
                "if (typeof v === 'boolean') return v === {b}; \
                 if (typeof v !== 'string') return other(v); return wf(v) ? lower(v, \"{b}\") : U;"
            ),
            Literal::Integer(i) if (-MAX_SAFE..=MAX_SAFE).contains(i) => {
                number_test(c.op, &format!("{i}"))
            }
            Literal::Integer(_) => String::from(
                "if (typeof v !== 'number') return other(v); return v - v === 0 ? U : false;",
            ),
            Literal::Decimal(d) => number_test(c.op, &number(*d)),
            Literal::DateTime(t) => self.date_time_test(c.op, t),
        };
        let name = self.fresh('l');
        self.function(&name, "v", &body);
        name
    }

    /// The comparison of a well-formed string `v` with the hoisted literal `k`.
    fn string_test(&mut self, c: &Comparison, k: &str) -> String {
        let op = c.op;
        if c.attr.case_exact {
            return match op {
                CompareOp::Eq | CompareOp::Ne => format!("return v === {k};"),
                CompareOp::Co => format!("return v.includes({k});"),
                CompareOp::Sw => format!("return v.startsWith({k});"),
                CompareOp::Ew => format!("return v.endsWith({k});"),
                _ => {
                    self.text = true;
                    format!("return {};", ordering(op, &format!("ord(v, {k})"), "0"))
                }
            };
        }
        self.text = true;
        let helper = match op {
            CompareOp::Eq | CompareOp::Ne => "eq",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            _ => {
                let holds = ordering(op, "o", "0");
                return format!("const o = ordF(v, {k}); return o === U ? U : {holds};");
            }
        };
        match literal_ascii(c) {
            Some(lit) if op == CompareOp::Co => {
                let re = self.constant(&format!(
                    "new RegExp({}, \"i\")",
                    literal::string(&regex_escape(lit))
                ));
                format!("return coR(v, {re}, {k});")
            }
            _ => format!("return {helper}A(v, {k});"),
        }
    }

    /// `name` as a JS property key, recorded as read; `None` when JS reads it specially.
    fn key(&mut self, name: &str) -> Option<String> {
        let k = key(name)?;
        if !self.keys.contains(&k) {
            self.keys.push(k.clone());
        }
        Some(k)
    }

    /// Statements setting `v` to the top-level attribute of `r` in the resource `x`, returning
    /// early (`false`, or `U`) when an extension object is not a plain object; `None` when a name
    /// cannot be read as a key.
    fn read(&mut self, r: &AttrRef) -> Option<String> {
        let attr = self.key(&r.attr)?;
        Some(match &r.location {
            AttrLocation::Top => format!("const v = x[{attr}];"),
            AttrLocation::Extension(urn) => {
                let urn = self.key(urn)?;
                format!(
                    "const o = x[{urn}], k = obj(o); if (k !== true) return k; const v = o[{attr}];"
                )
            }
        })
    }

    /// The comparison of a value with the date-time `t`.
    fn date_time_test(&mut self, op: CompareOp, t: &Instant) -> String {
        let seconds = t.unix_seconds();
        if !(-MAX_SAFE..=MAX_SAFE).contains(&seconds) {
            return String::from("return typeof v === 'string' ? U : other(v);");
        }
        self.datetime = true;
        let holds = ordering(op, &format!("dt(v, {seconds}, {})", t.subsec_nanos()), "0");
        format!("if (typeof v !== 'string') return other(v); if (!wf(v)) return U; return {holds};")
    }
}

/// Appends the lines of the runtime `js` but its comment lines (less text to parse per filter).
fn push_code(out: &mut String, js: &str) {
    for line in js.lines().filter(|l| !l.trim_start().starts_with("//")) {
        out.push_str(line);
        out.push('\n');
    }
}

/// The string literal of `c` when it is ASCII only.
fn literal_ascii(c: &Comparison) -> Option<&str> {
    match &c.value {
        Literal::String(lit) if lit.is_ascii() => Some(lit),
        _ => None,
    }
}

/// A regular expression source matching exactly `text` (ASCII): letters and digits as they are,
/// every other character as a `\xHH` escape.
pub(super) fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else {
            out.push_str(&format!("\\x{:02x}", u32::from(ch)));
        }
    }
    out
}

/// The test of one value against a number literal `n` (a JS number expression): a finite
/// number compares as itself; a non-finite one is `null` in JSON.
pub(super) fn number_test(op: CompareOp, n: &str) -> String {
    let holds = ordering(op, "v", n);
    format!("if (typeof v !== 'number') return other(v); return v - v === 0 && {holds};")
}

/// The JS expression for `op` holding between `a` and `b` (`ne` as `eq`; the substring
/// operators never hold on ordered values, as in core's `ordered`).
pub(super) fn ordering(op: CompareOp, a: &str, b: &str) -> String {
    let js = match op {
        CompareOp::Eq | CompareOp::Ne => "===",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => return String::from("false"),
    };
    format!("{a} {js} {b}")
}

/// `d` as a JS number literal that reads back as the same double.
pub(super) fn number(d: f64) -> String {
    if d.is_nan() {
        String::from("NaN")
    } else if d.is_infinite() {
        String::from(if d > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        format!("{d:?}")
    }
}

/// `name` as a JS property key, unless JS reads it specially (`__proto__`).
pub(super) fn key(name: &str) -> Option<String> {
    (name != "__proto__").then(|| literal::string(name))
}
