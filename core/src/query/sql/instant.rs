//! Date-times in SQL: a text key that orders like [`Instant`], computed from stored text.
//!
//! The key of an instant is its Unix seconds shifted to a positive 12-digit number, followed
//! by its 9-digit nanoseconds: fixed-width digits, so text order is time order. [`key`] builds
//! it in SQL from a stored value, accepting exactly what [`Instant::parse`] accepts (any
//! offset, a fraction of any length truncated to nanoseconds, a leap second as the next
//! minute) and giving NULL for anything else; [`literal_key`] builds it in Rust for a literal.
//! Comparing keys is therefore exact, with no precision lost.

use alloc::format;
use alloc::string::String;

use crate::query::datetime::Instant;

/// Added to Unix seconds so that every instant from `0000-01-01T00:00:00+23:59` to
/// `9999-12-31T23:59:60-23:59` has a positive key of 12 digits.
const SHIFT: i64 = 62_167_305_600;

/// `GLOB` pattern of a date, `YYYY-MM-DD` (42 bytes: D1 refuses patterns over 50).
const DATE: &str = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]";
/// `GLOB` pattern of the separator and time, `Thh:mm:ss` (36 bytes).
const TIME: &str = "[Tt ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]";
/// `GLOB` pattern of an offset, `±hh:mm` (24 bytes).
const OFFSET: &str = "[+-][0-9][0-9]:[0-9][0-9]";

/// The key of `t`, as SQL [`key`] computes it for the same instant.
pub(super) fn literal_key(t: &Instant) -> String {
    format!(
        "{:012}{:09}",
        t.unix_seconds().saturating_add(SHIFT),
        t.subsec_nanos()
    )
}

/// SQL giving the key of the date-time text `x`, or NULL when `x` is not text or not an
/// RFC 3339 date-time as [`Instant::parse`] reads it. `x` is evaluated once.
pub(super) fn key(x: &str) -> String {
    // `k.ok` checks the date and time fields (the calendar through a julianday round trip,
    // which normalises 02-30 to 03-01), that a '.' is followed by a digit, and that there is
    // no NUL (text functions stop at one); `k.tail` is what follows the fraction and must be
    // empty, Z/z or ±hh:mm.
    format!(
        "(SELECT CASE WHEN k.ok AND (k.tail IN ('', 'Z', 'z') \
         OR (k.tail GLOB '{OFFSET}' AND length(CAST(k.tail AS BLOB)) = 6 \
         AND substr(k.tail, 2, 2) <= '23' AND substr(k.tail, 5, 2) <= '59')) \
         THEN printf('%012d', k.secs + {SHIFT} - (CASE substr(k.tail, 1, 1) WHEN '+' THEN 1 \
         WHEN '-' THEN -1 ELSE 0 END) * (CAST(substr(k.tail, 2, 2) AS INTEGER) * 3600 \
         + CAST(substr(k.tail, 5, 2) AS INTEGER) * 60)) || substr(k.frac || '000000000', 1, 9) \
         END FROM (SELECT typeof(v) = 'text' AND instr(CAST(v AS BLOB), X'00') = 0 \
         AND substr(v, 1, 10) GLOB '{DATE}' AND substr(v, 11, 9) GLOB '{TIME}' \
         AND date(julianday(substr(v, 1, 10))) = substr(v, 1, 10) \
         AND substr(v, 12, 2) <= '23' AND substr(v, 15, 2) <= '59' AND substr(v, 18, 2) <= '60' \
         AND (substr(v, 20, 1) <> '.' OR substr(v, 21, 1) GLOB '[0-9]') AS ok, \
         CASE WHEN substr(v, 20, 1) = '.' THEN ltrim(substr(v, 21), '0123456789') \
         ELSE substr(v, 20) END AS tail, \
         CASE WHEN substr(v, 20, 1) = '.' THEN substr(v, 21, length(CAST(substr(v, 21) AS BLOB)) \
         - length(CAST(ltrim(substr(v, 21), '0123456789') AS BLOB))) ELSE '' END AS frac, \
         CAST(julianday(substr(v, 1, 10)) - 2440587.5 AS INTEGER) * 86400 \
         + CAST(substr(v, 12, 2) AS INTEGER) * 3600 + CAST(substr(v, 15, 2) AS INTEGER) * 60 \
         + CAST(substr(v, 18, 2) AS INTEGER) AS secs \
         FROM (SELECT {x} AS v)) AS k)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::sql::tests::d1_connection;
    use crate::query::sql::text::MAX_PATTERN_BYTES;
    use alloc::vec::Vec;
    use rusqlite::Connection;

    #[test]
    fn glob_patterns_fit_d1s_pattern_limit() {
        for pattern in [DATE, TIME, OFFSET] {
            assert!(pattern.len() <= MAX_PATTERN_BYTES, "{pattern}");
        }
    }

    fn sql_key(db: &Connection, text: &str) -> Option<String> {
        db.query_row(&format!("SELECT {}", key("?1")), [text], |row| row.get(0))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    #[test]
    fn sql_keys_equal_rust_keys_for_every_accepted_form() {
        let db = d1_connection();
        let texts = [
            "1970-01-01T00:00:00Z",
            "2024-01-01T10:00:00+02:00",
            "2024-01-01T08:00:00z",
            "2024-01-01t08:00:00",
            "2024-01-01 08:00:00.5-00:30",
            "2015-10-10T14:38:21.8617979-07:00",
            "2020-01-01T00:00:00.123456789987Z",
            "2016-12-31T23:59:60Z",
            "2024-02-29T23:59:59.999+23:59",
            "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:60-23:59",
            "1969-12-31T23:59:59.000000001Z",
        ];
        for text in texts {
            let instant = Instant::parse(text).unwrap();
            assert_eq!(sql_key(&db, text), Some(literal_key(&instant)), "{text}");
        }
    }

    #[test]
    fn sql_key_is_null_where_instant_parse_fails() {
        let db = d1_connection();
        let bad = [
            "",
            "2024",
            "2024-01-01",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:61Z",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00ZZ",
            "2024-01-01T10:00:00+0200",
            "2024-01-01T10:00:00+24:00",
            "2024-01-01T10:00:00+01:60",
            "2024-01-01T10:00:00+02:00 ",
            "2024-01-01X10:00:00Z",
            "2024-01-01T10:00:00.5€",
            "2024-01-01T10:00:00+01:00\0",
            "２０２４-01-01T10:00:00Z",
        ];
        for text in bad {
            assert_eq!(Instant::parse(text), None, "{text:?}");
            assert_eq!(sql_key(&db, text), None, "{text:?}");
        }
    }

    #[test]
    fn keys_order_like_instants() {
        let texts = [
            "0000-01-01T00:00:00+23:59",
            "1969-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z",
            "2024-01-01T00:00:00.1Z",
            "2024-01-01T00:00:00.09999Z",
            "9999-12-31T23:59:60-23:59",
        ];
        let mut by_instant: Vec<Instant> = texts.iter().filter_map(|t| Instant::parse(t)).collect();
        by_instant.sort();
        let mut by_key = by_instant.clone();
        by_key.sort_by_key(literal_key);
        assert_eq!(by_instant, by_key);
        assert!(by_instant
            .iter()
            .all(|i| literal_key(i).len() == 21 && !literal_key(i).starts_with('-')));
    }
}
