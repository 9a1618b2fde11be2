//! Calendar arithmetic the engine needs without a clock of its own: HTTP dates (Retry-After) and the ISO 8601
//! end date of a client secret. Times are milliseconds since the Unix epoch, always UTC. Day counts use the
//! proleptic Gregorian civil-date algorithm (H. Hinnant, "chrono-compatible low-level date algorithms").

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
    (next - days_from_civil(y, m, 1)) as u32
}

/// IMF-fixdate, the form RFC 9110 requires senders to use: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn parse_http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let d: u32 = day.parse().ok()?;
    let m = MONTHS.iter().position(|x| x == month)? as u32 + 1;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time.split(':').map(|t| t.parse().ok()).collect::<Option<_>>()?;
    let [h, mi, se] = hms.as_slice() else { return None };
    let days = days_from_civil(y, m, d);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + mi * 60 + se;
    Some(secs * 1000)
}

/// `now` plus whole calendar months, the day clamped to the target month, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_after_months(now_ms: u64, months: u32) -> String {
    let secs = (now_ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let total = (m - 1) as i64 + months as i64;
    let (ty, tm) = (y + total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let td = d.min(days_in_month(ty, tm));
    format!("{ty:04}-{tm:02}-{td:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso(ms: u64) -> String {
    iso_after_months(ms, 0)
}

/// Graph's `DateTimeOffset` in UTC (`2027-01-31T12:00:00Z`, fractions of a second allowed, as in
/// `passwordCredential.endDateTime`), as milliseconds since the epoch; None for anything else.
pub fn parse_iso(s: &str) -> Option<u64> {
    let (date, time) = s.split_once('T')?;
    let time = time.strip_suffix('Z').or_else(|| time.strip_suffix("+00:00"))?;
    let ymd: Vec<&str> = date.split('-').collect();
    let [y, m, d] = ymd.as_slice() else { return None };
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let (whole, fraction) = time.split_once('.').unwrap_or((time, ""));
    let hms: Vec<u64> = whole.split(':').map(|t| t.parse().ok()).collect::<Option<_>>()?;
    let [h, mi, se] = hms.as_slice() else { return None };
    if *h > 23 || *mi > 59 || *se > 60 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = fraction.get(..3).map_or_else(|| format!("{fraction:0<3}"), str::to_string).parse::<u64>().ok()?;
    let secs = u64::try_from(days_from_civil(y, m, d)).ok()? * 86_400 + h * 3600 + mi * 60 + se;
    Some(secs * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_read_back() {
        let t = 1_796_000_000_123;
        assert_eq!(parse_iso(&iso(t)), Some(t - 123));
        assert_eq!(parse_iso("2027-01-31T12:00:00.5Z"), Some(parse_iso("2027-01-31T12:00:00Z").unwrap() + 500));
        assert_eq!(parse_iso("2027-01-31T12:00:00.1234567Z"), Some(parse_iso("2027-01-31T12:00:00Z").unwrap() + 123));
        for bad in ["", "2027-02-30T00:00:00Z", "2027-01-31T24:00:00Z", "2027-01-31", "2027-01-31T12:00:00+02:00"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for z in [-1000, 0, 10_957, 20_000, 60_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        // 2026-01-31T12:00:00Z
        let jan31 = (days_from_civil(2026, 1, 31) as u64 * 86_400 + 12 * 3600) * 1000;
        assert_eq!(iso_after_months(jan31, 1), "2026-02-28T12:00:00Z");
        assert_eq!(iso_after_months(jan31, 12), "2027-01-31T12:00:00Z");
        assert_eq!(iso_after_months(jan31, 13), "2027-02-28T12:00:00Z");
        let feb29 = days_from_civil(2028, 2, 29) as u64 * 86_400_000;
        assert_eq!(iso_after_months(feb29, 24), "2030-02-28T00:00:00Z");
    }

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    }
}
