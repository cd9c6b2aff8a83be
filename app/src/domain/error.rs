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

/// What kind of failure a person or a client gets: the client matches on
/// this, never on a message's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No session, or it has ended: sign in (again).
    SignInNeeded,
    /// A username and password that do not match.
    WrongPassword,
    /// Signed in, but not this account's to read or write.
    Denied,
    /// A request the server cannot decode (not a form or JSON it takes).
    BadRequest,
    /// The input breaks rules; `errors` name each field and rule.
    Invalid,
    /// Changed by someone else meanwhile: reload and try again.
    Conflict,
    /// Nothing by that name (within what the account may see).
    NotFound,
    /// Too many tries: wait and try again.
    TooMany,
    /// The server cannot do it now (its database not ready); later may work.
    Unavailable,
    /// An unexpected failure on the server (logged there).
    Internal,
    /// The request did not reach the server, or its answer was unreadable.
    Network,
}

impl ErrorKind {
    /// The HTTP status an answer of this kind carries.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::SignInNeeded | ErrorKind::WrongPassword => 401,
            ErrorKind::BadRequest => 400,
            ErrorKind::Denied => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Invalid => 422,
            ErrorKind::TooMany => 429,
            ErrorKind::Internal => 500,
            ErrorKind::Network => 502,
            ErrorKind::Unavailable => 503,
        }
    }
}

/// The one error type of the app's server functions, on the server and in
/// the WASM alike: a kind to match on, the field errors of an invalid
/// input, and the words a person reads (Vietnamese first, English second),
/// all written here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub kind: ErrorKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    pub message_vi: String,
    pub message_en: String,
}

impl AppError {
    fn new(kind: ErrorKind, vi: impl Into<String>, en: impl Into<String>) -> Self {
        AppError { kind, errors: Vec::new(), message_vi: vi.into(), message_en: en.into() }
    }

    pub fn sign_in_needed() -> Self {
        Self::new(ErrorKind::SignInNeeded, "Cần đăng nhập.", "Please sign in.")
    }

    pub fn wrong_password() -> Self {
        Self::new(ErrorKind::WrongPassword, "Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password.")
    }

    /// The same words for a role, a unit or an id, so a probe learns nothing
    /// about what exists.
    pub fn denied() -> Self {
        Self::new(ErrorKind::Denied, "Tài khoản không có quyền này.", "Not allowed for this account.")
    }

    /// A display link that is wrong or revoked.
    pub fn display_link() -> Self {
        Self::new(ErrorKind::Denied, "Đường dẫn màn hình không hợp lệ hoặc đã bị thu hồi.", "This display link is invalid or revoked.")
    }

    /// Field errors; the message lists them.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let vi = errors.iter().map(|e| format!("{}: {}", e.field, e.message_vi)).collect::<Vec<_>>().join("; ");
        let en = errors.iter().map(|e| format!("{}: {}", e.field, e.message_en)).collect::<Vec<_>>().join("; ");
        AppError { errors, ..Self::new(ErrorKind::Invalid, vi, en) }
    }

    /// One field error.
    pub fn field(field: &str, rule: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError::new(field, rule, vi, en)])
    }

    /// A request that cannot be decoded: `detail` is the decoder's words,
    /// `vi` the same said for a person.
    pub fn bad_request(vi: &str, detail: &str) -> Self {
        Self::new(ErrorKind::BadRequest, format!("Yêu cầu không hợp lệ: {vi}"), format!("Invalid request: {detail}"))
    }

    pub fn conflict() -> Self {
        Self::new(
            ErrorKind::Conflict,
            "Dữ liệu vừa được người khác thay đổi; vui lòng tải lại.",
            "Changed by someone else meanwhile; please reload.",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorKind::NotFound, format!("Không tìm thấy: {what}"), format!("Not found: {what}"))
    }

    pub fn too_many(wait_secs: u64) -> Self {
        Self::new(
            ErrorKind::TooMany,
            format!("Đăng nhập sai nhiều lần; vui lòng thử lại sau {wait_secs} giây."),
            format!("Too many failed tries; try again in {wait_secs} seconds."),
        )
    }

    pub fn unavailable(vi: &str, en: &str) -> Self {
        Self::new(ErrorKind::Unavailable, vi, en)
    }

    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, "Lỗi máy chủ, vui lòng thử lại.", "Server error, please retry.")
    }

    pub fn network() -> Self {
        Self::new(ErrorKind::Network, "Không kết nối được máy chủ.", "Could not reach the server.")
    }

    /// The message in Vietnamese (`vi`) or English.
    pub fn message(&self, vi: bool) -> &str {
        if vi {
            &self.message_vi
        } else {
            &self.message_en
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.message_vi, self.message_en)
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_status_and_crosses_the_wire_whole() {
        let e = AppError::field("points", "range", "Điểm từ 0 đến 10.", "Points from 0 to 10.");
        assert_eq!(e.kind.http_status(), 422);
        assert_eq!(e.message_vi, "points: Điểm từ 0 đến 10.");
        let wire = serde_json::to_string(&e).unwrap();
        assert!(wire.starts_with(r#"{"kind":"invalid","errors":[{"field":"points""#), "{wire}");
        assert_eq!(serde_json::from_str::<AppError>(&wire).unwrap(), e);
        let statuses: Vec<u16> =
            [AppError::sign_in_needed(), AppError::denied(), AppError::not_found("x"), AppError::conflict(), AppError::too_many(3)]
                .iter()
                .map(|e| e.kind.http_status())
                .collect();
        assert_eq!(statuses, [401, 403, 404, 409, 429]);
    }
}
