//! SQL text pieces: quoted literals, JSON paths, and the case folding SQLite can reproduce.
//!
//! SQLite's `lower()` folds ASCII letters only. [`fold_expr`] adds `replace()` calls for the
//! non-ASCII characters that can take part in a match with given literals, which makes
//! `eq`, `co`, `sw`, `ew` (and ordering against ASCII literals) equal to
//! [`fold`](crate::query::compile) on any text; see the module docs of [`super`] for why.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::query::compile::fold;

/// Ranges holding every non-ASCII character that `char::to_lowercase` changes (a superset:
/// some lowercase characters sit between them). A test checks this over all of Unicode.
const CASED_RANGES: [(char, char); 30] = [
    ('\u{00C0}', '\u{00DE}'),
    ('\u{0100}', '\u{024E}'),
    ('\u{0370}', '\u{03AB}'),
    ('\u{03CF}', '\u{042F}'),
    ('\u{0460}', '\u{0556}'),
    ('\u{10A0}', '\u{10CD}'),
    ('\u{13A0}', '\u{13F5}'),
    ('\u{1C89}', '\u{1CBF}'),
    ('\u{1E00}', '\u{1F6F}'),
    ('\u{1F88}', '\u{1FFC}'),
    ('\u{2126}', '\u{2132}'),
    ('\u{2160}', '\u{216F}'),
    ('\u{2183}', '\u{2183}'),
    ('\u{24B6}', '\u{24CF}'),
    ('\u{2C00}', '\u{2C2F}'),
    ('\u{2C60}', '\u{2CF2}'),
    ('\u{A640}', '\u{A66C}'),
    ('\u{A680}', '\u{A69A}'),
    ('\u{A722}', '\u{A7DC}'),
    ('\u{A7F5}', '\u{A7F5}'),
    ('\u{FF21}', '\u{FF3A}'),
    ('\u{10400}', '\u{10427}'),
    ('\u{104B0}', '\u{104D3}'),
    ('\u{10570}', '\u{10595}'),
    ('\u{10C80}', '\u{10CB2}'),
    ('\u{10D50}', '\u{10D65}'),
    ('\u{118A0}', '\u{118BF}'),
    ('\u{16E40}', '\u{16E5F}'),
    ('\u{16EA0}', '\u{16EB8}'),
    ('\u{1E900}', '\u{1E921}'),
];

/// KELVIN SIGN, which lowercases to ASCII `k`.
const KELVIN: char = '\u{212A}';
/// LATIN CAPITAL LETTER I WITH DOT ABOVE, which lowercases to `i` + U+0307.
const DOTTED_I: char = '\u{0130}';

/// `s` as an SQL string literal (a hex blob cast to text when it holds NUL characters).
pub(super) fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    if s.contains('\0') {
        out.push_str("CAST(X'");
        for b in s.bytes() {
            let _ = write!(out, "{b:02X}");
        }
        out.push_str("' AS TEXT)");
    } else {
        out.push('\'');
        for c in s.chars() {
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        }
        out.push('\'');
    }
    out
}

/// `path` extended by the object member `name` (`$."a"` → `$."a"."b"`); `None` when SQLite's
/// JSON path syntax cannot name it (a `"` or `\` in the name).
pub(super) fn member(path: &str, name: &str) -> Option<String> {
    if name.contains(['"', '\\']) {
        return None;
    }
    let mut out = String::with_capacity(path.len() + name.len() + 3);
    out.push_str(path);
    out.push_str(".\"");
    out.push_str(name);
    out.push('"');
    Some(out)
}

/// The non-ASCII characters whose lowercase form differs from them and shares a character
/// with one of `lits`; with `ordering`, also the two whose lowercase form holds ASCII.
pub(super) fn preimages<'a>(lits: impl IntoIterator<Item = &'a str>, ordering: bool) -> Vec<char> {
    let mut chars: Vec<char> = lits.into_iter().flat_map(str::chars).collect();
    chars.sort_unstable();
    chars.dedup();
    let mut out = Vec::new();
    if chars.iter().all(char::is_ascii) {
        // Only these two non-ASCII characters lowercase to anything holding ASCII.
        if ordering || chars.binary_search(&'i').is_ok() {
            out.push(DOTTED_I);
        }
        if ordering || chars.binary_search(&'k').is_ok() {
            out.push(KELVIN);
        }
        return out;
    }
    for &(lo, hi) in &CASED_RANGES {
        for c in lo..=hi {
            let changes = c.to_lowercase().ne(core::iter::once(c));
            let touches = || c.to_lowercase().any(|l| chars.binary_search(&l).is_ok());
            if changes && (touches() || (ordering && (c == KELVIN || c == DOTTED_I))) {
                out.push(c);
            }
        }
    }
    out
}

/// `x` lowercased in SQL: ASCII by `lower()`, each of `mapped` by `replace()` with its
/// lowercase form.
pub(super) fn fold_expr(x: &str, mapped: &[char]) -> String {
    let mut expr = String::from(x);
    let mut buf = [0u8; 4];
    for &c in mapped {
        let from = literal(c.encode_utf8(&mut buf));
        let to = literal(&fold(c.encode_utf8(&mut buf)));
        expr = alloc::format!("replace({expr}, {from}, {to})");
    }
    alloc::format!("lower({expr})")
}

/// Longest `LIKE`/`GLOB` pattern D1 accepts, in bytes (its `SQLITE_LIMIT_LIKE_PATTERN_LENGTH`).
pub(super) const MAX_PATTERN_BYTES: usize = 50;

