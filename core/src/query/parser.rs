//! Parser of filters and attribute paths (RFC 7644 §3.4.2.2, §3.5.2, ABNF of §8).
//!
//! Operators, `and`/`or`/`not`, `pr` and `true`/`false`/`null` are case-insensitive;
//! attribute names keep the client's case. Precedence is `not` > `and` > `or`; chains of one
//! operator flatten into [`Filter::And`]/[`Filter::Or`] of two or more items, while a
//! parenthesised chain stays a nested item, so printing and re-parsing gives the same tree.
//! Attribute paths are `[URN ":"] ATTRNAME ["." ATTRNAME]` where the URN is everything up to
//! the last `:` and ATTRNAME is `ALPHA *("-" / "_" / DIGIT / ALPHA)` (RFC 7643 §2.1) or `$ref`.
//!
//! # Lenient mode
//! [`ParseOptions::lenient`] accepts what Microsoft Entra ID is known to send:
//! - an unquoted value, `externalId eq jyoung`: the value runs to whitespace, `)` or `]`;
//!   `true`, `false`, `null` and JSON numbers still parse as such;
//! - a sub-attribute after a value filter followed by a comparison,
//!   `emails[type eq "work"].value eq "x"` (or `… .value pr`), read as
//!   `emails[type eq "work" and value eq "x"]`.
//!
//! Strict mode rejects both with `invalidFilter`.
//!
//! # Limits
//! Text longer than [`MAX_FILTER_LEN`] bytes and nesting (parentheses, `not`, value filters)
//! deeper than [`MAX_DEPTH`] are rejected; recursion is bounded by the depth limit.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::error::ScimError;
use crate::query::ast::{AttrPath, CompareOp, Filter, PatchPath};
use crate::query::lexer::{is_word_byte, Lexer, Tok, Token};

/// Longest filter or path text accepted, in bytes (a few hundred `id eq "…" or` terms fit).
pub const MAX_FILTER_LEN: usize = 32 * 1024;

/// Deepest nesting of parentheses, `not` and value filters accepted.
pub const MAX_DEPTH: usize = 32;

/// How forgiving the parser is; `Default` is strict RFC 7644 syntax.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept the client quirks listed in the module documentation.
    pub lenient: bool,
}

impl ParseOptions {
    /// Strict RFC 7644 syntax.
    pub const STRICT: ParseOptions = ParseOptions { lenient: false };
    /// Strict syntax plus the known client quirks.
    pub const LENIENT: ParseOptions = ParseOptions { lenient: true };
}

/// Parses a filter (`filter=` parameter or search body).
pub fn parse_filter(text: &str, options: ParseOptions) -> Result<Filter, ScimError> {
    check_len(text)?;
    let mut parser = Parser::new(text, options);
    let filter = parser.or(0)?;
    let tok = parser.bump()?;
    match tok.tok {
        Tok::End => Ok(filter),
        Tok::RParen => Err(ScimError::invalid_filter(
            tok.pos,
            "')' without matching '('",
        )),
        _ => Err(ScimError::invalid_filter(
            tok.pos,
            "expected 'and', 'or' or end of filter",
        )),
    }
}

/// Parses one attribute path (`sortBy`, an item of `attributes`/`excludedAttributes`).
pub fn parse_attr_path(text: &str) -> Result<AttrPath, ScimError> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.len() > MAX_FILTER_LEN {
        return Err(invalid_path(text, 0, "path too long"));
    }
    if let Some(i) = trimmed.bytes().position(|b| !is_word_byte(b)) {
        return Err(invalid_path(trimmed, i, "unexpected character"));
    }
    split_path(trimmed).map_err(|(at, msg)| invalid_path(trimmed, at, msg))
}

/// Parses a comma-separated attribute list (`attributes=`, `excludedAttributes=`); empty items are skipped.
pub fn parse_attr_list(text: &str) -> Result<Vec<AttrPath>, ScimError> {
    text.split(',')
        .filter(|item| {
            !item
                .trim_matches(|c: char| c.is_ascii_whitespace())
                .is_empty()
        })
        .map(parse_attr_path)
        .collect()
}

