use super::*;
use crate::query::{
    compile, compile_value_filter, parse_attr_path, parse_filter, CompileOptions, ParseOptions,
};
use crate::query::{AttrLocation, AttrRef, CompareOp, Comparison, Literal, Node};
use crate::schema::{AttrType, Registry};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use emit::{key, number, number_test, ordering, regex_escape};

fn source(text: &str) -> String {
    source_with(text, CompileOptions::default())
}

fn source_with(text: &str, options: CompileOptions) -> String {
    let reg = Registry::builtin();
    let rt = reg
        .resource_type("User")
        .cloned()
        .unwrap_or_else(|| panic!("no User"));
    let ast = parse_filter(text, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let compiled = compile(&ast, &reg, &rt, options).unwrap_or_else(|e| panic!("{e}"));
    filter_source(&compiled)
}

fn value_source(attr: &str, text: &str) -> String {
    let reg = Registry::builtin();
    let rt = reg
        .resource_type("User")
        .cloned()
        .unwrap_or_else(|| panic!("no User"));
    let ast = parse_filter(text, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = parse_attr_path(attr).unwrap_or_else(|e| panic!("{e}"));
    let compiled = compile_value_filter(&ast, &reg, &rt, &path).unwrap_or_else(|e| panic!("{e}"));
    value_filter_source(&compiled)
}

/// The text between the hoisted helpers and constants and the returned predicate.
fn functions(src: &str) -> Vec<&str> {
    src.lines()
        .filter(|l| {
            let rest = l.strip_prefix("function ").unwrap_or("");
            rest.starts_with(['n', 'l']) && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        })
        .collect()
}

#[test]
fn source_is_an_invoked_function_returning_the_predicate() {
    let src = source("userName eq \"bjensen\"");
    assert!(src.starts_with("(() => {\n"), "{src}");
    assert!(src.ends_with("})()"), "{src}");
    assert!(src.contains(
        "return (r) => { if (inherits(OP[\"userName\"])) return U; const k = obj(r); return k === true ? n"
    ), "{src}");
}

#[test]
fn one_function_per_node_and_leaf() {
    let src = source("userName eq \"a\" and (title pr or not (active eq true))");
    let fns = functions(&src);
    // and, eq (found + leaf), or, pr, not, eq (found + leaf)
    assert_eq!(fns.len(), 8, "{fns:#?}");
    assert!(
        src.contains("if (a === false) return false;"),
        "and is Kleene"
    );
    assert!(src.contains("if (a === true) return true;"), "or is Kleene");
}

#[test]
fn literals_are_hoisted_escaped_constants() {
    let src = source("userName eq \"A\\\"b\\nc\u{2028}\"");
    let decl = "const c0 = \"a\\\"b\\nc\u{2028}\";\n";
    let at = src.find(decl).unwrap_or_else(|| panic!("{src}"));
    let first_fn = src.find("function n").unwrap_or(0);
    let first_runtime = src.find("function obj").unwrap_or(usize::MAX);
    assert!(
        first_runtime < at && at < first_fn,
        "hoisted between runtime and nodes"
    );
    assert_eq!(
        src.matches("a\\\"b").count(),
        1,
        "the literal is written once"
    );
    assert!(src.contains("return eqA(v, c0);"), "{src}");
}

#[test]
fn case_insensitive_literals_are_folded_at_compile_time_and_non_ascii_ones_fold_values() {
    let src = source("name.familyName sw \"MÜLLER\"");
    assert!(src.contains("const c0 = \"müller\";"), "{src}");
    assert!(src.contains("swA(v, c0)"));
    let exact = source("externalId eq \"MÜLLER\"");
    assert!(exact.contains("const c0 = \"MÜLLER\";"));
    assert!(exact.contains("return v === c0;"));
    assert!(
        !exact.contains("function fold"),
        "no folding code for case-exact text"
    );
}

#[test]
fn every_key_read_is_checked_once_against_object_prototype() {
    let src = source("emails.type eq \"work\" or emails[value pr and type eq \"home\"]");
    let guard = src
        .lines()
        .find(|l| l.starts_with("return (r) =>"))
        .unwrap_or("");
    assert_eq!(guard.matches("inherits(OP[").count(), 3, "{guard}");
    for k in ["emails", "type", "value"] {
        assert!(guard.contains(&format!("inherits(OP[\"{k}\"])")), "{guard}");
    }
    let constant = source_with(
        "favouriteColour eq \"blue\"",
        CompileOptions {
            lenient_unknown: true,
        },
    );
    assert!(constant.contains("return (r) => { const k = obj(r);"));
}

#[test]
fn runtime_comments_are_left_out() {
    let src = source("userName co \"x\" and meta.created gt \"2024-01-01T00:00:00Z\" and title pr");
    assert!(src.contains("function coR") && src.contains("function instant"));
    assert!(
        !src.lines().any(|l| l.trim_start().starts_with("//")),
        "{src}"
    );
}

#[test]
fn runtime_parts_are_included_only_when_used() {
    let pr = source("title pr");
    assert!(pr.contains("function present"));
    assert!(!pr.contains("function fold") && !pr.contains("function instant"));
    let dt = source("meta.lastModified gt \"2024-06-15T12:00:00.5+02:00\"");
    assert!(dt.contains("function instant"));
    assert!(dt.contains("dt(v, 1718445600, 500000000) > 0"), "{dt}");
    assert!(!dt.contains("function present"));
}

#[test]
fn ne_negates_any_value_and_null_comparisons_test_presence() {
    let ne = source("emails.type ne \"work\"");
    assert!(ne.contains("return a === U ? U : !a;"));
    assert!(ne.contains("any(el[\"type\"], l"), "{ne}");
    let eq_null = source("title eq null");
    assert!(eq_null.contains("function present") && eq_null.contains("return a === U ? U : !a;"));
}

#[test]
fn extension_attributes_are_read_under_their_urn() {
    let src = source(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Sales\"",
    );
    assert!(src.contains(
        "const o = x[\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"], k = obj(o);"
    ));
    assert!(src.contains("const v = o[\"department\"];"));
}

#[test]
fn value_paths_test_each_value_in_element_scope() {
    let src = source("emails[type eq \"work\" and value co \"@x\"]");
    assert!(
        src.contains("const v = x[\"emails\"]; return any(v, e"),
        "{src}"
    );
    assert!(src.contains("return any(x[\"type\"], l"));
    assert!(src.contains("new RegExp(\"\\\\x40x\", \"i\");"), "{src}");
    assert!(src.contains("return coR(v, c"));
    assert_eq!(regex_escape("a.B*9-"), "a\\x2eB\\x2a9\\x2d");
}

#[test]
fn value_filter_source_tests_one_value() {
    let src = value_source("emails", "type eq \"work\"");
    assert!(src.contains("return any(x[\"type\"], l"), "{src}");
    assert!(src.contains("return (r) => { if (inherits(OP[\"type\"])) return U; const k = obj(r);"));
}

#[test]
fn constants_from_lenient_unknown_attributes_stay_constant() {
    let lenient = CompileOptions {
        lenient_unknown: true,
    };
    let src = source_with("favouriteColour eq \"blue\"", lenient);
    assert!(src.contains("function n0(x) { return false; }"), "{src}");
    let src = source_with("favouriteColour ne \"blue\"", lenient);
    assert!(src.contains("function n0(x) { return true; }"));
}

#[test]
fn numbers_compare_only_when_exact() {
    let text = source("urn:ietf:params:scim:schemas:core:2.0:User:userName eq 5");
    assert!(
        text.contains("const c0 = \"5\";"),
        "a number for a string compares as text"
    );
    assert_eq!(number(0.1), "0.1");
    assert_eq!(number(1e21), "1e21");
    assert_eq!(number(f64::INFINITY), "Infinity");
    assert_eq!(
        number_test(CompareOp::Gt, "5"),
        "if (typeof v !== 'number') return other(v); return v - v === 0 && v > 5;"
    );
    assert_eq!(ordering(CompareOp::Co, "v", "5"), "false");
    let big = Comparison {
        attr: AttrRef {
            location: AttrLocation::Top,
            attr: "n".into(),
            sub: None,
            multi_valued: false,
            ty: AttrType::Integer,
            case_exact: false,
        },
        op: CompareOp::Eq,
        value: Literal::Integer(1 << 60),
        ascii: false,
    };
    let src = Emitter::default().program(&Node::Compare(big), Scope::Resource);
    assert!(src.contains("return v - v === 0 ? U : false;"), "{src}");
}

#[test]
fn proto_is_never_read_as_a_key() {
    assert_eq!(key("__proto__"), None);
    assert_eq!(key("userName").as_deref(), Some("\"userName\""));
}