/// `GLOB` patterns `*[…]*` that together match text holding a character of
/// [`CASED_RANGES`], each at most [`MAX_PATTERN_BYTES`] long.
fn cased_patterns() -> Vec<String> {
    let mut patterns = Vec::new();
    let mut class = String::new();
    for &(lo, hi) in &CASED_RANGES {
        let mut item = String::from(lo);
        if hi != lo {
            item.push('-');
            item.push(hi);
        }
        // `*[` and `]*` take 4 bytes.
        if !class.is_empty() && class.len() + item.len() + 4 > MAX_PATTERN_BYTES {
            patterns.push(alloc::format!("*[{class}]*"));
            class.clear();
        }
        class.push_str(&item);
    }
    if !class.is_empty() {
        patterns.push(alloc::format!("*[{class}]*"));
    }
    patterns
}

/// SQL that is 1 when text `x` may lowercase differently in SQL than in Rust: it holds a
/// character of [`CASED_RANGES`] or a NUL (which `GLOB` cannot see past); else 0.
pub(super) fn foldable(x: &str) -> String {
    let mut any = String::new();
    for pattern in cased_patterns() {
        let _ = write!(any, "{x} GLOB '{pattern}' OR ");
    }
    alloc::format!(
        "(length(CAST({x} AS BLOB)) <> length({x}) AND ({any}instr(CAST({x} AS BLOB), X'00') > 0))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_ranges(c: char) -> bool {
        CASED_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
    }

    /// Unicode assigns no cased characters beyond the first two planes.
    const LAST_CASED_PLANE_END: u32 = 0x1FFFF;

    #[test]
    fn no_character_beyond_the_first_two_planes_lowercases() {
        assert!((LAST_CASED_PLANE_END + 1..=0x10FFFF)
            .filter_map(char::from_u32)
            .all(|c| c.to_lowercase().eq(core::iter::once(c))));
    }

    #[test]
    fn cased_ranges_cover_every_non_ascii_character_that_lowercases() {
        let missing: Vec<char> = (0x80..=LAST_CASED_PLANE_END)
            .filter_map(char::from_u32)
            .filter(|&c| c.to_lowercase().ne(core::iter::once(c)) && !in_ranges(c))
            .collect();
        assert_eq!(missing, Vec::<char>::new());
    }

    #[test]
    fn only_kelvin_and_dotted_i_lowercase_to_ascii_and_lowercasing_is_idempotent() {
        for c in (0x80..=LAST_CASED_PLANE_END).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            if lower.chars().ne(core::iter::once(c)) && lower.chars().any(|l| l.is_ascii()) {
                assert!(c == KELVIN || c == DOTTED_I, "{c:?}");
            }
            assert_eq!(fold(&lower), lower, "{c:?}");
        }
    }

    #[test]
    fn cased_patterns_fit_d1s_pattern_limit_and_cover_every_range() {
        let patterns = cased_patterns();
        assert!(patterns.len() > 1);
        for p in &patterns {
            assert!(p.len() <= MAX_PATTERN_BYTES, "{p}: {} bytes", p.len());
        }
        let joined: String = patterns.concat();
        for &(lo, hi) in &CASED_RANGES {
            assert!(joined.contains(lo) && joined.contains(hi), "{lo:?}-{hi:?}");
        }
    }

    #[test]
    fn foldable_sees_cased_characters_of_every_range_and_nul_only() {
        let db = crate::query::sql::tests::d1_connection();
        let sql = alloc::format!("SELECT {}", foldable("?1"));
        let is = |text: &str| -> i64 {
            db.query_row(&sql, [text], |row| row.get(0))
                .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        };
        for &(lo, hi) in &CASED_RANGES {
            for c in [lo, hi] {
                assert_eq!(is(&alloc::format!("ab{c}cd")), 1, "{c:?}");
            }
        }
        assert_eq!(is("a\0é"), 1);
        for text in ["plain ascii", "", "中文", "ß", "é😀"] {
            assert_eq!(is(text), 0, "{text:?}");
        }
    }

    #[test]
    fn literals_double_quotes_and_hex_encode_nul() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal("' OR 1=1 --"), "''' OR 1=1 --'");
        assert_eq!(literal("a\0b"), "CAST(X'610062' AS TEXT)");
    }

    #[test]
    fn members_are_quoted_and_unquotable_names_refused() {
        assert_eq!(
            member("$", "urn:x:2.0:User").as_deref(),
            Some("$.\"urn:x:2.0:User\"")
        );
        assert_eq!(member("$", "a\"b"), None);
        assert_eq!(member("$", "a\\b"), None);
    }

    #[test]
    fn preimages_of_ascii_literals_are_kelvin_and_dotted_i_only() {
        assert_eq!(preimages(["bob"], false), Vec::<char>::new());
        assert_eq!(preimages(["kim"], false), ['\u{130}', '\u{212A}']);
        assert_eq!(preimages(["bob"], true), ['\u{130}', '\u{212A}']);
    }

    #[test]
    fn preimages_of_non_ascii_literals_include_every_uppercase_form() {
        let p = preimages(["ångström"], false);
        assert!(p.contains(&'Å') && p.contains(&'\u{212B}') && p.contains(&'Ö'));
        assert!(!p.contains(&'É'));
        let sigma = preimages(["σ"], false);
        assert!(sigma.contains(&'Σ'));
    }

    #[test]
    fn fold_expr_nests_replacements_inside_lower() {
        assert_eq!(fold_expr("x", &[]), "lower(x)");
        assert_eq!(fold_expr("x", &['Ä']), "lower(replace(x, 'Ä', 'ä'))");
    }
}