/// Parses a PATCH `path` (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`.
///
/// Errors are `invalidPath`, except a malformed filter inside the brackets, which is
/// `invalidFilter` as RFC 7644 Table 9 assigns to PATCH path filters.
pub fn parse_patch_path(text: &str, options: ParseOptions) -> Result<PatchPath, ScimError> {
    if text.len() > MAX_FILTER_LEN {
        return Err(invalid_path(text, 0, "path too long"));
    }
    let mut parser = Parser::new(text, options);
    let tok = parser.bump().map_err(|e| to_path_error(text, e))?;
    let path = match tok.tok {
        Tok::Word(word) => {
            split_path(word).map_err(|(at, msg)| invalid_path(text, tok.pos + at, msg))?
        }
        Tok::End => return Err(invalid_path(text, tok.pos, "empty path")),
        _ => return Err(invalid_path(text, tok.pos, "expected an attribute name")),
    };
    let tok = parser.bump().map_err(|e| to_path_error(text, e))?;
    match tok.tok {
        Tok::End => return Ok(PatchPath::Attr(path)),
        Tok::LBracket => {}
        _ => return Err(invalid_path(text, tok.pos, "expected '[' or end of path")),
    }
    if path.sub.is_some() {
        return Err(invalid_path(
            text,
            tok.pos,
            "a value filter must follow an attribute without sub-attribute",
        ));
    }
    let (filter, close) = parser.bracket_filter(tok.pos, 0)?;
    let sub = parser
        .sub_after(close)
        .map_err(|e| to_path_error(text, e))?;
    let tok = parser.bump().map_err(|e| to_path_error(text, e))?;
    if tok.tok != Tok::End {
        return Err(invalid_path(text, tok.pos, "expected end of path"));
    }
    Ok(PatchPath::Filtered { path, filter, sub })
}

fn check_len(text: &str) -> Result<(), ScimError> {
    if text.len() > MAX_FILTER_LEN {
        return Err(ScimError::invalid_filter(
            MAX_FILTER_LEN,
            format!("filter longer than {MAX_FILTER_LEN} bytes"),
        ));
    }
    Ok(())
}

/// An `invalidPath` error about `path`, with the byte position in the message.
fn invalid_path(path: &str, at: usize, message: &str) -> ScimError {
    let shown: String = path.chars().take(128).collect();
    ScimError::InvalidPath {
        path: shown,
        message: format!("{message} at byte {at}"),
    }
}

/// Turns a lexer error outside a path's filter into `invalidPath`.
fn to_path_error(path: &str, err: ScimError) -> ScimError {
    match err {
        ScimError::InvalidFilter { pos, message } => invalid_path(path, pos, &message),
        other => other,
    }
}

/// The operator a word names: `None` for `pr`, `Some(op)` for comparisons.
fn operator(word: &str) -> Option<Option<CompareOp>> {
    const OPS: [(&str, CompareOp); 9] = [
        ("eq", CompareOp::Eq),
        ("ne", CompareOp::Ne),
        ("co", CompareOp::Co),
        ("sw", CompareOp::Sw),
        ("ew", CompareOp::Ew),
        ("gt", CompareOp::Gt),
        ("ge", CompareOp::Ge),
        ("lt", CompareOp::Lt),
        ("le", CompareOp::Le),
    ];
    if word.eq_ignore_ascii_case("pr") {
        return Some(None);
    }
    OPS.iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|&(_, op)| Some(op))
}

/// Checks an ATTRNAME (RFC 7643 §2.1) or `$ref`; on error, the offset in `name` and why.
fn check_name(name: &str) -> Result<(), (usize, &'static str)> {
    let bytes = name.as_bytes();
    match bytes.first() {
        None => return Err((0, "expected an attribute name")),
        Some(b'$') if name.eq_ignore_ascii_case("$ref") => return Ok(()),
        Some(b) if b.is_ascii_alphabetic() => {}
        Some(_) => return Err((0, "attribute name must start with a letter")),
    }
    match bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        Some(i) if bytes.get(i) == Some(&b'.') => {
            Err((i, "only one level of sub-attribute is allowed"))
        }
        Some(i) => Err((i, "invalid character in attribute name")),
        None => Ok(()),
    }
}

/// Splits word-character text into URN, name and sub-attribute; errors carry the offset.
fn split_path(word: &str) -> Result<AttrPath, (usize, &'static str)> {
    let (urn, rest, offset) = match word.rfind(':') {
        Some(i) => (word.get(..i), word.get(i + 1..).unwrap_or_default(), i + 1),
        None => (None, word, 0),
    };
    if let Some(urn) = urn {
        let is_urn = urn.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
        if !is_urn {
            return Err((0, "a schema prefix must be a URN (urn:…)"));
        }
        if let Some(i) = urn.find("::") {
            return Err((i + 1, "empty segment in schema URN"));
        }
    }
    let (name, sub) = match rest.find('.') {
        Some(j) => (rest.get(..j).unwrap_or_default(), rest.get(j + 1..)),
        None => (rest, None),
    };
    check_name(name).map_err(|(at, msg)| (offset + at, msg))?;
    if let Some(sub) = sub {
        let at = offset + name.len() + 1;
        check_name(sub).map_err(|(i, msg)| (at + i, msg))?;
    }
    Ok(AttrPath {
        urn: urn.map(ToString::to_string),
        name: name.into(),
        sub: sub.map(ToString::to_string),
    })
}

