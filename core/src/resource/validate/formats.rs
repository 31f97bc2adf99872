//! Syntax checks for the `dateTime` (RFC 3339) and `binary` (RFC 4648 §4 base64) types.

/// The `n`-digit decimal number at `at` in `b`, if every byte there is a digit.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at.checked_add(n)?)?;
    part.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `s` is an RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
///
/// `T` and `Z` may be lower case (RFC 3339 §5.6); seconds may be 60 (leap second).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let sep = |i: usize, c: u8| b.get(i).is_some_and(|&x| x == c);
    let date = (|| {
        let (y, mo, d) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
        let (h, mi, se) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
        let ok = sep(4, b'-')
            && sep(7, b'-')
            && (sep(10, b'T') || sep(10, b't'))
            && sep(13, b':')
            && sep(16, b':')
            && (1..=12).contains(&mo)
            && (1..=days_in_month(y, mo)).contains(&d)
            && h < 24
            && mi < 60
            && se <= 60;
        ok.then_some(())
    })();
    if date.is_none() {
        return false;
    }
    let mut i = 19;
    if sep(i, b'.') {
        let frac = b
            .get(i + 1..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => b.len() == i + 1,
        Some(b'+' | b'-') => {
            b.len() == i + 6
                && sep(i + 3, b':')
                && digits(b, i + 1, 2).is_some_and(|h| h < 24)
                && digits(b, i + 4, 2).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

/// Whether `s` is base64 with the standard alphabet and padding (RFC 4648 §4).
pub fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(4) {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b.iter()
            .take(b.len() - pad)
            .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc_3339_date_times() {
        for s in [
            "2008-01-23T04:56:22Z",
            "2011-05-13T04:42:34.123Z",
            "2011-05-13t04:42:34z",
            "2011-05-13T04:42:34+02:00",
            "2011-05-13T04:42:34.5-05:30",
            "2016-12-31T23:59:60Z",
            "2024-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
        ] {
            assert!(is_date_time(s), "{s}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for s in [
            "",
            "2008-01-23",
            "2008-01-23T04:56:22",
            "2008-01-23 04:56:22Z",
            "2008-1-23T04:56:22Z",
            "2008-13-01T00:00:00Z",
            "2008-00-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2008-04-31T00:00:00Z",
            "2008-01-23T24:00:00Z",
            "2008-01-23T04:60:00Z",
            "2008-01-23T04:56:61Z",
            "2008-01-23T04:56:22.Z",
            "2008-01-23T04:56:22+0200",
            "2008-01-23T04:56:22+24:00",
            "2008-01-23T04:56:22Zjunk",
            "2008-01-23T04:56:22ZZ",
            "２００８-01-23T04:56:22Z",
        ] {
            assert!(!is_date_time(s), "{s}");
        }
    }

    #[test]
    fn base64_needs_standard_alphabet_and_padding() {
        for s in ["", "TWFu", "TWE=", "TQ==", "ab+/Zz09"] {
            assert!(is_base64(s), "{s}");
        }
        for s in ["TWF", "TQ=", "T===", "TW-_", "TW E", "=TWE", "TQ==TWFu"] {
            assert!(!is_base64(s), "{s}");
        }
    }
}
