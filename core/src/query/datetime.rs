//! RFC 3339 date-times parsed into comparable instants.
//!
//! Accepted form: `YYYY-MM-DD` `T` (or `t` or a space) `HH:MM:SS`, an optional fraction of any
//! length (digits beyond the ninth are truncated), then `Z`/`z`, `±hh:mm`, or nothing. A missing
//! offset is read as UTC: `xsd:dateTime`, which RFC 7643 §2.3.5 refers to, allows it, and some
//! clients send it. A leap second (`:60`) is accepted and counts as the first second of the next
//! minute.

use core::fmt;

const SECONDS_PER_DAY: i64 = 86_400;
const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// A point in time: seconds since the Unix epoch (UTC) and nanoseconds, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    seconds: i64,
    nanos: u32,
}

impl Instant {
    /// The Unix epoch, `1970-01-01T00:00:00Z`.
    pub const EPOCH: Instant = Instant {
        seconds: 0,
        nanos: 0,
    };

    /// Parses an RFC 3339 date-time; `None` when the text is not one or a field is out of range.
    pub fn parse(text: &str) -> Option<Instant> {
        let b = text.as_bytes();
        let year = digits(b, 0, 4)?;
        expect(b, 4, b'-')?;
        let month = digits(b, 5, 2)?;
        expect(b, 7, b'-')?;
        let day = digits(b, 8, 2)?;
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return None;
        }
        let hour = digits(b, 11, 2)?;
        expect(b, 13, b':')?;
        let minute = digits(b, 14, 2)?;
        expect(b, 16, b':')?;
        let second = digits(b, 17, 2)?;
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut pos = 19;
        let mut nanos = 0u32;
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            let start = pos;
            let mut scale = NANOS_PER_SECOND;
            while let Some(d) = b.get(pos).filter(|c| c.is_ascii_digit()) {
                if scale > 1 {
                    scale /= 10;
                    nanos += u32::from(d - b'0') * scale;
                }
                pos += 1;
            }
            if pos == start {
                return None;
            }
        }
        let offset = match b.get(pos) {
            None => 0,
            Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
            Some(&sign @ (b'+' | b'-')) if pos + 6 == b.len() => {
                let oh = digits(b, pos + 1, 2)?;
                expect(b, pos + 3, b':')?;
                let om = digits(b, pos + 4, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let off = i64::from(oh * 3600 + om * 60);
                if sign == b'-' {
                    -off
                } else {
                    off
                }
            }
            Some(_) => return None,
        };
        let days = days_from_civil(i64::from(year), month, day);
        let local = days * SECONDS_PER_DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second);
        Some(Instant {
            seconds: local - offset,
            nanos,
        })
    }

    /// The instant `seconds` (and `nanos`) after the Unix epoch; `None` when `nanos` ≥ 10⁹.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Instant> {
        (nanos < NANOS_PER_SECOND).then_some(Instant { seconds, nanos })
    }

    /// The instant `millis` milliseconds after the Unix epoch (a JavaScript `Date.now()`).
    pub fn from_unix_millis(millis: i64) -> Instant {
        Instant {
            seconds: millis.div_euclid(1000),
            // rem_euclid(1000) is in 0..1000, so the product is below 10⁹ and fits.
            nanos: millis.rem_euclid(1000).unsigned_abs() as u32 * 1_000_000,
        }
    }

    /// Whole seconds since the Unix epoch (negative before 1970).
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`Instant::unix_seconds`], below 10⁹.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }
}

/// Formats as `YYYY-MM-DDTHH:MM:SSZ`, with `.fff`, `.ffffff` or `.fffffffff` when the instant
/// has a fraction of a second.
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(SECONDS_PER_DAY);
        let secs = self.seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        match self.nanos {
            0 => {}
            n if n % 1_000_000 == 0 => write!(f, ".{:03}", n / 1_000_000)?,
            n if n % 1_000 == 0 => write!(f, ".{:06}", n / 1_000)?,
            n => write!(f, ".{n:09}")?,
        }
        f.write_str("Z")
    }
}

/// The number `len` decimal digits at `start` spell, if they are all digits.
fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let field = b.get(start..start + len)?;
    field.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `Some(())` when byte `pos` is `want`.
