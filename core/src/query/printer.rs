//! Canonical text of parsed filters and paths.
//!
//! Printing gives lowercase operators and keywords, JSON-escaped strings and the fewest
//! parentheses that keep the tree: an `or` inside an `and`, and an `and`/`or` chain nested in
//! a chain of the same kind, are parenthesised. For every filter the parser produces,
//! parsing the printed text gives the same filter back.

use core::fmt::{self, Display, Formatter, Write};

use crate::query::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};

impl CompareOp {
    /// The operator's canonical (lowercase) name.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }
}

impl Display for CompareOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for AttrPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            f.write_str(urn)?;
            f.write_char(':')?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            f.write_char('.')?;
            f.write_str(sub)?;
        }
        Ok(())
    }
}

impl Display for CompValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CompValue::Null => f.write_str("null"),
            CompValue::Bool(true) => f.write_str("true"),
            CompValue::Bool(false) => f.write_str("false"),
            CompValue::Number(n) => Display::fmt(n, f),
            CompValue::String(s) => write_json_string(f, s),
        }
    }
}

impl Display for Filter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_filter(f, self, Context::Top)
    }
}

impl Display for PatchPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PatchPath::Attr(path) => Display::fmt(path, f),
            PatchPath::Filtered { path, filter, sub } => {
                write!(f, "{path}[{filter}]")?;
                if let Some(sub) = sub {
                    write!(f, ".{sub}")?;
                }
                Ok(())
            }
        }
    }
}

/// Where a filter is printed, deciding whether a chain needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The whole filter, a `not (…)` or a value filter: no parentheses needed.
    Top,
    /// An item of an `and` chain.
    And,
    /// An item of an `or` chain.
    Or,
}

fn write_filter(f: &mut Formatter<'_>, filter: &Filter, ctx: Context) -> fmt::Result {
    match filter {
        Filter::Present(path) => write!(f, "{path} pr"),
        Filter::Compare { path, op, value } => write!(f, "{path} {op} {value}"),
        Filter::Not(inner) => {
            f.write_str("not (")?;
            write_filter(f, inner, Context::Top)?;
            f.write_char(')')
        }
        Filter::And(items) => write_chain(f, items, " and ", Context::And, ctx == Context::And),
        Filter::Or(items) => write_chain(f, items, " or ", Context::Or, ctx != Context::Top),
        Filter::ValuePath { path, filter } => {
            write!(f, "{path}[")?;
            write_filter(f, filter, Context::Top)?;
            f.write_char(']')
        }
    }
}

fn write_chain(
    f: &mut Formatter<'_>,
    items: &[Filter],
    separator: &str,
    inner: Context,
    parenthesise: bool,
) -> fmt::Result {
    if parenthesise {
        f.write_char('(')?;
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_filter(f, item, inner)?;
    }
    if parenthesise {
        f.write_char(')')?;
    }
    Ok(())
}

