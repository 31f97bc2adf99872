//! Tokens of the filter and path language.
//!
//! The lexer hands out tokens on demand: brackets, words (attribute paths, operators and
//! keywords), JSON strings, and, where the parser expects one, a comparison value. Words,
//! strings and numbers must be followed by whitespace, a bracket or the end of the text, so
//! `userName eq"x"` and `age eq 1and` are errors rather than silently split. Every error is a
//! [`ScimError::InvalidFilter`] carrying the byte position of the problem.

use alloc::string::String;
use serde_json::Number;

use crate::error::ScimError;
use crate::query::ast::CompValue;

/// One token of filter text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `[`.
    LBracket,
    /// `]`.
    RBracket,
    /// A run of name characters: an attribute path, operator or keyword.
    Word(&'a str),
    /// A well-formed JSON string outside value position (always a syntax error there).
    Str,
    /// The end of the text.
    End,
}

/// A token and the byte position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    /// The token.
    pub(crate) tok: Tok<'a>,
    /// Byte offset of its first character.
    pub(crate) pos: usize,
}

/// Whitespace accepted between tokens.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Characters of a word: attribute names, URNs, `$ref`, operators and keywords.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'$')
}

/// Characters that end an unquoted (lenient) value.
fn ends_bare_value(b: u8) -> bool {
    is_space(b) || b == b')' || b == b']'
}

/// A cursor over filter text producing tokens on demand.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`.
    pub(crate) fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    fn skip_space(&mut self) {
        while self.byte(self.pos).is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// The error for the character at `at` that no token can start with.
    fn unexpected(&self, at: usize) -> ScimError {
        match self.src.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) => ScimError::invalid_filter(at, alloc::format!("unexpected character {c:?}")),
            None => ScimError::invalid_filter(at, "unexpected end of filter"),
        }
    }

    /// Checks that the word, string or number just read is followed by a separator.
    fn expect_separator(&self) -> Result<(), ScimError> {
        match self.byte(self.pos) {
            None => Ok(()),
            Some(b) if is_space(b) || matches!(b, b'(' | b')' | b'[' | b']') => Ok(()),
            Some(b'"') => Err(ScimError::invalid_filter(
                self.pos,
                "expected whitespace before '\"'",
            )),
            Some(_) => Err(ScimError::invalid_filter(
                self.pos,
                "expected whitespace after the preceding token",
            )),
        }
    }

    fn word(&mut self) -> Result<&'a str, ScimError> {
        let start = self.pos;
        while self.byte(self.pos).is_some_and(is_word_byte) {
            self.pos += 1;
        }
        let word = self.src.get(start..self.pos).unwrap_or_default();
        self.expect_separator()?;
        Ok(word)
    }

    /// The next token outside value position.
    pub(crate) fn next_token(&mut self) -> Result<Token<'a>, ScimError> {
        self.skip_space();
        let pos = self.pos;
        let tok = match self.byte(pos) {
            None => Tok::End,
            Some(b'(') => Tok::LParen,
            Some(b')') => Tok::RParen,
            Some(b'[') => Tok::LBracket,
            Some(b']') => Tok::RBracket,
            Some(b'"') => {
                self.string()?;
                self.expect_separator()?;
                return Ok(Token { tok: Tok::Str, pos });
            }
            Some(b) if is_word_byte(b) => {
                let word = self.word()?;
                return Ok(Token {
                    tok: Tok::Word(word),
                    pos,
                });
            }
            Some(_) => return Err(self.unexpected(pos)),
        };
        if tok != Tok::End {
            self.pos += 1;
        }
        Ok(Token { tok, pos })
    }

    /// The comparison value that follows an operator; `lenient` also accepts unquoted text.
    pub(crate) fn value(&mut self, lenient: bool) -> Result<CompValue, ScimError> {
        self.skip_space();
        let start = self.pos;
        let expected = "expected a value: a string in double quotes, a number, true, false or null";
        match self.byte(start) {
            Some(b'"') => {
                let text = self.string()?;
                self.expect_separator()?;
                Ok(CompValue::String(text))
            }
            Some(b) if lenient && !ends_bare_value(b) => {
                while self.byte(self.pos).is_some_and(|b| !ends_bare_value(b)) {
                    self.pos += 1;
                }
                let raw = self.src.get(start..self.pos).unwrap_or_default();
                if let Some(v) = keyword_value(raw) {
                    return Ok(v);
                }
                match scan_number(raw.as_bytes(), 0) {
                    Ok(end) if end == raw.len() => number(raw, start),
                    _ => Ok(CompValue::String(raw.into())),
                }
            }
            Some(b) if b == b'-' || b.is_ascii_digit() => {
                let end = scan_number(self.src.as_bytes(), start)
                    .map_err(|at| ScimError::invalid_filter(at, "invalid number"))?;
                if self.byte(end).is_some_and(is_word_byte) {
                    return Err(ScimError::invalid_filter(end, "invalid number"));
                }
                self.pos = end;
                self.expect_separator()?;
                number(self.src.get(start..end).unwrap_or_default(), start)
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let word = self.word()?;
                keyword_value(word).ok_or_else(|| ScimError::invalid_filter(start, expected))
            }
            _ => Err(ScimError::invalid_filter(start, expected)),
        }
    }

    /// Reads the JSON string starting at the current `"` and returns it unescaped.
    fn string(&mut self) -> Result<String, ScimError> {
        let open = self.pos;
        let bytes = self.src.as_bytes();
        let mut out = String::new();
        let mut i = open + 1;
        loop {
            let run = i;
            while bytes
                .get(i)
                .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                i += 1;
            }
            out.push_str(self.src.get(run..i).unwrap_or_default());
            match bytes.get(i) {
                None => return Err(ScimError::invalid_filter(open, "unterminated string")),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                Some(b'\\') => i = self.escape(i, &mut out)?,
                Some(_) => {
                    return Err(ScimError::invalid_filter(
                        i,
                        "control character in string must be escaped",
                    ))
                }
            }
        }
    }

    /// Decodes the escape starting at the backslash at `at`; returns the index after it.
    fn escape(&self, at: usize, out: &mut String) -> Result<usize, ScimError> {
        let c = match self.byte(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at, out),
            None => return Err(ScimError::invalid_filter(at, "unterminated string")),
            Some(_) => return Err(ScimError::invalid_filter(at, "invalid escape in string")),
        };
        out.push(c);
        Ok(at + 2)
    }

    /// Decodes `\uXXXX` (and a following low surrogate) at the backslash at `at`.
    fn unicode_escape(&self, at: usize, out: &mut String) -> Result<usize, ScimError> {
        let high = self.hex4(at)?;
        let (code, next) = match high {
            0xD800..=0xDBFF => {
                let low = if self.src.get(at + 6..at + 8) == Some("\\u") {
                    self.hex4(at + 6)?
                } else {
                    0
                };
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(ScimError::invalid_filter(
                        at,
                        "high surrogate not followed by a low surrogate",
                    ));
                }
                (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), at + 12)
            }
            0xDC00..=0xDFFF => {
                return Err(ScimError::invalid_filter(
                    at,
                    "low surrogate without high surrogate",
                ))
            }
            _ => (high, at + 6),
        };
        let c = char::from_u32(code)
            .ok_or_else(|| ScimError::invalid_filter(at, "invalid unicode escape"))?;
        out.push(c);
        Ok(next)
    }

    /// The four hex digits after the `\u` at `at`.
    fn hex4(&self, at: usize) -> Result<u32, ScimError> {
        let digits = self
            .src
            .get(at + 2..at + 6)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                ScimError::invalid_filter(at, "\\u must be followed by four hex digits")
            })?;
        u32::from_str_radix(digits, 16)
            .map_err(|_| ScimError::invalid_filter(at, "invalid unicode escape"))
    }
}

