use serde::{Deserialize, Serialize};

/// A validation failure that names the field and the rule it broke, with the
/// message a person reads (Vietnamese first, English second).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub rule: String,
    pub message_vi: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: impl Into<String>, message_vi: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self { field: field.into(), rule: rule.into(), message_vi: message_vi.into(), message_en: message_en.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]: {} / {}", self.field, self.rule, self.message_vi, self.message_en)
    }
}

impl std::error::Error for FieldError {}
