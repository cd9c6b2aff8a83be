//! Calendar dates as `YYYY-MM-DD` on the wire, `dd/mm/yyyy` for people.

pub use time::Date;
use time::Month;

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// `Option<Date>` in the same `YYYY-MM-DD` form.
pub mod iso_date_opt {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wrap(#[serde(with = "super::iso_date")] Date);

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        d.map(Wrap).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// Parses a date as people type it (`05/11/2021`) or as a date input sends
/// it (`2021-11-05`).
pub fn parse_any(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.contains('-') {
        return parse_iso(s);
    }
    let mut it = s.splitn(3, '/');
    let d: u8 = it.next()?.trim().parse().ok()?;
    let m: u8 = it.next()?.trim().parse().ok()?;
    let y: i32 = it.next()?.trim().parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

pub fn to_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Vietnamese date layout: 05/11/2021.
pub fn format_vi(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month() as u8, d.year())
}

/// Deadlines and times people read are in Vietnam time (UTC+7), whatever the
/// server's clock zone.
pub const VN_OFFSET_HOURS: i8 = 7;

/// The date in Vietnam at the instant `now`.
pub fn vn_date(now: time::OffsetDateTime) -> Date {
    now.to_offset(vn_offset()).date()
}

pub fn vn_offset() -> time::UtcOffset {
    time::UtcOffset::from_hms(VN_OFFSET_HOURS, 0, 0).expect("a valid offset")
}

/// A UTC timestamp as the server writes it ("2021-11-04T03:12:09.123Z") in
/// Vietnam time for people: "04/11/2021 10:12". Read by hand rather than with
/// the `time` parser, which would add its tables to the phone's download.
pub fn vn_time_from_utc(s: &str) -> Option<String> {
    let n = |a: usize, b: usize| s.get(a..b)?.parse::<u32>().ok();
    if s.get(4..5)? != "-" || s.get(10..11)? != "T" {
        return None;
    }
    let (y, mo, d, h, mi) = (n(0, 4)? as i32, n(5, 7)? as u8, n(8, 10)? as u8, n(11, 13)?, n(14, 16)?);
    let mut day = Date::from_calendar_date(y, Month::try_from(mo).ok()?, d).ok()?;
    let mut hour = h + VN_OFFSET_HOURS as u32;
    if hour >= 24 {
        hour -= 24;
        day = day.next_day()?;
    }
    Some(format!("{} {:02}:{:02}", format_vi(day), hour, mi))
}

/// First day of the month after `d`'s month.
pub fn first_of_next_month(d: Date) -> Date {
    let (y, m) = if d.month() == Month::December { (d.year() + 1, Month::January) } else { (d.year(), d.month().next()) };
    Date::from_calendar_date(y, m, 1).expect("day 1 exists in every month")
}

/// Last day of `d`'s month.
pub fn last_of_month(d: Date) -> Date {
    first_of_next_month(d).previous_day().expect("not the minimum date")
}

/// The given day of a month, clamped to the month's length (day 31 of
/// February is its last day), so a template's deadline day is always valid.
pub fn day_of_month_clamped(year: i32, month: Month, day: u8) -> Date {
    let len = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.clamp(1, len)).expect("clamped day is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn iso_round_trip_and_vi_format() {
        let d = parse_iso("2021-10-05").unwrap();
        assert_eq!(to_iso(d), "2021-10-05");
        assert_eq!(format_vi(d), "05/10/2021");
        assert!(parse_iso("2021-02-30").is_none());
        assert!(parse_iso("hôm qua").is_none());
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(first_of_next_month(date!(2021 - 12 - 15)), date!(2022 - 01 - 01));
        assert_eq!(last_of_month(date!(2024 - 02 - 10)), date!(2024 - 02 - 29));
        assert_eq!(day_of_month_clamped(2022, Month::February, 31), date!(2022 - 02 - 28));
    }

    #[test]
    fn utc_timestamps_read_in_vietnam_time() {
        assert_eq!(vn_time_from_utc("2021-11-04T03:12:09.123Z").as_deref(), Some("04/11/2021 10:12"));
        assert_eq!(vn_time_from_utc("2021-12-31T17:30:00Z").as_deref(), Some("01/01/2022 00:30"), "next day, next year");
        assert_eq!(vn_time_from_utc("2024-02-28T20:00:00Z").as_deref(), Some("29/02/2024 03:00"));
        assert_eq!(vn_time_from_utc("hôm qua"), None);
    }

    #[test]
    fn serde_uses_iso_text() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct W {
            #[serde(with = "iso_date")]
            d: Date,
            #[serde(with = "iso_date_opt", default)]
            o: Option<Date>,
        }
        let json = serde_json::to_string(&W { d: date!(2021 - 10 - 01), o: None }).unwrap();
        assert_eq!(json, r#"{"d":"2021-10-01","o":null}"#);
        let w: W = serde_json::from_str(r#"{"d":"2021-11-05","o":"2022-01-01"}"#).unwrap();
        assert_eq!(w.o, Some(date!(2022 - 01 - 01)));
    }
}
