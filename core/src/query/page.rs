//! Pagination arithmetic (RFC 7644 §3.4.2.4).
//!
//! - `startIndex` is 1-based; a value below 1 means 1.
//! - `count` below 0 means 0 (only `totalResults` is returned); above the configured maximum
//!   it is capped to it; absent, it is the maximum.
//! - Text that is not an integer (`abc`, `1.5`, empty) is `invalidValue`. Integers too large
//!   for the machine saturate.

use alloc::format;
use core::ops::Range;

use crate::error::ScimError;

/// The page a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based index of the first result.
    pub start_index: usize,
    /// Largest number of results on the page.
    pub count: usize,
}

impl Page {
    /// The page of query parameters `startIndex` and `count` (as sent), capped by `max_count`.
    pub fn from_query(
        start_index: Option<&str>,
        count: Option<&str>,
        max_count: usize,
    ) -> Result<Page, ScimError> {
        let start = start_index
            .map(|t| parse_integer("startIndex", t))
            .transpose()?;
        let count = count.map(|t| parse_integer("count", t)).transpose()?;
        Ok(Page::new(start, count, max_count))
    }

    /// The page of already-typed `startIndex` and `count` (e.g. from a `.search` body).
    pub fn new(start_index: Option<i64>, count: Option<i64>, max_count: usize) -> Page {
        let start_index = match start_index {
            Some(i) if i > 1 => usize::try_from(i).unwrap_or(usize::MAX),
            _ => 1,
        };
        let count = match count {
            None => max_count,
            Some(c) => usize::try_from(c.max(0))
                .unwrap_or(usize::MAX)
                .min(max_count),
        };
        Page { start_index, count }
    }

    /// The indexes (0-based, end exclusive) of the page within `total` results.
    pub fn slice(&self, total: usize) -> Range<usize> {
        let start = self.start_index.saturating_sub(1).min(total);
        let end = start.saturating_add(self.count).min(total);
        start..end
    }
}

/// Parses an optionally signed decimal integer, saturating at the `i64` bounds.
fn parse_integer(name: &str, text: &str) -> Result<i64, ScimError> {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or("")),
        Some(b'+') => (false, t.get(1..).unwrap_or("")),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScimError::invalid_value(
            name,
            format!("'{text}' is not an integer"),
        ));
    }
    let magnitude = digits.bytes().fold(0i64, |acc, b| {
        acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScimType;

    fn page(start: Option<&str>, count: Option<&str>) -> Page {
        Page::from_query(start, count, 100).unwrap()
    }

    #[test]
    fn absent_parameters_give_first_page_of_maximum_size() {
        assert_eq!(
            page(None, None),
            Page {
                start_index: 1,
                count: 100
            }
        );
    }

    #[test]
    fn start_index_below_one_means_one() {
        assert_eq!(page(Some("0"), None).start_index, 1);
        assert_eq!(page(Some("-7"), None).start_index, 1);
        assert_eq!(page(Some("42"), None).start_index, 42);
    }

    #[test]
    fn negative_count_means_zero_and_large_count_is_capped() {
        assert_eq!(page(None, Some("-1")).count, 0);
        assert_eq!(page(None, Some("0")).count, 0);
        assert_eq!(page(None, Some("10")).count, 10);
        assert_eq!(page(None, Some("1000")).count, 100);
        assert_eq!(page(None, Some("99999999999999999999999")).count, 100);
    }

    #[test]
    fn non_integers_are_invalid_value() {
        for bad in ["abc", "1.5", "", "-", "1e3", "0x10", "١"] {
            let err = Page::from_query(Some(bad), None, 10).unwrap_err();
            assert_eq!(err.scim_type(), Some(ScimType::InvalidValue), "{bad:?}");
            assert_eq!(err.path(), Some("startIndex"));
            let err = Page::from_query(None, Some(bad), 10).unwrap_err();
            assert_eq!(err.path(), Some("count"));
        }
        assert_eq!(page(Some(" +3 "), None).start_index, 3);
    }

    #[test]
    fn slice_stays_within_total() {
        let p = |s, c| Page {
            start_index: s,
            count: c,
        };
        assert_eq!(p(1, 10).slice(25), 0..10);
        assert_eq!(p(21, 10).slice(25), 20..25);
        assert_eq!(p(26, 10).slice(25), 25..25);
        assert_eq!(p(1000, 10).slice(25), 25..25);
        assert_eq!(p(1, 0).slice(25), 0..0);
        assert_eq!(p(0, 2).slice(25), 0..2);
        assert_eq!(p(usize::MAX, usize::MAX).slice(3), 3..3);
        assert_eq!(p(2, usize::MAX).slice(3), 1..3);
    }

    #[test]
    fn typed_values_follow_the_same_rules() {
        assert_eq!(
            Page::new(Some(-5), Some(-5), 50),
            Page {
                start_index: 1,
                count: 0
            }
        );
        assert_eq!(Page::new(Some(i64::MAX), Some(i64::MAX), 50).count, 50);
    }
}