fn expect(b: &[u8], pos: usize, want: u8) -> Option<()> {
    (b.get(pos) == Some(&want)).then_some(())
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12, day 1..=31).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let shifted_month = if m > 2 { m - 3 } else { m + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01, as (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn p(s: &str) -> Instant {
        Instant::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(p("1970-01-01T00:00:00Z"), Instant::EPOCH);
        assert_eq!(p("2011-05-13T04:42:34Z").unix_seconds(), 1_305_261_754);
        assert_eq!(p("2000-02-29T00:00:00Z").unix_seconds(), 951_782_400);
        assert_eq!(p("1969-12-31T23:59:59Z").unix_seconds(), -1);
    }

    #[test]
    fn offsets_denote_the_same_instant() {
        assert_eq!(p("2024-01-01T10:00:00+02:00"), p("2024-01-01T08:00:00Z"));
        assert_eq!(p("2024-01-01T00:30:00-01:15"), p("2024-01-01T01:45:00z"));
        assert_eq!(p("2024-01-01T08:00:00+00:00"), p("2024-01-01T08:00:00Z"));
    }

    #[test]
    fn fractions_of_any_length_with_truncation_past_nanoseconds() {
        let entra = p("2015-10-10T14:38:21.8617979-07:00");
        assert_eq!(entra.subsec_nanos(), 861_797_900);
        assert_eq!(entra, p("2015-10-10T21:38:21.8617979Z"));
        assert_eq!(p("2020-01-01T00:00:00.5Z").subsec_nanos(), 500_000_000);
        assert_eq!(
            p("2020-01-01T00:00:00.123456789987Z").subsec_nanos(),
            123_456_789
        );
        assert!(p("2020-01-01T00:00:00.1Z") > p("2020-01-01T00:00:00.09999Z"));
    }

    #[test]
    fn lowercase_t_space_and_missing_offset_are_accepted() {
        let z = p("2020-06-01T12:00:00Z");
        assert_eq!(p("2020-06-01t12:00:00Z"), z);
        assert_eq!(p("2020-06-01 12:00:00Z"), z);
        assert_eq!(p("2020-06-01T12:00:00"), z);
    }

    #[test]
    fn out_of_range_fields_are_rejected() {
        for bad in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:61Z",
            "2024-01-01T23:59:59+24:00",
            "2024-01-01T23:59:59+01:60",
        ] {
            assert_eq!(Instant::parse(bad), None, "{bad}");
        }
        assert!(Instant::parse("2024-02-29T00:00:00Z").is_some());
        assert!(Instant::parse("2000-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn malformed_text_is_rejected() {
        for bad in [
            "",
            "2024",
            "2024-01-01",
            "2024-01-01T10:00Z",
            "2024-1-01T10:00:00Z",
            "2024-01-01X10:00:00Z",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00ZZ",
            "2024-01-01T10:00:00+0200",
            "2024-01-01T10:00:00+02:00 ",
            "２０２４-01-01T10:00:00Z",
            "+024-01-01T10:00:00Z",
        ] {
            assert_eq!(Instant::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn leap_second_counts_as_next_minute() {
        assert_eq!(p("2016-12-31T23:59:60Z"), p("2017-01-01T00:00:00Z"));
    }

    #[test]
    fn display_is_utc_with_shortest_fraction_group() {
        assert_eq!(
            p("2024-01-01T10:00:00+02:00").to_string(),
            "2024-01-01T08:00:00Z"
        );
        assert_eq!(
            p("2024-01-01T10:00:00.12Z").to_string(),
            "2024-01-01T10:00:00.120Z"
        );
        assert_eq!(
            p("2024-01-01T10:00:00.1234Z").to_string(),
            "2024-01-01T10:00:00.123400Z"
        );
        assert_eq!(
            p("2015-10-10T14:38:21.8617979-07:00").to_string(),
            "2015-10-10T21:38:21.861797900Z"
        );
        assert_eq!(Instant::EPOCH.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Instant::from_unix_millis(-1).to_string(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn display_round_trips_across_years() {
        for s in [
            "0000-01-01T00:00:00Z",
            "0001-03-01T00:00:00Z",
            "1600-02-29T12:34:56Z",
            "1999-12-31T23:59:59.999Z",
            "2100-03-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn from_unix_rejects_overflowing_nanos() {
        assert_eq!(Instant::from_unix(0, 1_000_000_000), None);
        assert_eq!(Instant::from_unix(5, 7).map(|i| i.subsec_nanos()), Some(7));
        assert_eq!(Instant::from_unix_millis(1500).unix_seconds(), 1);
    }

    #[test]
    fn extreme_unix_seconds_display_without_panicking() {
        for s in [i64::MIN / 2, i64::MAX / 2, -62_167_219_201] {
            let text = Instant::from_unix(s, 0).map(|i| i.to_string());
            assert!(text.is_some_and(|t| t.ends_with('Z')));
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Instant::parse(&s);
        }

        #[test]
        fn display_parses_back_to_the_same_instant(
            secs in -62_167_219_200i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
        ) {
            let i = Instant::from_unix(secs, nanos).unwrap_or(Instant::EPOCH);
            proptest::prop_assert_eq!(Instant::parse(&i.to_string()), Some(i));
        }
    }
}