/// `true`, `false` or `null`, in any case.
fn keyword_value(word: &str) -> Option<CompValue> {
    if word.eq_ignore_ascii_case("true") {
        Some(CompValue::Bool(true))
    } else if word.eq_ignore_ascii_case("false") {
        Some(CompValue::Bool(false))
    } else if word.eq_ignore_ascii_case("null") {
        Some(CompValue::Null)
    } else {
        None
    }
}

/// Converts JSON number text at byte `pos` with the same algorithm as JSON bodies use.
fn number(text: &str, pos: usize) -> Result<CompValue, ScimError> {
    text.parse::<Number>()
        .map(CompValue::Number)
        .map_err(|_| ScimError::invalid_filter(pos, "number out of range"))
}

/// Scans JSON number syntax from `start`; returns its end, or the position of the first bad byte.
fn scan_number(bytes: &[u8], start: usize) -> Result<usize, usize> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let digits_from = |mut i: usize| {
        while digit(i) {
            i += 1;
        }
        i
    };
    let mut i = start;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits_from(i),
        _ => return Err(i),
    }
    if bytes.get(i) == Some(&b'.') {
        if !digit(i + 1) {
            return Err(i + 1);
        }
        i = digits_from(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit(i) {
            return Err(i);
        }
        i = digits_from(i);
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn tokens(src: &str) -> Vec<Tok<'_>> {
        let mut lex = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lex.next_token().unwrap();
            if t.tok == Tok::End {
                return out;
            }
            out.push(t.tok);
        }
    }

    fn value(src: &str, lenient: bool) -> Result<CompValue, ScimError> {
        Lexer::new(src).value(lenient)
    }

    fn string(s: &str) -> CompValue {
        CompValue::String(s.into())
    }

    #[test]
    fn words_and_brackets_split_without_spaces_around_brackets() {
        assert_eq!(
            tokens("emails[type eq \"w\"].value"),
            [
                Tok::Word("emails"),
                Tok::LBracket,
                Tok::Word("type"),
                Tok::Word("eq"),
                Tok::Str,
                Tok::RBracket,
                Tok::Word(".value"),
            ]
        );
        assert_eq!(
            tokens(" (\ta\n)\r"),
            [Tok::LParen, Tok::Word("a"), Tok::RParen]
        );
    }

    #[test]
    fn token_positions_are_byte_offsets() {
        let mut lex = Lexer::new("  é");
        assert_eq!(
            lex.next_token(),
            Err(ScimError::invalid_filter(2, "unexpected character 'é'"))
        );
        let mut lex = Lexer::new("ab  (");
        assert_eq!(lex.next_token().unwrap().pos, 0);
        assert_eq!(lex.next_token().unwrap().pos, 4);
        assert_eq!(
            lex.next_token().unwrap(),
            Token {
                tok: Tok::End,
                pos: 5
            }
        );
    }

    #[test]
    fn adjacent_atoms_are_rejected() {
        let err = |src: &str| match Lexer::new(src).next_token() {
            Err(ScimError::InvalidFilter { pos, .. }) => pos,
            other => panic!("{src}: {other:?}"),
        };
        assert_eq!(err("eq\"x\""), 2);
        assert_eq!(err("\"x\"and"), 3);
        assert_eq!(err("a=b"), 1);
    }

    #[test]
    fn every_json_escape_is_decoded() {
        assert_eq!(
            value(
                r#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \uD83D\uDE00 \u0041""#,
                false
            ),
            Ok(string("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀 A"))
        );
        assert_eq!(value("\"ünï\"", false), Ok(string("ünï")));
        assert_eq!(value("\"\"", false), Ok(string("")));
    }

    #[test]
    fn bad_strings_report_where() {
        let pos = |src: &str| match value(src, false) {
            Err(ScimError::InvalidFilter { pos, .. }) => pos,
            other => panic!("{src}: {other:?}"),
        };
        assert_eq!(pos("\"abc"), 0);
        assert_eq!(pos("\"a\\x\""), 2);
        assert_eq!(pos("\"a\\u12\""), 2);
        assert_eq!(pos("\"a\\u12G4\""), 2);
        assert_eq!(pos("\"\\ud800\""), 1);
        assert_eq!(pos("\"\\ud800\\u0041\""), 1);
        assert_eq!(pos("\"\\udc00\""), 1);
        assert_eq!(pos("\"a\tb\""), 2);
        assert_eq!(pos("\"a\\"), 2);
    }

    #[test]
    fn json_numbers_parse_to_numbers() {
        let num = |s: &str| value(s, false).unwrap();
        assert_eq!(num("42"), CompValue::Number(42u64.into()));
        assert_eq!(num("-7"), CompValue::Number((-7i64).into()));
        assert_eq!(num("0"), CompValue::Number(0u64.into()));
        let f = |x: f64| CompValue::Number(Number::from_f64(x).unwrap());
        assert_eq!(num("1.5"), f(1.5));
        assert_eq!(num("-0.25"), f(-0.25));
        assert_eq!(num("2e3"), f(2000.0));
        assert_eq!(num("2.5E-1"), f(0.25));
        assert_eq!(num("1e+2"), f(100.0));
    }

    #[test]
    fn malformed_numbers_report_where() {
        let pos = |src: &str| match value(src, false) {
            Err(ScimError::InvalidFilter { pos, .. }) => pos,
            other => panic!("{src}: {other:?}"),
        };
        assert_eq!(pos("01"), 1);
        assert_eq!(pos("1."), 2);
        assert_eq!(pos("-"), 1);
        assert_eq!(pos("--1"), 1);
        assert_eq!(pos("1e"), 2);
        assert_eq!(pos("1abc"), 1);
        assert_eq!(pos("1.5.6"), 3);
        assert_eq!(pos("0x10"), 1);
        assert_eq!(pos("1e999"), 0);
    }

    #[test]
    fn keywords_are_case_insensitive_values() {
        assert_eq!(value("TRUE", false), Ok(CompValue::Bool(true)));
        assert_eq!(value("False", false), Ok(CompValue::Bool(false)));
        assert_eq!(value("nUlL", false), Ok(CompValue::Null));
        assert!(value("jyoung", false).is_err());
        assert!(value("+1", false).is_err());
        assert!(value(".5", false).is_err());
        assert!(value("", false).is_err());
    }

    #[test]
    fn lenient_values_run_to_whitespace_or_closing_bracket() {
        assert_eq!(value("jyoung rest", true), Ok(string("jyoung")));
        assert_eq!(value("a@b.com)", true), Ok(string("a@b.com")));
        assert_eq!(value("x\"y]", true), Ok(string("x\"y")));
        assert_eq!(value("12", true), Ok(CompValue::Number(12u64.into())));
        assert_eq!(value("12ab", true), Ok(string("12ab")));
        assert_eq!(value("True", true), Ok(CompValue::Bool(true)));
        assert_eq!(value("\"q w\"", true), Ok(string("q w")));
        assert!(value(")", true).is_err());
    }
}
