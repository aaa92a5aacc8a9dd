//! The body of every error the API answers: `{"error": {"code", "message"}}`.

use schemars::JsonSchema;
use serde::Serialize;

/// An error: what failed, with a code that stays the same across versions and languages.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error's stable code and its message.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// In the request's language.
    pub message: String,
    /// Every problem of a record refused by a write (`invalid_record`), or each difference
    /// between the stored record and the request's (`conflict`), each at its field path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemEntry>,
}

/// One problem of a record, where it is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProblemEntry {
    /// The field path, as the document names it (`sectors[1].percentage`).
    pub path: String,
    /// The value at fault, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// In the request's language.
    pub message: String,
}

/// The stable codes of errors. `payload_too_large` and `unsupported_media_type` are answered
/// to the forms outside the API only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidParameter,
    UnknownValue,
    BadRequest,
    MethodNotAllowed,
    PayloadTooLarge,
    UriTooLong,
    Timeout,
    UnsupportedMediaType,
    InternalError,
    /// No valid session or API token, where one is needed.
    Unauthorized,
    /// Signed in, but the account's role or scope does not allow it; or a form without a
    /// valid anti-forgery token.
    Forbidden,
    /// Too many failed sign-ins: wait and try again.
    TooManyRequests,
    /// The record changed since the version the request started from.
    Conflict,
    /// The record sent breaks rules: `problems` lists each, at its field.
    InvalidRecord,
    /// The server cannot answer yet (the search index is being built): try again after
    /// `Retry-After` seconds.
    Unavailable,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 16] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidParameter,
        ErrorCode::UnknownValue,
        ErrorCode::BadRequest,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UriTooLong,
        ErrorCode::Timeout,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::InternalError,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::TooManyRequests,
        ErrorCode::Conflict,
        ErrorCode::InvalidRecord,
        ErrorCode::Unavailable,
    ];

    /// The code as the body writes it (for logs and tests).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::UnknownValue => "unknown_value",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UriTooLong => "uri_too_long",
            ErrorCode::Timeout => "timeout",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidRecord => "invalid_record",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_written_as_it_is_named() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).ok(), Some(serde_json::Value::from(code.as_str())));
        }
    }
}