/// Recursive-descent parser over the token stream, one token of lookahead.
struct Parser<'a> {
    lex: Lexer<'a>,
    peeked: Option<Token<'a>>,
    lenient: bool,
    in_value_path: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, options: ParseOptions) -> Self {
        Parser {
            lex: Lexer::new(text),
            peeked: None,
            lenient: options.lenient,
            in_value_path: false,
        }
    }

    fn peek(&mut self) -> Result<&Token<'a>, ScimError> {
        let tok = match self.peeked.take() {
            Some(tok) => tok,
            None => self.lex.next_token()?,
        };
        Ok(self.peeked.insert(tok))
    }

    fn bump(&mut self) -> Result<Token<'a>, ScimError> {
        match self.peeked.take() {
            Some(tok) => Ok(tok),
            None => self.lex.next_token(),
        }
    }

    fn at_keyword(&mut self, keyword: &str) -> Result<bool, ScimError> {
        Ok(matches!(self.peek()?.tok, Tok::Word(w) if w.eq_ignore_ascii_case(keyword)))
    }

    /// One nesting level deeper, or an error past [`MAX_DEPTH`].
    fn enter(depth: usize, pos: usize) -> Result<usize, ScimError> {
        if depth >= MAX_DEPTH {
            return Err(ScimError::invalid_filter(
                pos,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(depth + 1)
    }

    /// `and-expr *("or" and-expr)`.
    fn or(&mut self, depth: usize) -> Result<Filter, ScimError> {
        let first = self.and(depth)?;
        if !self.at_keyword("or")? {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.at_keyword("or")? {
            self.bump()?;
            items.push(self.and(depth)?);
        }
        Ok(Filter::Or(items))
    }

    /// `unary *("and" unary)`.
    fn and(&mut self, depth: usize) -> Result<Filter, ScimError> {
        let first = self.unary(depth)?;
        if !self.at_keyword("and")? {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.at_keyword("and")? {
            self.bump()?;
            items.push(self.unary(depth)?);
        }
        Ok(Filter::And(items))
    }

    /// `"(" filter ")"`, `"not" "(" filter ")"`, or an attribute expression.
    fn unary(&mut self, depth: usize) -> Result<Filter, ScimError> {
        let tok = self.bump()?;
        match tok.tok {
            Tok::LParen => self.group(tok.pos, depth),
            Tok::Word(word) if word.eq_ignore_ascii_case("not") && self.not_follows()? => {
                let open = self.bump()?;
                if open.tok != Tok::LParen {
                    return Err(ScimError::invalid_filter(
                        open.pos,
                        "expected '(' after 'not'",
                    ));
                }
                Ok(Filter::Not(Box::new(self.group(open.pos, depth)?)))
            }
            Tok::Word(word) => self.attr_expr(word, tok.pos, depth),
            Tok::End if tok.pos == 0 => Err(ScimError::invalid_filter(0, "empty filter")),
            _ => Err(ScimError::invalid_filter(
                tok.pos,
                "expected an attribute path, '(' or 'not'",
            )),
        }
    }

    /// Whether a `not` just read starts a negation rather than naming an attribute `not`.
    fn not_follows(&mut self) -> Result<bool, ScimError> {
        Ok(match self.peek()?.tok {
            Tok::Word(w) => operator(w).is_none(),
            Tok::LBracket => false,
            _ => true,
        })
    }

    /// The rest of a parenthesised filter whose `(` is at `open`.
    fn group(&mut self, open: usize, depth: usize) -> Result<Filter, ScimError> {
        let depth = Self::enter(depth, open)?;
        let inner = self.or(depth)?;
        let close = self.bump()?;
        if close.tok != Tok::RParen {
            return Err(ScimError::invalid_filter(
                close.pos,
                format!("expected 'and', 'or' or ')' closing the '(' at byte {open}"),
            ));
        }
        Ok(inner)
    }

    /// `attrPath "pr"`, `attrPath op value`, or `attrPath "[" filter "]"`.
    fn attr_expr(&mut self, word: &'a str, pos: usize, depth: usize) -> Result<Filter, ScimError> {
        let path =
            split_path(word).map_err(|(at, msg)| ScimError::invalid_filter(pos + at, msg))?;
        if let Tok::LBracket = self.peek()?.tok {
            return self.value_path(path, pos, depth);
        }
        self.comparison(path)
    }

    /// The operator and value after `path`.
    fn comparison(&mut self, path: AttrPath) -> Result<Filter, ScimError> {
        let tok = self.bump()?;
        let op = match tok.tok {
            Tok::Word(w) => operator(w),
            _ => None,
        };
        match op {
            Some(None) => Ok(Filter::Present(path)),
            Some(Some(op)) => {
                let value = self.lex.value(self.lenient)?;
                Ok(Filter::Compare { path, op, value })
            }
            None => Err(ScimError::invalid_filter(
                tok.pos,
                "expected comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or 'pr' after attribute path",
            )),
        }
    }

    /// `attr[filter]`, and in lenient mode `attr[filter].sub op value`.
    fn value_path(
        &mut self,
        path: AttrPath,
        pos: usize,
        depth: usize,
    ) -> Result<Filter, ScimError> {
        let open = self.bump()?.pos;
        if self.in_value_path {
            return Err(ScimError::invalid_filter(
                open,
                "value filters cannot be nested",
            ));
        }
        if path.sub.is_some() {
            return Err(ScimError::invalid_filter(
                pos,
                "a value filter must follow an attribute without sub-attribute",
            ));
        }
        let (mut filter, close) = self.bracket_filter(open, depth)?;
        let sub_pos = close + 1;
        if let Some(sub) = self.sub_after(close)? {
            if !self.lenient {
                return Err(ScimError::invalid_filter(
                    sub_pos,
                    "a sub-attribute after a value filter is only allowed in PATCH paths",
                ));
            }
            let sub_path = AttrPath {
                urn: None,
                name: sub,
                sub: None,
            };
            let extra = self.comparison(sub_path)?;
            filter = match filter {
                Filter::And(mut items) => {
                    items.push(extra);
                    Filter::And(items)
                }
                other => Filter::And(vec![other, extra]),
            };
        }
        Ok(Filter::ValuePath {
            path,
            filter: Box::new(filter),
        })
    }

    /// The filter after a `[` at `open`, up to its `]`; returns the filter and the `]` position.
    fn bracket_filter(&mut self, open: usize, depth: usize) -> Result<(Filter, usize), ScimError> {
        let depth = Self::enter(depth, open)?;
        self.in_value_path = true;
        let filter = self.or(depth)?;
        self.in_value_path = false;
        let close = self.bump()?;
        if close.tok != Tok::RBracket {
            return Err(ScimError::invalid_filter(
                close.pos,
                format!("expected 'and', 'or' or ']' closing the '[' at byte {open}"),
            ));
        }
        Ok((filter, close.pos))
    }

    /// A `.sub` written right after the `]` at `close`, if any.
    fn sub_after(&mut self, close: usize) -> Result<Option<String>, ScimError> {
        let tok = self.peek()?;
        let (Tok::Word(word), true) = (&tok.tok, tok.pos == close + 1) else {
            return Ok(None);
        };
        let Some(sub) = word.strip_prefix('.') else {
            return Ok(None);
        };
        let at = tok.pos + 1;
        check_name(sub).map_err(|(i, msg)| ScimError::invalid_filter(at + i, msg))?;
        let sub = sub.to_string();
        self.bump()?;
        Ok(Some(sub))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ast::CompValue;

    const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn strict(text: &str) -> Filter {
        parse_filter(text, ParseOptions::STRICT).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn lenient(text: &str) -> Filter {
        parse_filter(text, ParseOptions::LENIENT).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn path(name: &str) -> AttrPath {
        AttrPath {
            urn: None,
            name: name.into(),
            sub: None,
        }
    }

    fn sub(name: &str, sub: &str) -> AttrPath {
        AttrPath {
            sub: Some(sub.into()),
            ..path(name)
        }
    }

    fn cmp(path: AttrPath, op: CompareOp, value: CompValue) -> Filter {
        Filter::Compare { path, op, value }
    }

    fn s(text: &str) -> CompValue {
        CompValue::String(text.into())
    }

    fn eq(name: &str, text: &str) -> Filter {
        cmp(path(name), CompareOp::Eq, s(text))
    }

    fn pr(name: &str) -> Filter {
        Filter::Present(path(name))
    }

    fn vp(name: &str, filter: Filter) -> Filter {
        Filter::ValuePath {
            path: path(name),
            filter: Box::new(filter),
        }
    }

    #[test]
    fn rfc_7644_filter_examples_parse_to_expected_trees() {
        let ts = || s("2011-05-13T04:42:34Z");
        let last_modified = || sub("meta", "lastModified");
        let example_or = || {
            Filter::Or(vec![
                cmp(path("emails"), CompareOp::Co, s("example.com")),
                cmp(sub("emails", "value"), CompareOp::Co, s("example.org")),
            ])
        };
        let cases: [(&str, Filter); 17] = [
            ("userName eq \"bjensen\"", eq("userName", "bjensen")),
            (
                "name.familyName co \"O'Malley\"",
                cmp(sub("name", "familyName"), CompareOp::Co, s("O'Malley")),
            ),
            ("userName sw \"J\"", cmp(path("userName"), CompareOp::Sw, s("J"))),
            (
                "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
                cmp(
                    AttrPath {
                        urn: Some(CORE_USER.into()),
                        ..path("userName")
                    },
                    CompareOp::Sw,
                    s("J"),
                ),
            ),
            ("title pr", pr("title")),
            (
                "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
                cmp(last_modified(), CompareOp::Gt, ts()),
            ),
            (
                "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
                cmp(last_modified(), CompareOp::Ge, ts()),
            ),
            (
                "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
                cmp(last_modified(), CompareOp::Lt, ts()),
            ),
            (
                "meta.lastModified le \"2011-05-13T04:42:34Z\"",
                cmp(last_modified(), CompareOp::Le, ts()),
            ),
            (
                "title pr and userType eq \"Employee\"",
                Filter::And(vec![pr("title"), eq("userType", "Employee")]),
            ),
            (
                "title pr or userType eq \"Intern\"",
                Filter::Or(vec![pr("title"), eq("userType", "Intern")]),
            ),
            (
                "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
                eq("schemas", ENTERPRISE),
            ),
            (
                "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
                Filter::And(vec![eq("userType", "Employee"), example_or()]),
            ),
            (
                "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
                Filter::And(vec![
                    cmp(path("userType"), CompareOp::Ne, s("Employee")),
                    Filter::Not(Box::new(example_or())),
                ]),
            ),
            (
                "userType eq \"Employee\" and (emails.type eq \"work\")",
                Filter::And(vec![
                    eq("userType", "Employee"),
                    cmp(sub("emails", "type"), CompareOp::Eq, s("work")),
                ]),
            ),
            (
                "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
                Filter::And(vec![
                    eq("userType", "Employee"),
                    vp(
                        "emails",
                        Filter::And(vec![
                            eq("type", "work"),
                            cmp(path("value"), CompareOp::Co, s("@example.com")),
                        ]),
                    ),
                ]),
            ),
            (
                "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
                Filter::Or(vec![
                    vp(
                        "emails",
                        Filter::And(vec![
                            eq("type", "work"),
                            cmp(path("value"), CompareOp::Co, s("@example.com")),
                        ]),
                    ),
                    vp(
                        "ims",
                        Filter::And(vec![
                            eq("type", "xmpp"),
                            cmp(path("value"), CompareOp::Co, s("@foo.com")),
                        ]),
                    ),
                ]),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(strict(text), expected, "{text}");
        }
    }

    #[test]
    fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
        assert_eq!(
            strict("a pr or b pr and c pr or not (d pr) and e pr"),
            Filter::Or(vec![
                pr("a"),
                Filter::And(vec![pr("b"), pr("c")]),
                Filter::And(vec![Filter::Not(Box::new(pr("d"))), pr("e")]),
            ])
        );
    }

    #[test]
    fn chains_flatten_but_parenthesised_chains_stay_nested() {
        assert_eq!(
            strict("a pr and b pr and c pr"),
            Filter::And(vec![pr("a"), pr("b"), pr("c")])
        );
        assert_eq!(
            strict("a pr and (b pr and c pr)"),
            Filter::And(vec![pr("a"), Filter::And(vec![pr("b"), pr("c")])])
        );
        assert_eq!(
            strict("(a pr or b pr) or c pr"),
            Filter::Or(vec![Filter::Or(vec![pr("a"), pr("b")]), pr("c")])
        );
        assert_eq!(strict("((a pr))"), pr("a"));
    }

    #[test]
    fn operators_and_keywords_are_case_insensitive_names_keep_case() {
        assert_eq!(
            strict("UserName EQ \"x\" AND Title PR Or NOT(Active Eq TRUE)"),
            Filter::Or(vec![
                Filter::And(vec![eq("UserName", "x"), pr("Title")]),
                Filter::Not(Box::new(cmp(
                    path("Active"),
                    CompareOp::Eq,
                    CompValue::Bool(true)
                ))),
            ])
        );
        let ops = [
            ("Eq", CompareOp::Eq),
            ("NE", CompareOp::Ne),
            ("cO", CompareOp::Co),
            ("Sw", CompareOp::Sw),
            ("eW", CompareOp::Ew),
            ("GT", CompareOp::Gt),
            ("gE", CompareOp::Ge),
            ("Lt", CompareOp::Lt),
            ("LE", CompareOp::Le),
        ];
        for (word, op) in ops {
            assert_eq!(
                strict(&format!("x {word} 1")),
                cmp(path("x"), op, CompValue::Number(1u64.into()))
            );
        }
    }

    #[test]
    fn whitespace_is_liberal_and_brackets_need_no_spaces() {
        assert_eq!(
            strict("  a\teq  \"x\"\n and\r\n(b pr)  "),
            Filter::And(vec![eq("a", "x"), pr("b")])
        );
        assert_eq!(
            strict("not(a pr)and(b pr)"),
            Filter::And(vec![Filter::Not(Box::new(pr("a"))), pr("b")])
        );
        assert_eq!(strict("emails [type pr]"), vp("emails", pr("type")));
    }

    #[test]
    fn values_cover_strings_numbers_booleans_and_null() {
        let value = |text: &str| match strict(&format!("x eq {text}")) {
            Filter::Compare { value, .. } => value,
            other => panic!("{other:?}"),
        };
        assert_eq!(value("null"), CompValue::Null);
        assert_eq!(value("false"), CompValue::Bool(false));
        assert_eq!(value("-12"), CompValue::Number((-12i64).into()));
        assert_eq!(
            value("1.5e3"),
            CompValue::Number(serde_json::Number::from_f64(1500.0).unwrap())
        );
        assert_eq!(value(r#""a\"b\u00e9\/""#), s("a\"bé/"));
    }

    #[test]
    fn urn_paths_split_at_the_last_colon() {
        assert_eq!(
            strict("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"42\""),
            cmp(
                AttrPath {
                    urn: Some(ENTERPRISE.into()),
                    name: "manager".into(),
                    sub: Some("value".into()),
                },
                CompareOp::Eq,
                s("42")
            )
        );
        assert_eq!(
            strict("URN:custom:v1:Ext:emails[type pr]"),
            Filter::ValuePath {
                path: AttrPath {
                    urn: Some("URN:custom:v1:Ext".into()),
                    ..path("emails")
                },
                filter: Box::new(pr("type")),
            }
        );
    }

    #[test]
    fn names_accept_digits_dash_underscore_and_dollar_ref() {
        assert_eq!(
            strict("x-1_b.$ref pr and $ref pr and members[$ref pr]"),
            Filter::And(vec![
                Filter::Present(sub("x-1_b", "$ref")),
                pr("$ref"),
                vp("members", pr("$ref")),
            ])
        );
    }

    #[test]
    fn keyword_words_can_still_name_attributes() {
        assert_eq!(
            strict("not pr and and eq 1 or or pr"),
            Filter::Or(vec![
                Filter::And(vec![
                    pr("not"),
                    cmp(path("and"), CompareOp::Eq, CompValue::Number(1u64.into())),
                ]),
                pr("or"),
            ])
        );
        assert_eq!(strict("not[x pr]"), vp("not", pr("x")));
    }

    #[test]
    fn lenient_accepts_unquoted_values() {
        assert_eq!(lenient("externalId eq jyoung"), eq("externalId", "jyoung"));
        assert_eq!(
            lenient("(userName eq a@b.example) and emails[value eq x@y]"),
            Filter::And(vec![
                eq("userName", "a@b.example"),
                vp("emails", eq("value", "x@y"))
            ])
        );
        assert_eq!(
            lenient("active eq true or age gt 30"),
            Filter::Or(vec![
                cmp(path("active"), CompareOp::Eq, CompValue::Bool(true)),
                cmp(path("age"), CompareOp::Gt, CompValue::Number(30u64.into())),
            ])
        );
        assert_eq!(lenient("userName eq \"quoted\""), eq("userName", "quoted"));
    }

    #[test]
    fn lenient_rewrites_sub_attribute_after_value_filter() {
        assert_eq!(
            lenient("emails[type eq \"work\"].value eq \"x\""),
            vp(
                "emails",
                Filter::And(vec![eq("type", "work"), eq("value", "x")])
            )
        );
        assert_eq!(
            lenient("emails[type eq \"work\" and primary eq true].value pr"),
            vp(
                "emails",
                Filter::And(vec![
                    eq("type", "work"),
                    cmp(path("primary"), CompareOp::Eq, CompValue::Bool(true)),
                    pr("value"),
                ])
            )
        );
        assert_eq!(
            lenient("emails[type eq work or type eq home].value co example and x pr"),
            Filter::And(vec![
                vp(
                    "emails",
                    Filter::And(vec![
                        Filter::Or(vec![eq("type", "work"), eq("type", "home")]),
                        cmp(path("value"), CompareOp::Co, s("example")),
                    ])
                ),
                pr("x"),
            ])
        );
    }

    #[test]
    fn strict_rejects_the_lenient_forms() {
        assert_eq!(
            parse_filter("externalId eq jyoung", ParseOptions::STRICT),
            Err(ScimError::invalid_filter(
                14,
                "expected a value: a string in double quotes, a number, true, false or null"
            ))
        );
        assert!(matches!(
            parse_filter(
                "emails[type eq \"work\"].value eq \"x\"",
                ParseOptions::default()
            ),
            Err(ScimError::InvalidFilter { pos: 22, .. })
        ));
    }

    fn error_pos(text: &str, options: ParseOptions) -> usize {
        match parse_filter(text, options) {
            Err(ScimError::InvalidFilter { pos, message }) => {
                assert!(!message.is_empty());
                pos
            }
            other => panic!("{text:?} should be invalid, got {other:?}"),
        }
    }

    #[test]
    fn invalid_filters_report_the_byte_position() {
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("   ", 3),
            ("userName", 8),
            ("userName eq", 11),
            ("userName eq \"abc", 12),
            ("userName xx \"a\"", 9),
            ("userName eq \"a\" and", 19),
            ("(userName pr", 12),
            ("userName pr)", 11),
            ("not userName pr", 4),
            ("not", 3),
            ("emails[type eq \"work\"", 21),
            ("emails[type eq \"work\"]]", 22),
            ("emails[]", 7),
            ("userName eq \"a\\x\"", 14),
            ("userName eq \"\\u12\"", 13),
            ("userName eq \"\\ud800\"", 13),
            ("userName eq \"\\udc00x\"", 13),
            ("userName eq 01", 13),
            ("userName eq 1.", 14),
            ("userName eq -", 13),
            ("userName eq 1e", 14),
            ("userName eq 1abc", 13),
            ("userName eq\"x\"", 11),
            ("userNameeq \"x\"", 11),
            ("1userName eq \"x\"", 0),
            ("name.familyName.x eq \"x\"", 15),
            ("name. eq \"x\"", 5),
            ("urn:foo eq \"x\"", 0),
            ("urn:ietf:params:scim:schemas:core:2.0:User: eq \"x\"", 43),
            ("urn:ietf::scim:User:name pr", 9),
            ("foo:bar pr", 0),
            ("userName eq \"x\" and or title pr", 23),
            ("userName eq \"x\" xor title pr", 16),
            ("userName pr \"x\"", 12),
            ("()", 1),
            ("not ()", 5),
            ("not (a pr", 9),
            ("emails[type[value eq \"x\"] pr]", 11),
            ("name.givenName[value eq \"x\"]", 0),
            ("emails[type eq \"work\"] eq \"x\"", 23),
            ("userName eq \"x\" )", 16),
            ("userName eq @", 12),
            ("userName = \"x\"", 9),
            ("userName eq \"x\" and (title pr", 29),
            ("a eq true1", 5),
            ("a eq \"x\" \"y\"", 9),
            ("a eq 1 2", 7),
            ("a pr pr", 5),
            ("[type eq \"x\"]", 0),
            ("a[b pr]c pr", 7),
            ("a eq \"x\u{1}\"", 7),
            ("a eq 1e999", 5),
            ("a eq \"x\" or", 11),
            (".a pr", 0),
            ("a..b pr", 2),
            ("a.$foo pr", 2),
            ("$reff pr", 0),
            ("a eq \"\\uD83D\\u0041\"", 6),
            ("a eq nul", 5),
            ("a eq +1", 5),
            ("a eq .5", 5),
            ("a eq \"x\" and)", 12),
            ("a eq \"x\" (b pr)", 9),
            ("not(a pr) pr", 10),
            ("a ge", 4),
            ("(a pr))", 6),
            ("emails[type eq \"work\"].value pr", 22),
            ("a é pr", 2),
            ("a eq \"x\"and b pr", 8),
            ("emails[type eq \"x\"].", 20),
            ("a eq 'x'", 5),
            ("a_b-c.d_e[x pr]", 0),
        ];
        let mut seen = alloc::collections::BTreeSet::new();
        for &(text, pos) in cases {
            assert!(seen.insert(text), "duplicate case {text:?}");
            assert_eq!(error_pos(text, ParseOptions::STRICT), pos, "{text:?}");
        }
        assert!(cases.len() >= 60);
    }

    #[test]
    fn lenient_mode_still_rejects_broken_filters() {
        assert_eq!(
            error_pos("emails[type eq \"x\"].value", ParseOptions::LENIENT),
            25
        );
        assert_eq!(
            error_pos("emails[type eq \"x\"].value eq", ParseOptions::LENIENT),
            28
        );
        assert_eq!(
            error_pos("emails[type eq \"x\"].a.b pr", ParseOptions::LENIENT),
            21
        );
        assert_eq!(error_pos("a eq )", ParseOptions::LENIENT), 5);
        assert_eq!(error_pos("a eq \"x", ParseOptions::LENIENT), 5);
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
        let deep = "(".repeat(10_000);
        assert_eq!(error_pos(&deep, ParseOptions::STRICT), MAX_DEPTH);
        let nots = "not (".repeat(MAX_DEPTH + 1) + "a pr" + &")".repeat(MAX_DEPTH + 1);
        assert_eq!(error_pos(&nots, ParseOptions::STRICT), 5 * MAX_DEPTH + 4);
        let ok = "(".repeat(MAX_DEPTH) + "a pr" + &")".repeat(MAX_DEPTH);
        assert_eq!(strict(&ok), pr("a"));
    }

    #[test]
    fn long_or_chains_parse_flat_and_oversized_text_is_rejected() {
        let id = "2819c223-7f76-453a-919d-413861904646";
        let terms: Vec<String> = (0..500).map(|_| format!("id eq \"{id}\"")).collect();
        let text = terms.join(" or ");
        assert!(text.len() <= MAX_FILTER_LEN);
        match strict(&text) {
            Filter::Or(items) => assert_eq!(items.len(), 500),
            other => panic!("{other:?}"),
        }
        let huge = ["a pr"; 5000].join(" or ");
        assert_eq!(error_pos(&huge, ParseOptions::STRICT), MAX_FILTER_LEN);
    }

    #[test]
    fn attr_paths_parse_names_subs_and_urns() {
        assert_eq!(parse_attr_path("userName"), Ok(path("userName")));
        assert_eq!(
            parse_attr_path(" name.familyName "),
            Ok(sub("name", "familyName"))
        );
        assert_eq!(
            parse_attr_path(&format!("{ENTERPRISE}:manager.value")),
            Ok(AttrPath {
                urn: Some(ENTERPRISE.into()),
                name: "manager".into(),
                sub: Some("value".into()),
            })
        );
        for bad in [
            "",
            "1a",
            "a.b.c",
            "a b",
            "urn:a",
            "a[x pr]",
            "a.",
            "na\u{e9}me",
        ] {
            assert!(
                matches!(parse_attr_path(bad), Err(ScimError::InvalidPath { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn attr_lists_split_on_commas_and_skip_empty_items() {
        assert_eq!(
            parse_attr_list("userName, name.givenName,,emails ,"),
            Ok(vec![
                path("userName"),
                sub("name", "givenName"),
                path("emails")
            ])
        );
        assert_eq!(parse_attr_list(""), Ok(vec![]));
        assert!(matches!(
            parse_attr_list("userName,bad name"),
            Err(ScimError::InvalidPath { .. })
        ));
    }

    fn patch(text: &str) -> PatchPath {
        parse_patch_path(text, ParseOptions::STRICT).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn patch_paths_cover_every_rfc_form() {
        assert_eq!(patch("userName"), PatchPath::Attr(path("userName")));
        assert_eq!(
            patch("name.familyName"),
            PatchPath::Attr(sub("name", "familyName"))
        );
        assert_eq!(
            patch("members[value eq \"2819c223\"]"),
            PatchPath::Filtered {
                path: path("members"),
                filter: eq("value", "2819c223"),
                sub: None,
            }
        );
        assert_eq!(
            patch("emails[type eq \"work\" and primary eq true].value"),
            PatchPath::Filtered {
                path: path("emails"),
                filter: Filter::And(vec![
                    eq("type", "work"),
                    cmp(path("primary"), CompareOp::Eq, CompValue::Bool(true)),
                ]),
                sub: Some("value".into()),
            }
        );
        assert_eq!(
            patch(&format!("{ENTERPRISE}:manager.value")),
            PatchPath::Attr(AttrPath {
                urn: Some(ENTERPRISE.into()),
                name: "manager".into(),
                sub: Some("value".into()),
            })
        );
        assert_eq!(
            patch(ENTERPRISE),
            PatchPath::Attr(AttrPath {
                urn: Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0".into()),
                ..path("User")
            })
        );
        assert_eq!(
            patch(&format!(
                "{CORE_USER}:addresses[type eq \"work\"].streetAddress"
            )),
            PatchPath::Filtered {
                path: AttrPath {
                    urn: Some(CORE_USER.into()),
                    ..path("addresses")
                },
                filter: eq("type", "work"),
                sub: Some("streetAddress".into()),
            }
        );
        assert_eq!(
            parse_patch_path("members[value eq abc]", ParseOptions::LENIENT),
            Ok(PatchPath::Filtered {
                path: path("members"),
                filter: eq("value", "abc"),
                sub: None,
            })
        );
    }

    #[test]
    fn invalid_patch_paths_are_invalid_path_errors() {
        let bad = [
            "",
            "   ",
            "1abc",
            "name.familyName.x",
            "name.",
            ".name",
            "a b",
            "emails[type eq \"work\"] .value",
            "emails[type eq \"work\"].value.x",
            "emails[type eq \"work\"].1x",
            "emails[type eq \"work\"]x",
            "name.givenName[value pr]",
            "urn:foo",
            "urn:a::b:User:name",
            "emails\"x\"",
            "(userName)",
            "userName eq \"x\"",
            "emails[type pr][value pr]",
            "a=b",
            "emails[type pr]]",
            "na\u{e9}me",
            "emails[type pr].value[x pr]",
        ];
        for text in bad {
            assert!(
                matches!(
                    parse_patch_path(text, ParseOptions::LENIENT),
                    Err(ScimError::InvalidPath { .. })
                ),
                "{text:?}: {:?}",
                parse_patch_path(text, ParseOptions::LENIENT)
            );
        }
    }

    #[test]
    fn malformed_filters_inside_patch_paths_are_invalid_filter_errors() {
        for (text, pos) in [
            ("emails[type eq]", 14),
            ("emails[type eq \"work\"", 21),
            ("emails[]", 7),
            ("emails[type eq work]", 15),
            ("emails[type[value pr] pr]", 11),
        ] {
            assert!(
                matches!(
                    parse_patch_path(text, ParseOptions::STRICT),
                    Err(ScimError::InvalidFilter { pos: p, .. }) if p == pos
                ),
                "{text:?}: {:?}",
                parse_patch_path(text, ParseOptions::STRICT)
            );
        }
    }
}
