//! Emulation clusters and blocks (cụm, khối thi đua): groups of units that
//! compete with each other, each with a head unit (cụm trưởng).

use super::text::clean_line;
use super::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    /// Cụm: territorial units (communes, towns).
    Cluster,
    /// Khối: units of one sector (departments, organisations…).
    Block,
}

impl ClusterKind {
    pub fn code(self) -> &'static str {
        match self {
            ClusterKind::Cluster => "cluster",
            ClusterKind::Block => "block",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "cluster" => Some(ClusterKind::Cluster),
            "block" => Some(ClusterKind::Block),
            _ => None,
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            ClusterKind::Cluster => "Cụm thi đua",
            ClusterKind::Block => "Khối thi đua",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            ClusterKind::Cluster => "Cluster",
            ClusterKind::Block => "Block",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: String,
    pub name: String,
    pub kind: ClusterKind,
    /// The district (or province) that organises it.
    pub organiser: String,
    pub head: Option<String>,
    pub members: Vec<String>,
    pub demo: bool,
}

impl Cluster {
    pub fn validate(mut self) -> Result<Cluster, Vec<FieldError>> {
        let mut errors = Vec::new();
        // Cluster ids follow unit ids' rule (they appear in links and record
        // ids), never any text.
        if !super::unit::valid_unit_id(&self.id) {
            errors.push(FieldError::new(
                "id",
                "cluster_id_format",
                "Mã cụm, khối chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 64 ký tự).",
                "Cluster id: lower-case ASCII letters, digits and hyphens, at most 64 characters.",
            ));
        }
        match clean_line(&self.name, 200) {
            Ok(n) => self.name = n,
            Err(p) => errors.push(FieldError::new("name", p.rule(), p.message_vi("Tên cụm, khối"), p.message_en("Cluster name"))),
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.members.iter().find(|m| !seen.insert(m.as_str())) {
            errors.push(FieldError::new(
                "members",
                "unique_members",
                format!("Đơn vị {dup} có tên hai lần trong danh sách thành viên."),
                format!("Unit {dup} is listed twice among the members."),
            ));
        }
        if let Some(h) = &self.head {
            if !self.members.contains(h) {
                errors.push(FieldError::new(
                    "head",
                    "head_is_member",
                    "Đơn vị cụm trưởng phải là thành viên của cụm.",
                    "The head unit must be a member of the cluster.",
                ));
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cl(head: Option<&str>, members: &[&str]) -> Cluster {
        Cluster {
            id: "cum-1".into(),
            name: "Cụm thi đua số 1".into(),
            kind: ClusterKind::Cluster,
            organiser: "d611".into(),
            head: head.map(Into::into),
            members: members.iter().map(|s| s.to_string()).collect(),
            demo: true,
        }
    }

    #[test]
    fn head_must_be_a_member_and_members_unique() {
        assert!(cl(Some("x1"), &["x1", "x2"]).validate().is_ok());
        assert_eq!(cl(Some("x3"), &["x1", "x2"]).validate().unwrap_err()[0].rule, "head_is_member");
        assert_eq!(cl(None, &["x1", "x1"]).validate().unwrap_err()[0].rule, "unique_members");
    }

    /// Not any text is a cluster id.
    #[test]
    fn a_cluster_id_follows_the_unit_id_rule() {
        let mut c = cl(None, &["x1"]);
        c.id = "cụm 1\u{0}".into();
        let e = c.validate().unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].rule.as_str()), ("id", "cluster_id_format"));
    }
}
