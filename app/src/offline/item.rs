//! An item as the phone keeps it, and the rules for how it changes: on an
//! edit, on submit, on the server's acknowledgement, on a pull. Plain Rust,
//! tested natively; the engine only stores and sends.

use crate::domain::sync::{Ack, ItemBody, Outcome, PushItem, Receipt, ReviewStatus, ServerItem};
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};

/// What a person sees next to an item (SPEC §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Draft,
    Waiting,
    Synced,
    Returned,
    Accepted,
    Error,
    Conflict,
}

impl ItemState {
    pub fn label_vi(self) -> &'static str {
        match self {
            ItemState::Draft => "Bản nháp",
            ItemState::Waiting => "Chờ gửi",
            ItemState::Synced => "Đã gửi",
            ItemState::Returned => "Bị trả lại",
            ItemState::Accepted => "Đã tiếp nhận",
            ItemState::Error => "Lỗi",
            ItemState::Conflict => "Xung đột",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            ItemState::Draft => "Draft",
            ItemState::Waiting => "Waiting to sync",
            ItemState::Synced => "Synced",
            ItemState::Returned => "Returned",
            ItemState::Accepted => "Accepted",
            ItemState::Error => "Error",
            ItemState::Conflict => "Conflict",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            ItemState::Draft => "draft",
            ItemState::Waiting => "waiting",
            ItemState::Synced => "synced",
            ItemState::Returned => "returned",
            ItemState::Accepted => "accepted",
            ItemState::Error => "error",
            ItemState::Conflict => "conflict",
        }
    }
    fn of(status: ReviewStatus) -> ItemState {
        match status {
            ReviewStatus::Submitted => ItemState::Synced,
            ReviewStatus::Returned => ItemState::Returned,
            ReviewStatus::Accepted => ItemState::Accepted,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalItem {
    pub id: String,
    /// This phone's revision of the item.
    pub revision: u32,
    /// The newest revision the server acknowledged (0: none).
    pub acked: u32,
    /// A push of `revision` went out and its answer never came: the server
    /// may hold it, so the next edit must be a new revision.
    pub in_doubt: bool,
    #[serde(flatten)]
    pub body: ItemBody,
    pub state: ItemState,
    pub receipt: Option<Receipt>,
    pub errors: Vec<FieldError>,
    /// The server's copy when the item is in conflict.
    pub server: Option<ServerItem>,
    pub return_comment: Option<String>,
    /// The district's answer to a difficulty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// The organiser's appraisal of a report, per criterion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appraisal: Vec<crate::domain::review::Appraisal>,
}

impl LocalItem {
    pub fn new(id: String, body: ItemBody) -> Self {
        LocalItem {
            id,
            revision: 1,
            acked: 0,
            in_doubt: false,
            body,
            state: ItemState::Draft,
            receipt: None,
            errors: Vec::new(),
            server: None,
            return_comment: None,
            answer: None,
            appraisal: Vec::new(),
        }
    }

    fn from_server(s: ServerItem) -> Self {
        LocalItem {
            id: s.id.clone(),
            revision: s.revision,
            acked: s.revision,
            in_doubt: false,
            body: s.body.clone(),
            state: ItemState::of(s.status),
            receipt: Some(s.receipt.clone()),
            errors: Vec::new(),
            server: None,
            return_comment: s.return_comment.clone(),
            answer: s.answer.clone(),
            appraisal: s.appraisal.clone(),
        }
    }

    /// Whether the person may still change it.
    pub fn editable(&self) -> bool {
        !matches!(self.state, ItemState::Accepted | ItemState::Conflict)
    }

    /// The person changed the content.
    pub fn edit(&mut self, body: ItemBody) {
        if body == self.body {
            return;
        }
        if self.revision == self.acked || self.in_doubt {
            self.revision += 1;
            self.in_doubt = false;
        }
        self.body = body;
        if self.state != ItemState::Waiting {
            self.state = ItemState::Draft;
        }
        self.errors.clear();
    }

    /// The person pressed "send": it waits for the next sync.
    pub fn submit(&mut self) {
        if self.revision == self.acked {
            // Resubmitting unchanged content after a return: a new revision.
            self.revision += 1;
        }
        self.state = ItemState::Waiting;
        self.errors.clear();
    }

    pub fn push_item(&self) -> PushItem {
        PushItem { id: self.id.clone(), revision: self.revision, base: self.acked.min(self.revision - 1), body: self.body.clone() }
    }

    /// The server's answer about `ack.revision`.
    pub fn acknowledge(&mut self, ack: &Ack) {
        if ack.revision != self.revision {
            // Edited while the push was out: that revision is the server's
            // now; the newer one still waits. Whether a push of the newer
            // one is out too (`in_doubt`) this answer does not say: were it
            // cleared, the next edit would reuse a revision already sent
            // with other content, and that push's receipt would pass for it.
            if let Outcome::Stored { .. } = ack.outcome {
                self.acked = self.acked.max(ack.revision);
            }
            return;
        }
        self.in_doubt = false;
        match &ack.outcome {
            Outcome::Stored { receipt, status } => {
                self.acked = self.revision;
                self.receipt = Some(receipt.clone());
                self.state = ItemState::of(*status);
                self.errors.clear();
                self.server = None;
                if *status == ReviewStatus::Submitted {
                    self.return_comment = None;
                }
            }
            // The phone already holds exactly the server's copy (it took it
            // while an older push of its own was still out): nothing to
            // choose between, and choosing "mine" would store the same edit
            // again under a new revision.
            Outcome::Conflict { server } if server.body == self.body => *self = LocalItem::from_server((**server).clone()),
            Outcome::Conflict { server } => {
                self.state = ItemState::Conflict;
                self.server = Some((**server).clone());
            }
            Outcome::Invalid { errors } => {
                self.state = ItemState::Error;
                self.errors = errors.clone();
            }
            // Files still to upload: it waits, unchanged, for the next
            // sync, which sends the files first.
            Outcome::Missing { .. } => self.state = ItemState::Waiting,
            Outcome::Denied { message } => {
                self.state = ItemState::Error;
                self.errors = vec![FieldError::new("", "denied", message.clone(), message.clone())];
            }
        }
    }

    /// Resolves a conflict by keeping this phone's version: it goes again,
    /// based on the server's revision.
    pub fn keep_mine(&mut self) {
        if let Some(s) = self.server.take() {
            self.acked = s.revision;
            self.revision = s.revision + 1;
            self.in_doubt = false;
            self.state = ItemState::Waiting;
        }
    }

    /// Resolves a conflict by taking the server's version.
    pub fn take_theirs(&mut self) {
        if let Some(s) = self.server.take() {
            *self = LocalItem::from_server(s);
        }
    }

    /// A pulled server copy: it replaces the phone's copy unless the phone
    /// holds changes the server has not seen.
    pub fn merge_pulled(local: Option<LocalItem>, s: ServerItem) -> Option<LocalItem> {
        match local {
            None => Some(LocalItem::from_server(s)),
            Some(l) if l.revision == l.acked && s.revision >= l.acked && l.state != ItemState::Conflict => {
                let mut n = LocalItem::from_server(s);
                if n.revision == l.revision
                    && n.state == l.state
                    && n.return_comment == l.return_comment
                    && n.answer == l.answer
                    && n.appraisal == l.appraisal
                {
                    return None;
                }
                n.in_doubt = false;
                Some(n)
            }
            Some(mut l) if l.in_doubt && s.revision == l.revision && s.body != l.body => {
                // The server's revision of that number is another phone's
                // (ours never arrived, or lost the race): a conflict, not an
                // acknowledgement, or what this phone holds would be dropped.
                // (A body the server only normalised differently lands here
                // too: the person is asked, nothing is lost.)
                l.in_doubt = false;
                l.state = ItemState::Conflict;
                l.server = Some(s);
                Some(l)
            }
            Some(mut l) if l.in_doubt && s.revision == l.revision => {
                // The lost reply's revision is on the server: acknowledged.
                l.acked = s.revision;
                l.in_doubt = false;
                l.receipt = Some(s.receipt);
                if l.state == ItemState::Waiting {
                    l.state = ItemState::of(s.status);
                }
                Some(l)
            }
            Some(_) => None,
        }
    }

    pub fn pending(&self) -> bool {
        self.state == ItemState::Waiting
    }

    /// Work the server does not hold yet: waiting to sync, or still with the
    /// person (a draft, an item the server refused, a conflict to settle).
    /// Signing out of a shared phone removes it, so it is counted first.
    pub fn unsent(&self) -> bool {
        unsent(self.state)
    }
}

/// The files of `sent` (the server has them whole) the phone need not keep:
/// every item naming one holds, on the server, the revision the phone has,
/// so it was stored with its files checked there. A file no item names is
/// left alone (it may be on its way into a form).
pub fn files_done_with(items: &[LocalItem], sent: &[String]) -> Vec<String> {
    sent.iter()
        .filter(|h| {
            let mut naming = items.iter().filter(|i| i.body.files().iter().any(|f| &f.hash == *h)).peekable();
            naming.peek().is_some() && naming.all(|i| !i.unsent() && !i.in_doubt && i.acked >= i.revision)
        })
        .cloned()
        .collect()
}

/// `LocalItem::unsent`, from the state alone (what the sign-out panel reads).
pub fn unsent(state: ItemState) -> bool {
    matches!(state, ItemState::Draft | ItemState::Waiting | ItemState::Error | ItemState::Conflict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::ReportBody;

    fn body(a: &str) -> ItemBody {
        ItemBody::Report(ReportBody { unit: "x".into(), period: "2021-10".into(), achievements: a.into(), ..Default::default() })
    }
    /// The server's copy at `revision`, submitted, with `text`.
    fn server_copy(revision: u32, text: &str) -> ServerItem {
        ServerItem {
            id: "r".into(),
            revision,
            body: body(text),
            status: ReviewStatus::Submitted,
            receipt: Receipt { server_time: "t".into(), hash: "h".into() },
            return_comment: None,
            answer: None,
            appraisal: Vec::new(),
        }
    }
    fn stored(rev: u32) -> Ack {
        Ack {
            id: "r".into(),
            revision: rev,
            outcome: Outcome::Stored { receipt: Receipt { server_time: "t".into(), hash: "h".into() }, status: ReviewStatus::Submitted },
        }
    }

    #[test]
    fn a_new_item_goes_as_revision_one_on_nothing() {
        let mut i = LocalItem::new("r".into(), body("a"));
        i.edit(body("ab"));
        i.submit();
        assert_eq!((i.push_item().revision, i.push_item().base), (1, 0));
        i.acknowledge(&stored(1));
        assert_eq!(i.state, ItemState::Synced);
        i.edit(body("abc"));
        assert_eq!((i.push_item().revision, i.push_item().base), (2, 1), "an edit after sync is a new revision on the last");
    }

    #[test]
    fn an_edit_after_a_lost_reply_is_a_new_revision_on_the_same_base() {
        let mut i = LocalItem::new("r".into(), body("a"));
        i.submit();
        i.in_doubt = true; // pushed, no answer
        i.edit(body("b"));
        i.submit();
        assert_eq!((i.push_item().revision, i.push_item().base), (2, 0));
        // The late answer about revision 1 does not mark revision 2 synced.
        i.acknowledge(&stored(1));
        assert_eq!(i.state, ItemState::Waiting);
        assert_eq!(i.push_item().base, 1);
    }

    #[test]
    fn an_item_whose_files_have_not_arrived_waits_unchanged() {
        let mut i = LocalItem::new("r".into(), body("a"));
        i.submit();
        i.in_doubt = true;
        i.acknowledge(&Ack { id: "r".into(), revision: 1, outcome: Outcome::Missing { files: vec!["ab".repeat(32)] } });
        assert_eq!((i.state, i.in_doubt, i.acked), (ItemState::Waiting, false, 0));
        assert!(i.pending(), "it goes again once its files are up");
        assert_eq!((i.push_item().revision, i.push_item().base), (1, 0), "the same revision: nothing was written");
    }

    #[test]
    fn conflicts_resolve_either_way() {
        let theirs = server_copy(3, "server");
        let mut i = LocalItem::new("r".into(), body("mine"));
        i.submit();
        i.acknowledge(&Ack { id: "r".into(), revision: 1, outcome: Outcome::Conflict { server: Box::new(theirs.clone()) } });
        assert_eq!(i.state, ItemState::Conflict);
        assert!(!i.editable());
        let mut keep = i.clone();
        keep.keep_mine();
        assert_eq!((keep.push_item().revision, keep.push_item().base, keep.state), (4, 3, ItemState::Waiting));
        assert_eq!(keep.body, body("mine"));
        i.take_theirs();
        assert_eq!((i.revision, i.state), (3, ItemState::Synced));
        assert_eq!(i.body, body("server"));
    }

    #[test]
    fn an_answer_about_an_older_revision_leaves_a_newer_push_in_doubt() {
        // The sync model's shrunk case: revision 1 goes out and is held up;
        // an edit makes revision 2, which goes out too; the answer about 1
        // arrives; then another edit. It must be revision 3: revision 2 is
        // out with other content, and its receipt must not pass for this.
        let mut i = LocalItem::new("r".into(), body("a"));
        i.submit();
        i.in_doubt = true;
        i.edit(body("c"));
        i.submit();
        assert_eq!(i.push_item().revision, 2);
        i.in_doubt = true;
        i.acknowledge(&stored(1));
        i.edit(body("d"));
        assert_eq!((i.push_item().revision, i.push_item().base), (3, 1));
        i.acknowledge(&stored(2));
        assert_eq!(i.state, ItemState::Waiting, "the receipt for revision 2 (\"c\") does not cover \"d\"");
    }

    #[test]
    fn a_late_conflict_about_a_copy_already_taken_is_no_conflict() {
        // The sync model's shrunk case: this phone's push of "mine" is held up;
        // it pulls the other phone's revision 1 and takes it; then the late
        // answer to its own push says "conflict", carrying that same copy.
        let theirs = server_copy(1, "theirs");
        let mut i = LocalItem::from_server(theirs.clone());
        i.acknowledge(&Ack { id: "r".into(), revision: 1, outcome: Outcome::Conflict { server: Box::new(theirs) } });
        assert_eq!((i.state, i.revision, i.acked), (ItemState::Synced, 1, 1));
        assert!(!i.pending(), "nothing is sent again");
    }

    #[test]
    fn pulls_never_overwrite_unsent_work() {
        let s =
            ServerItem {
                status: ReviewStatus::Returned, return_comment: Some("Bổ sung minh chứng".into()), ..server_copy(1, "server")
            };
        let mut mine = LocalItem::new("r".into(), body("a"));
        mine.acknowledge(&stored(1));
        let pulled = LocalItem::merge_pulled(Some(mine.clone()), s.clone()).expect("a status change is taken");
        assert_eq!(pulled.state, ItemState::Returned);
        assert_eq!(pulled.return_comment.as_deref(), Some("Bổ sung minh chứng"));
        mine.edit(body("edited offline"));
        assert!(LocalItem::merge_pulled(Some(mine), s).is_none(), "unsent edits stay");
    }

    /// Two phones create the same report (a case from the sync model test,
    /// server/tests/sync_model.rs); phone B's push is lost on the way out, phone
    /// A's arrives as revision 1; B's next pull must not take A's revision 1
    /// as the receipt for its own.
    #[test]
    fn a_pulled_revision_with_someone_elses_content_is_a_conflict_not_a_receipt() {
        let theirs = server_copy(1, "phone A");
        let mut mine = LocalItem::new("r".into(), body("phone B"));
        mine.submit();
        mine.in_doubt = true; // the push went out; no answer came
        let merged = LocalItem::merge_pulled(Some(mine.clone()), theirs.clone()).expect("the phone is told");
        assert_eq!(
            (merged.state, merged.body.clone(), merged.server.as_ref().map(|s| s.body.clone())),
            (ItemState::Conflict, body("phone B"), Some(body("phone A")))
        );
        let mut keep = merged.clone();
        keep.keep_mine();
        assert_eq!((keep.push_item().revision, keep.push_item().base), (2, 1), "kept: goes again on the server's revision");

        // Its own revision on the server (the reply was lost): acknowledged.
        let own = ServerItem { body: body("phone B"), ..theirs };
        let merged = LocalItem::merge_pulled(Some(mine), own).unwrap();
        assert_eq!((merged.acked, merged.in_doubt, merged.state), (1, false, ItemState::Synced));
    }

    #[test]
    fn an_appraisal_made_after_the_phone_synced_reaches_it() {
        let mut l = LocalItem::new("r".into(), body("a"));
        l.submit();
        l.acknowledge(&stored(1));
        let plain = server_copy(1, "a");
        assert_eq!(LocalItem::merge_pulled(Some(l.clone()), plain.clone()), None, "nothing new");
        let appraised = ServerItem {
            appraisal: vec![crate::domain::review::Appraisal {
                area: "chi-dao".into(),
                points: 15.0,
                reason: "Thiếu nghị quyết chuyên đề".into(),
                by: String::new(),
                at: "t".into(),
            }],
            ..plain
        };
        let got = LocalItem::merge_pulled(Some(l), appraised).expect("the appraisal is news");
        assert_eq!((got.appraisal.len(), got.appraisal[0].points), (1, 15.0));
    }

    #[test]
    fn a_file_is_dropped_from_the_phone_once_every_item_naming_it_is_stored_with_it() {
        use crate::domain::attachment::{FileKind, FileRef};
        let photo = |h: &str| FileRef { hash: h.repeat(64), name: "a.jpg".into(), kind: FileKind::Jpeg, size: 9, area: None };
        let with = |id: &str, files: Vec<FileRef>| {
            let mut b = ReportBody { unit: "x".into(), period: "2021-10".into(), ..Default::default() };
            b.files = files;
            LocalItem::new(id.into(), ItemBody::Report(b))
        };
        let (a, b) = (photo("a"), photo("b"));
        let sent = vec![a.hash.clone(), b.hash.clone()];
        let mut one = with("r", vec![a.clone(), b.clone()]);
        let mut two = with("s", vec![b.clone()]);
        one.submit();
        two.submit();
        // Waiting to be pushed: both kept.
        assert!(files_done_with(&[one.clone(), two.clone()], &sent).is_empty());
        one.acknowledge(&stored(1));
        // `a` is stored with its only item; `b` is still named by a waiting one.
        assert_eq!(files_done_with(&[one.clone(), two.clone()], &sent), vec![a.hash.clone()]);
        // Not yet on the server whole: kept whatever the items say.
        assert!(files_done_with(std::slice::from_ref(&one), &[]).is_empty());
        // An edit makes a new revision the server does not hold: kept again.
        let mut changed = one.body.clone();
        if let ItemBody::Report(r) = &mut changed {
            r.achievements = "thêm".into();
        }
        one.edit(changed);
        assert!(files_done_with(&[one, two], &sent).is_empty());
        // A file no item names (being added to a form) is left alone.
        assert!(files_done_with(&[], &sent).is_empty());
    }
}