/// Writes `s` as a JSON string literal.
fn write_json_string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        f.write_str(s.get(run..i).unwrap_or_default())?;
        if escape.is_empty() {
            write!(f, "\\u{b:04x}")?;
        } else {
            f.write_str(escape)?;
        }
        run = i + 1;
    }
    f.write_str(s.get(run..).unwrap_or_default())?;
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScimError;
    use crate::query::parser::{parse_filter, parse_patch_path, ParseOptions};
    use alloc::boxed::Box;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use serde_json::Number;

    fn reprint(text: &str) -> String {
        parse_filter(text, ParseOptions::STRICT)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    #[test]
    fn canonical_filters_print_back_unchanged() {
        for text in [
            "userName eq \"bjensen\"",
            "name.familyName co \"O'Malley\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            "title pr",
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "title pr and userType eq \"Employee\"",
            "title pr or userType eq \"Intern\"",
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            "a eq null or b eq true or c ne false or d gt -3 or e lt 2.5",
        ] {
            assert_eq!(reprint(text), text);
        }
    }

    #[test]
    fn printing_lowercases_keywords_and_normalises_spacing() {
        assert_eq!(
            reprint("  UserName  EQ \"x\"\tAND NOT(Title PR)  Or Active Eq TRUE "),
            "UserName eq \"x\" and not (Title pr) or Active eq true"
        );
    }

    #[test]
    fn parentheses_are_minimal_but_keep_the_tree() {
        assert_eq!(reprint("(a pr)"), "a pr");
        assert_eq!(reprint("a pr and (b pr)"), "a pr and b pr");
        assert_eq!(reprint("(a pr and b pr) or c pr"), "a pr and b pr or c pr");
        assert_eq!(
            reprint("a pr and (b pr or c pr)"),
            "a pr and (b pr or c pr)"
        );
        assert_eq!(
            reprint("a pr and (b pr and c pr)"),
            "a pr and (b pr and c pr)"
        );
        assert_eq!(reprint("(a pr or b pr) or c pr"), "(a pr or b pr) or c pr");
        assert_eq!(reprint("not ((a pr or b pr))"), "not (a pr or b pr)");
        assert_eq!(reprint("x[(a pr or b pr)]"), "x[a pr or b pr]");
    }

    #[test]
    fn strings_print_as_json_with_escapes() {
        let value = CompValue::String("q\"b\\s/\u{8}\u{c}\n\r\t\u{1}\u{1f}é😀".into());
        assert_eq!(
            value.to_string(),
            "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001fé😀\""
        );
        assert_eq!(CompValue::String(String::new()).to_string(), "\"\"");
        assert_eq!(reprint(r#"a eq "\u0041\/\uD83D\uDE00""#), "a eq \"A/😀\"");
    }

    #[test]
    fn numbers_and_literals_print_as_json() {
        assert_eq!(CompValue::Number((-7i64).into()).to_string(), "-7");
        assert_eq!(
            CompValue::Number(Number::from_f64(0.5).unwrap()).to_string(),
            "0.5"
        );
        assert_eq!(CompValue::Null.to_string(), "null");
        assert_eq!(CompValue::Bool(false).to_string(), "false");
        assert_eq!(CompareOp::Ge.to_string(), "ge");
    }

    #[test]
    fn patch_paths_print_in_rfc_form() {
        for text in [
            "members",
            "name.familyName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            "members[value eq \"2819c223\"]",
            "emails[type eq \"work\" and primary eq true].value",
        ] {
            let parsed = parse_patch_path(text, ParseOptions::STRICT).unwrap();
            assert_eq!(parsed.to_string(), text);
        }
    }

    const NAMES: &[&str] = &["not", "and", "or", "pr", "eq", "true", "null", "$ref"];

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-zA-Z][a-zA-Z0-9_-]{0,6}",
            1 => proptest::sample::select(NAMES).prop_map(ToString::to_string),
        ]
    }

    fn attr_path(with_sub: bool) -> impl Strategy<Value = AttrPath> {
        let urn = prop_oneof![
            3 => Just(None),
            1 => Just(Some("urn:ietf:params:scim:schemas:core:2.0:User".to_string())),
            1 => "urn:[a-zA-Z0-9-]{1,5}(:[a-zA-Z0-9.$_-]{1,5}){0,3}".prop_map(Some),
        ];
        let sub = if with_sub {
            proptest::option::of(name()).boxed()
        } else {
            Just(None).boxed()
        };
        (urn, name(), sub).prop_map(|(urn, name, sub)| AttrPath { urn, name, sub })
    }

    /// Integers, and decimals of up to six digits: serde_json (without its `float_roundtrip`
    /// feature, as JSON bodies are parsed too) reads those exactly, so they survive printing.
    fn number() -> impl Strategy<Value = Number> {
        prop_oneof![
            any::<u64>().prop_map(Number::from),
            any::<i64>().prop_map(Number::from),
            (-999_999i64..999_999, -22i32..22).prop_map(|(m, e)| {
                alloc::format!("{m}e{e}")
                    .parse::<Number>()
                    .unwrap_or(Number::from(m))
            }),
        ]
    }

    fn comp_value() -> impl Strategy<Value = CompValue> {
        prop_oneof![
            Just(CompValue::Null),
            any::<bool>().prop_map(CompValue::Bool),
            number().prop_map(CompValue::Number),
            any::<String>().prop_map(CompValue::String),
            "[\"\\\\/\\x00-\\x1f a-zé😀\u{2028}]{0,8}".prop_map(CompValue::String),
        ]
    }

    fn op() -> impl Strategy<Value = CompareOp> {
        proptest::sample::select(
            &[
                CompareOp::Eq,
                CompareOp::Ne,
                CompareOp::Co,
                CompareOp::Sw,
                CompareOp::Ew,
                CompareOp::Gt,
                CompareOp::Ge,
                CompareOp::Lt,
                CompareOp::Le,
            ][..],
        )
    }

    fn leaf() -> impl Strategy<Value = Filter> {
        prop_oneof![
            attr_path(true).prop_map(Filter::Present),
            (attr_path(true), op(), comp_value()).prop_map(|(path, op, value)| Filter::Compare {
                path,
                op,
                value
            }),
        ]
    }

    fn combine(inner: BoxedStrategy<Filter>) -> BoxedStrategy<Filter> {
        prop_oneof![
            inner.clone().prop_map(|f| Filter::Not(Box::new(f))),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(Filter::And),
            proptest::collection::vec(inner, 2..4).prop_map(Filter::Or),
        ]
        .boxed()
    }

    /// Filters without value paths: what may appear inside brackets.
    fn value_filter() -> BoxedStrategy<Filter> {
        leaf().boxed().prop_recursive(4, 24, 3, combine).boxed()
    }

    fn filter() -> BoxedStrategy<Filter> {
        let value_path =
            (attr_path(false), value_filter()).prop_map(|(path, f)| Filter::ValuePath {
                path,
                filter: Box::new(f),
            });
        prop_oneof![3 => leaf(), 1 => value_path]
            .boxed()
            .prop_recursive(4, 32, 3, combine)
            .boxed()
    }

    const VOCABULARY: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "not",
        "NOT",
        "and",
        "or",
        "Or",
        "eq",
        "co",
        "pr",
        "gt",
        "userName",
        "emails",
        ".value",
        "name.givenName",
        "\"x\"",
        "\"a\\\"b\"",
        "\"\\u",
        "1",
        "-2.5e3",
        "01",
        "true",
        "null",
        "jyoung",
        "urn:a:b:User:name",
        "$ref",
        "\"",
        "é",
        "\t",
        ".",
        ":",
        " ",
    ];

    fn token_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec((proptest::sample::select(VOCABULARY), any::<bool>()), 0..24)
            .prop_map(|tokens| {
                let mut text = String::new();
                for (token, spaced) in tokens {
                    text.push_str(token);
                    if spaced {
                        text.push(' ');
                    }
                }
                text
            })
    }

    fn all_parsers(text: &str) {
        let _ = crate::query::parser::parse_attr_path(text);
        let _ = crate::query::parser::parse_attr_list(text);
        let _ = parse_patch_path(text, ParseOptions::STRICT);
        let _ = parse_patch_path(text, ParseOptions::LENIENT);
        for options in [ParseOptions::STRICT, ParseOptions::LENIENT] {
            if let Ok(f) = parse_filter(text, options) {
                let printed = f.to_string();
                assert_eq!(
                    parse_filter(&printed, ParseOptions::STRICT),
                    Ok(f),
                    "{text:?} printed as {printed:?}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn printing_then_parsing_gives_the_same_filter(f in filter()) {
            let printed = f.to_string();
            prop_assert_eq!(parse_filter(&printed, ParseOptions::STRICT), Ok(f), "{}", printed);
        }

        #[test]
        fn printing_then_parsing_gives_the_same_patch_path(
            path in attr_path(false),
            f in value_filter(),
            sub in proptest::option::of(name()),
        ) {
            let patch = PatchPath::Filtered { path, filter: f, sub };
            let printed = patch.to_string();
            prop_assert_eq!(parse_patch_path(&printed, ParseOptions::STRICT), Ok(patch), "{}", printed);
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            all_parsers(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn random_token_sequences_never_panic_and_round_trip(text in token_soup()) {
            all_parsers(&text);
        }
    }

    #[test]
    fn lenient_parses_print_as_strict_filters() {
        let f = parse_filter("emails[type eq work].value eq a@b", ParseOptions::LENIENT).unwrap();
        assert_eq!(
            f.to_string(),
            "emails[type eq \"work\" and value eq \"a@b\"]"
        );
        assert!(matches!(
            parse_filter(&f.to_string(), ParseOptions::STRICT),
            Ok(ref g) if *g == f
        ));
        assert!(matches!(
            parse_filter("a eq b", ParseOptions::STRICT),
            Err(ScimError::InvalidFilter { .. })
        ));
    }

    #[test]
    fn deep_and_long_inputs_return_quickly() {
        let started = std::time::Instant::now();
        let deep = "(".repeat(10_000) + "a pr" + &")".repeat(10_000);
        assert!(parse_filter(&deep, ParseOptions::STRICT).is_err());
        let chain: Vec<String> = (0..5000).map(|i| alloc::format!("a{i} pr")).collect();
        assert!(parse_filter(&chain.join(" or "), ParseOptions::STRICT).is_err());
        let fits: Vec<&str> = ["a pr"; 3000].to_vec();
        assert!(parse_filter(&fits.join(" or "), ParseOptions::STRICT).is_ok());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
