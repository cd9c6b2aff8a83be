//! The sync protocol between a phone and the server (SPEC §8), as types both
//! sides compile. A phone pushes items (each with its client id, revision and
//! the revision it was based on); the server answers each with an
//! acknowledgement. A reply counts only when it is well formed and names the
//! protocol: a captive portal's page is not an acknowledgement.

use super::difficulty::DifficultyBody;
use super::nomination::NominationBody;
use super::report::{ReportBody, ReportForm};
use super::story::StoryBody;
use super::{AppError, FieldError};
use serde::{Deserialize, Serialize};

pub const PROTOCOL: &str = "thidua-sync/1";
/// Items per push: small enough for a 2G request to finish.
pub const BATCH_MAX: usize = 50;
/// A scoped report id is `rep-` and three codes of at most 64 (`report_id`).
pub const ID_MAX: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum ItemBody {
    Report(ReportBody),
    Difficulty(DifficultyBody),
    Nomination(NominationBody),
    Story(StoryBody),
}

impl ItemBody {
    pub fn kind(&self) -> &'static str {
        match self {
            ItemBody::Report(_) => "report",
            ItemBody::Difficulty(_) => "difficulty",
            ItemBody::Nomination(_) => "nomination",
            ItemBody::Story(_) => "story",
        }
    }

    /// How a client id of this kind begins. Each shape belongs to one kind,
    /// and a report's whole id to its unit and period (`report_id`), so no
    /// item can take the id another unit's report will arrive under.
    pub fn id_prefix(&self) -> &'static str {
        match self {
            ItemBody::Report(_) => "rep-",
            ItemBody::Difficulty(_) => "kk-",
            ItemBody::Nomination(_) => "dn-",
            ItemBody::Story(_) => "gd-",
        }
    }

    pub fn unit(&self) -> &str {
        match self {
            ItemBody::Report(r) => &r.unit,
            ItemBody::Difficulty(d) => &d.unit,
            ItemBody::Nomination(n) => &n.unit,
            ItemBody::Story(s) => &s.unit,
        }
    }

    /// The movement an item is filed in (a phone of before movements were
    /// keyed names none; a difficulty is the unit's, in no movement).
    pub fn movement(&self) -> Option<&str> {
        match self {
            ItemBody::Report(r) => r.movement.as_deref(),
            ItemBody::Nomination(n) => n.movement.as_deref(),
            ItemBody::Story(s) => s.movement.as_deref(),
            ItemBody::Difficulty(_) => None,
        }
    }

    /// The evidence files the item names.
    pub fn files(&self) -> &[super::attachment::FileRef] {
        match self {
            ItemBody::Report(r) => &r.files,
            ItemBody::Nomination(n) => &n.files,
            ItemBody::Story(s) => &s.files,
            ItemBody::Difficulty(_) => &[],
        }
    }

    /// The period a report is for (one report per unit and period).
    pub fn period(&self) -> Option<&str> {
        match self {
            ItemBody::Report(r) => Some(&r.period),
            _ => None,
        }
    }

    /// Every problem, each naming its field and rule. `today` bounds birth
    /// years and nomination dates.
    pub fn validate(&self, form: Option<&ReportForm>, own_unit: &str, today: super::date::Date) -> Vec<FieldError> {
        let no_form = || {
            vec![FieldError::new(
                "unit",
                "has_form",
                "Đơn vị chưa có mẫu báo cáo trong phong trào.",
                "The unit has no report form in the movement.",
            )]
        };
        match (self, form) {
            (ItemBody::Difficulty(d), _) => d.validate(own_unit),
            (_, None) => no_form(),
            (ItemBody::Report(r), Some(f)) => r.validate(&f.for_period(&r.period)),
            (ItemBody::Nomination(n), Some(f)) => n.validate(own_unit, &f.award_forms, &f.eligibility, today),
            (ItemBody::Story(s), Some(f)) => s.validate(own_unit, &f.criteria.iter().map(|c| c.area.clone()).collect::<Vec<_>>()),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        match self {
            ItemBody::Report(r) => r.normalize(),
            ItemBody::Difficulty(d) => d.normalize(),
            ItemBody::Nomination(n) => n.normalize(),
            ItemBody::Story(s) => s.normalize(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushItem {
    pub id: String,
    /// 1 for a new item; each edit after a push bumps it.
    pub revision: u32,
    /// The server revision this edit started from (0: none).
    pub base: u32,
    #[serde(flatten)]
    pub body: ItemBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushBatch {
    pub protocol: String,
    /// A random id per browser profile: a phone may replace its own revision
    /// that it never saw acknowledged.
    pub device: String,
    pub items: Vec<PushItem>,
}

/// Proof the server holds an item: when it took it and a SHA-256 of what it
/// took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub server_time: String,
    pub hash: String,
}

/// Where an item stands at the district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Submitted,
    Returned,
    Accepted,
}

/// The server's copy of an item, for a conflict or a pull.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerItem {
    pub id: String,
    pub revision: u32,
    #[serde(flatten)]
    pub body: ItemBody,
    pub status: ReviewStatus,
    pub receipt: Receipt,
    pub return_comment: Option<String>,
    /// The district's answer to a difficulty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// A report's appraisal, per criterion: the organiser's points and
    /// reason beside the unit's own (who appraised is not sent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appraisal: Vec<super::review::Appraisal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored (or stored before: a replay gets the same receipt).
    Stored { receipt: Receipt, status: ReviewStatus },
    /// Based on an old revision: the server kept its copy, here it is.
    Conflict { server: Box<ServerItem> },
    /// Refused by validation; the item stays editable.
    Invalid { errors: Vec<FieldError> },
    /// Not this account's to write.
    Denied { message: String },
    /// Names files the server has not got whole from this unit: the phone
    /// uploads them and sends the item again. Nothing was written.
    Missing { files: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub id: String,
    pub revision: u32,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushReply {
    pub protocol: String,
    pub server_time: String,
    pub acks: Vec<Ack>,
}

impl PushReply {
    /// A reply that answers exactly the items pushed, under our protocol.
    pub fn answers(&self, batch: &PushBatch) -> bool {
        self.protocol == PROTOCOL
            && self.acks.len() == batch.items.len()
            && batch.items.iter().zip(&self.acks).all(|(i, a)| i.id == a.id && i.revision == a.revision)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullReply {
    pub protocol: String,
    pub server_time: String,
    /// Pass back as `since` next time.
    pub cursor: String,
    /// The form an item that names no movement is filed under
    /// (`default_form`): what a phone of before several movements reads.
    pub form: Option<ReportForm>,
    /// One form per movement the unit files for, the newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<ReportForm>,
    /// The unit's items changed since the cursor.
    pub items: Vec<ServerItem>,
}

/// Of a unit's forms (one per movement it files for, newest first), the one
/// an item that names no movement goes to: the movement that keeps the ids
/// of before movements were keyed (an old phone's reports carry those),
/// else the newest.
pub fn default_form(forms: &[ReportForm]) -> Option<&ReportForm> {
    forms.iter().find(|f| f.report_ids == super::report::ReportIds::Unscoped).or(forms.first())
}

/// The form an item is checked against and filed under: a report's named
/// movement's (none when the unit does not file for it: `movement_open`),
/// else `default_form`.
pub fn form_for_item<'a>(body: &ItemBody, forms: &'a [ReportForm]) -> Option<&'a ReportForm> {
    match body.movement() {
        Some(m) => forms.iter().find(|f| f.movement == m),
        None => default_form(forms),
    }
}

/// Client ids: lower-case ASCII letters, digits, hyphens and the dots of a
/// scoped report id.
pub fn valid_item_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= ID_MAX && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// What the server answers, before any read, to a pushed item that is not
/// this unit's to write or whose id or revision cannot name it: `None` when
/// the item may go on to validation. The id must have its kind's shape
/// (`ItemBody::id_prefix`); a report must be for the movement of `form` (the
/// unit's form, read once per push) and its id exactly its unit's and
/// period's in that movement (`ReportForm::report_id`).
pub fn check_push_item(item: &PushItem, form: Option<&ReportForm>, own_unit: &str) -> Option<Outcome> {
    let invalid =
        |field: &str, rule: &str, vi: &str, en: &str| Some(Outcome::Invalid { errors: vec![FieldError::new(field, rule, vi, en)] });
    if !valid_item_id(&item.id) || item.revision == 0 || item.base >= item.revision {
        return invalid("id", "item_id", "Mã mục hoặc số phiên bản không hợp lệ.", "Invalid item id or revision.");
    }
    if item.body.unit() != own_unit {
        return Some(Outcome::Denied { message: AppError::denied().to_string() });
    }
    match &item.body {
        b if b.movement().is_some_and(|m| form.is_none_or(|f| f.movement != m)) => invalid(
            "movement",
            "movement_open",
            "Phong trào này không nhận báo cáo, đề nghị hay câu chuyện của đơn vị (đã kết thúc hoặc đơn vị không tham gia).",
            "This movement takes nothing from the unit (it has ended, or the unit does not take part).",
        ),
        ItemBody::Report(r) if form.is_some_and(|f| item.id != f.report_id(&r.period)) => invalid(
            "id",
            "report_id",
            "Mã báo cáo phải theo phong trào, đơn vị và kỳ.",
            "A report's id follows its movement, unit and period.",
        ),
        b if !item.id.starts_with(b.id_prefix()) || item.id.len() == b.id_prefix().len() => invalid(
            "id",
            "item_id_kind",
            "Mã mục không đúng loại (báo cáo rep-, khó khăn kk-, đề nghị dn-, gương gd-).",
            "The id does not match the item's kind (report rep-, difficulty kk-, nomination dn-, story gd-).",
        ),
        _ => None,
    }
}

/// A push as a whole: our protocol, at most `BATCH_MAX` items, a device id
/// of the item id shape.
pub fn check_batch(batch: &PushBatch) -> Result<(), FieldError> {
    if batch.protocol != PROTOCOL {
        return Err(FieldError::new(
            "protocol",
            "protocol",
            format!("Cần giao thức {PROTOCOL}."),
            format!("Expected protocol {PROTOCOL}."),
        ));
    }
    if batch.items.len() > BATCH_MAX {
        return Err(FieldError::new(
            "items",
            "batch_max",
            format!("Tối đa {BATCH_MAX} mục mỗi lần gửi."),
            format!("At most {BATCH_MAX} items per push."),
        ));
    }
    if !valid_item_id(&batch.device) {
        return Err(FieldError::new("device", "device_id", "Mã thiết bị không hợp lệ.", "Invalid device id."));
    }
    Ok(())
}

/// Everything the server checks on one pushed item before reading what it
/// holds: the id and rights (`check_push_item`), then the body, normalised
/// in place and validated against the unit's form. `None`: it may be written.
#[cfg(feature = "ssr")]
pub fn check_item(item: &mut PushItem, form: Option<&ReportForm>, own_unit: &str, today: super::date::Date) -> Option<Outcome> {
    check_push_item(item, form, own_unit).or_else(|| {
        item.body.normalize();
        let errors = item.body.validate(form, own_unit, today);
        (!errors.is_empty()).then_some(Outcome::Invalid { errors })
    })
}

/// What the server holds of an item, as the push rules read it.
#[derive(Clone, Copy, Debug)]
pub struct Held<'a> {
    pub unit: &'a str,
    pub kind: &'a str,
    pub revision: u32,
    pub base: u32,
    pub device: &'a str,
    pub status: ReviewStatus,
}

/// A revision of an item stored before, with its receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub sub: String,
    pub revision: u32,
    pub hash: String,
    pub server_time: String,
}

/// The server's answer to a pushed item, given what it holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Write it (over the held revision, if any).
    Write,
    /// Answer without writing.
    Answer(Outcome),
    /// Based on an old revision: answer with the held copy.
    Conflict,
}

/// How the server settles a pushed item with content hash `hash`, from the
/// revisions it has `seen` and the item as `held`: the same id, revision and
/// content again gets its first receipt; another unit's item is not this
/// unit's to change; an item keeps its kind; accepted is final; an edit
/// must start from the held revision, except that a phone may replace its
/// own revision it never saw acknowledged (the reply was lost, then the
/// person edited).
pub fn settle(item: &PushItem, hash: &str, seen: &[Seen], held: Option<Held<'_>>, device: &str, unit: &str) -> Verdict {
    let mine = held.is_none_or(|h| h.unit == unit);
    if let Some(s) = seen.iter().find(|s| mine && s.sub == item.id && s.revision == item.revision && s.hash == hash) {
        let status = held.map(|h| h.status).unwrap_or(ReviewStatus::Submitted);
        return Verdict::Answer(Outcome::Stored { receipt: Receipt { server_time: s.server_time.clone(), hash: s.hash.clone() }, status });
    }
    let invalid = |field: &str, rule: &str, vi: &str, en: &str| {
        Verdict::Answer(Outcome::Invalid { errors: vec![FieldError::new(field, rule, vi, en)] })
    };
    let Some(h) = held else {
        return if item.base == 0 {
            Verdict::Write
        } else {
            invalid("base", "base_exists", "Bản gốc không có trên máy chủ.", "The base revision is not on the server.")
        };
    };
    if !mine {
        return Verdict::Answer(Outcome::Denied { message: AppError::denied().to_string() });
    }
    if h.kind != item.body.kind() {
        return invalid("kind", "kind_fixed", "Một mục không đổi được loại.", "An item cannot change its kind.");
    }
    if h.status == ReviewStatus::Accepted {
        return invalid(
            "status",
            "accepted_is_final",
            "Báo cáo đã được tiếp nhận, không sửa được nữa.",
            "This report has been accepted; it can no longer change.",
        );
    }
    if h.revision == item.base || (h.device == device && h.base == item.base && h.revision < item.revision) {
        Verdict::Write
    } else {
        Verdict::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> PushBatch {
        PushBatch {
            protocol: PROTOCOL.into(),
            device: "d1".into(),
            items: vec![PushItem { id: "rep-x-2021-10".into(), revision: 1, base: 0, body: ItemBody::Report(ReportBody::default()) }],
        }
    }

    #[test]
    fn only_a_matching_reply_answers() {
        let b = batch();
        let ack = Ack { id: "rep-x-2021-10".into(), revision: 1, outcome: Outcome::Denied { message: String::new() } };
        let good = PushReply { protocol: PROTOCOL.into(), server_time: String::new(), acks: vec![ack.clone()] };
        assert!(good.answers(&b));
        assert!(!PushReply { protocol: "other".into(), ..good.clone() }.answers(&b));
        assert!(!PushReply { acks: vec![], ..good.clone() }.answers(&b));
        assert!(!PushReply { acks: vec![Ack { revision: 2, ..ack }], ..good }.answers(&b));
        // A captive portal's page is not even JSON.
        assert!(serde_json::from_str::<PushReply>("<html><body>Đăng nhập Wi-Fi</body></html>").is_err());
    }

    /// Unit `a`'s form in movement `m`, with nothing to fill in.
    fn empty_form(m: &str, ids: crate::domain::report::ReportIds) -> crate::domain::report::ReportForm {
        crate::domain::report::ReportForm {
            movement: m.into(),
            movement_name: String::new(),
            organiser_name: String::new(),
            report_ids: ids,
            unit: "a".into(),
            unit_name: "A".into(),
            criteria: vec![],
            indicators: vec![],
            periods: vec![],
            award_forms: vec![],
            eligibility: vec![],
            version: 1,
            earlier: vec![],
        }
    }

    #[test]
    fn each_id_shape_belongs_to_one_kind_and_a_reports_to_its_movement_unit_and_period() {
        use crate::domain::difficulty::DifficultyBody;
        use crate::domain::report::{ReportForm, ReportIds};
        let (scoped, unscoped) = (empty_form("m", ReportIds::Scoped), empty_form("m", ReportIds::Unscoped));
        let report = |unit: &str, movement: Option<&str>| {
            ItemBody::Report(ReportBody {
                unit: unit.into(),
                period: "2021-10".into(),
                movement: movement.map(Into::into),
                ..Default::default()
            })
        };
        let difficulty = ItemBody::Difficulty(DifficultyBody { unit: "a".into(), title: "t".into(), details: "d".into() });
        let item = |id: &str, body: &ItemBody| PushItem { id: id.into(), revision: 1, base: 0, body: body.clone() };
        let rule = |o: Option<Outcome>| match o {
            Some(Outcome::Invalid { errors }) => errors[0].rule.clone(),
            Some(Outcome::Denied { .. }) => "denied".into(),
            other => format!("{other:?}"),
        };
        let check = |i: &PushItem, f: &ReportForm| check_push_item(i, Some(f), "a");
        assert_eq!(check(&item("rep-m.a.2021-10", &report("a", Some("m"))), &scoped), None);
        // A phone of before movements were keyed names no movement.
        assert_eq!(check(&item("rep-m.a.2021-10", &report("a", None)), &scoped), None);
        assert_eq!(check(&item("rep-a-2021-10", &report("a", None)), &unscoped), None);
        assert_eq!(check(&item("rep-a-2021-10", &report("a", Some("m"))), &unscoped), None);
        assert_eq!(check(&item("kk-1f2e", &difficulty), &scoped), None);
        // The id of another movement, unit or scheme: never.
        assert_eq!(rule(check(&item("rep-a-2021-10", &report("a", Some("m"))), &scoped)), "report_id");
        assert_eq!(rule(check(&item("rep-m.a.2021-10", &report("a", None)), &unscoped)), "report_id");
        assert_eq!(rule(check(&item("rep-n.a.2021-10", &report("a", Some("n"))), &scoped)), "movement_open");
        assert_eq!(rule(check_push_item(&item("rep-m.a.2021-10", &report("a", Some("m"))), None, "a")), "movement_open");
        assert_eq!(rule(check(&item("rep-m.b.2021-10", &difficulty), &scoped)), "item_id_kind");
        assert_eq!(rule(check(&item("rep-m.b.2021-10", &report("a", None)), &scoped)), "report_id");
        assert_eq!(rule(check(&item("dn-1", &difficulty), &scoped)), "item_id_kind");
        assert_eq!(rule(check(&item("kk-", &difficulty), &scoped)), "item_id_kind");
        assert_eq!(rule(check(&item("rep-m.b.2021-10", &report("b", None)), &scoped)), "denied");
        assert_eq!(rule(check(&PushItem { base: 1, ..item("kk-1", &difficulty) }, &scoped)), "item_id");
    }

    #[test]
    fn an_item_goes_to_the_movement_it_names_else_to_the_one_old_phones_file_for() {
        use crate::domain::difficulty::DifficultyBody;
        use crate::domain::report::{ReportForm, ReportIds};
        let form = empty_form;
        let report = |m: Option<&str>| ItemBody::Report(ReportBody { unit: "a".into(), movement: m.map(Into::into), ..Default::default() });
        let difficulty = ItemBody::Difficulty(DifficultyBody { unit: "a".into(), title: "t".into(), details: "d".into() });
        let picked = |b: &ItemBody, forms: &[ReportForm]| form_for_item(b, forms).map(|f| f.movement.clone());
        // Newest first: a new scoped movement beside the one stored before keys.
        let both = [form("new", ReportIds::Scoped), form("old", ReportIds::Unscoped)];
        assert_eq!(picked(&report(Some("new")), &both).as_deref(), Some("new"));
        assert_eq!(picked(&report(Some("old")), &both).as_deref(), Some("old"));
        assert_eq!(picked(&report(None), &both).as_deref(), Some("old"));
        assert_eq!(picked(&difficulty, &both).as_deref(), Some("old"));
        assert_eq!(picked(&report(Some("closed")), &both), None);
        // Two scoped movements: the newest takes what names none.
        let scoped = [form("b", ReportIds::Scoped), form("a", ReportIds::Scoped)];
        assert_eq!(picked(&difficulty, &scoped).as_deref(), Some("b"));
        assert_eq!(picked(&report(None), &[]), None);
    }

    #[test]
    fn items_travel_as_tagged_json() {
        let s = serde_json::to_string(&batch().items[0]).unwrap();
        assert!(s.contains("\"kind\":\"report\""), "{s}");
        let back: PushItem = serde_json::from_str(&s).unwrap();
        assert_eq!(back, batch().items[0]);
    }
}
