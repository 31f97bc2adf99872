//! Host-neutral HTTP request and response, with header, media-type and query-string helpers.
//!
//! Bodies: requests with a body must declare `application/scim+json` or `application/json`
//! (any `+json` suffix and parameters such as `charset` are accepted), or no `Content-Type`
//! at all; any other declared media type is answered with 415 (RFC 7644 §3.1 and §3.8 make
//! JSON the only representation; HTTP gives 415 for the rest). Responses with a body are always
//! `application/scim+json; charset=utf-8`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::Value;

use crate::error::ScimError;

/// The media type of every SCIM response body (RFC 7644 §8.1).
pub const SCIM_CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// Any other method (always 405).
    Other,
}

impl Method {
    /// The method named `name` (ASCII case-insensitive, as some clients send `Patch`).
    pub fn parse(name: &str) -> Method {
        const ALL: [(&str, Method); 5] = [
            ("GET", Method::Get),
            ("POST", Method::Post),
            ("PUT", Method::Put),
            ("PATCH", Method::Patch),
            ("DELETE", Method::Delete),
        ];
        ALL.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or(Method::Other, |(_, m)| *m)
    }

    /// The method's canonical upper-case name (`OTHER` for unknown methods).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Other => "OTHER",
        }
    }
}

/// A request as the host received it, relative to the SCIM base path.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The absolute base URL of this tenant's SCIM API, e.g. `https://h/acme/scim/v2`
    /// (used for `meta.location`, `Location` and `$ref`; a trailing `/` is ignored).
    pub base_url: &'a str,
    /// The path below the base path, e.g. `/Users/123`, still percent-encoded.
    pub path: &'a str,
    /// The raw query string without `?`, still percent-encoded.
    pub query: &'a str,
    /// The request headers as (name, value) pairs; names are compared case-insensitively.
    pub headers: &'a [(String, String)],
    /// The raw request body (empty when none).
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// The first header named `name` (ASCII case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The base URL without a trailing `/`.
    pub fn base(&self) -> &'a str {
        self.base_url.trim_end_matches('/')
    }

    /// Checks the declared body media type: JSON or absent is fine, anything else is 415.
    pub fn check_content_type(&self) -> Result<(), ScimError> {
        match self.header("content-type") {
            Some(ct) if !is_json_media_type(ct) => {
                Err(ScimError::UnsupportedMediaType(ct.to_string()))
            }
            _ => Ok(()),
        }
    }

    /// The body parsed as JSON (after the media-type check): invalid JSON is `invalidSyntax`.
    pub fn json_body(&self) -> Result<Value, ScimError> {
        self.check_content_type()?;
        serde_json::from_slice(self.body)
            .map_err(|e| ScimError::InvalidSyntax(alloc::format!("request body is not JSON: {e}")))
    }
}

/// Whether a `Content-Type` value names a JSON media type (`application/json`,
/// `application/scim+json` or any `+json` type; parameters ignored).
pub fn is_json_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((top, sub)) = essence.split_once('/') else {
        return false;
    };
    let sub = sub.trim();
    top.trim().eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json")
            || sub.len() > 5
                && sub
                    .get(sub.len() - 5..)
                    .is_some_and(|s| s.eq_ignore_ascii_case("+json")))
}

/// A response for the host to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers as (name, value) pairs.
    pub headers: Vec<(String, String)>,
    /// The response body (empty for 204 and 304).
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status`, no headers and no body.
    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A SCIM JSON response with `status` and `body`.
    pub fn json(status: u16, body: &Value) -> Response {
        Response {
            status,
            headers: alloc::vec![("Content-Type".into(), SCIM_CONTENT_TYPE.into())],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// The SCIM error response for `err` (RFC 7644 §3.12), with `Retry-After` when relevant.
    pub fn error(err: &ScimError) -> Response {
        let response = Response::json(err.status(), &err.to_json());
        match err {
            ScimError::TooManyRequests { retry_after } => {
                response.with_header("Retry-After", &retry_after.to_string())
            }
            _ => response,
        }
    }

    /// This response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first header named `name` (ASCII case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (`Value::Null` when empty or not JSON).
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Percent-decodes `text`; with `plus_as_space`, `+` means a space (query strings).
///
/// Malformed escapes are kept literally; a result that is not UTF-8 is `invalidSyntax`.
pub fn percent_decode(text: &str, plus_as_space: bool) -> Result<String, ScimError> {
    if !text
        .bytes()
        .any(|b| b == b'%' || (plus_as_space && b == b'+'))
    {
        return Ok(text.into());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes
                    .get(i + 1)
                    .and_then(|h| hex_value(*h))
                    .zip(bytes.get(i + 2).and_then(|l| hex_value(*l)));
                if let Some((h, l)) = hex {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_as_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| ScimError::InvalidSyntax("percent-encoded text is not UTF-8".into()))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The decoded `name=value` pairs of a query string, in order (empty pairs skipped).
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ScimError> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(name, true)?, percent_decode(value, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_parse_is_case_insensitive_and_unknown_is_other() {
        assert_eq!(Method::parse("PATCH"), Method::Patch);
        assert_eq!(Method::parse("patch"), Method::Patch);
        assert_eq!(Method::parse("HEAD"), Method::Other);
        assert_eq!(Method::Delete.as_str(), "DELETE");
    }

    #[test]
    fn header_lookup_ignores_case() {
        let headers = [("If-Match".to_string(), "W/\"1\"".to_string())];
        let req = Request {
            method: Method::Get,
            base_url: "http://h/scim/v2/",
            path: "/Users",
            query: "",
            headers: &headers,
            body: b"",
        };
        assert_eq!(req.header("if-match"), Some("W/\"1\""));
        assert_eq!(req.header("etag"), None);
        assert_eq!(req.base(), "http://h/scim/v2");
    }

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json_media_type("application/scim+json"));
        assert!(is_json_media_type("application/scim+json; charset=utf-8"));
        assert!(is_json_media_type("Application/JSON"));
        assert!(!is_json_media_type("text/plain"));
        assert!(!is_json_media_type("application/x-www-form-urlencoded"));
        assert!(!is_json_media_type("application/+json"));
        assert!(!is_json_media_type("json"));
    }

    #[test]
    fn non_json_body_is_415_and_bad_json_is_invalid_syntax() {
        let headers = [("Content-Type".to_string(), "text/plain".to_string())];
        let mut req = Request {
            method: Method::Post,
            base_url: "http://h",
            path: "/Users",
            query: "",
            headers: &headers,
            body: b"{}",
        };
        assert_eq!(req.json_body().map_err(|e| e.status()), Err(415));
        req.headers = &[];
        req.body = b"{nope";
        let err = req.json_body().unwrap_err();
        assert_eq!(err.scim_type(), Some(crate::ScimType::InvalidSyntax));
    }

    #[test]
    fn percent_decoding_handles_escapes_plus_and_malformed_input() {
        assert_eq!(
            percent_decode("userName%20eq%20%22a%2Bb%40x.com%22", true).unwrap(),
            "userName eq \"a+b@x.com\""
        );
        assert_eq!(percent_decode("a+b", true).unwrap(), "a b");
        assert_eq!(percent_decode("a+b", false).unwrap(), "a+b");
        assert_eq!(percent_decode("100%", true).unwrap(), "100%");
        assert_eq!(percent_decode("%zz%4", true).unwrap(), "%zz%4");
        assert_eq!(percent_decode("%C3%A9", true).unwrap(), "é");
        assert!(percent_decode("%C3", true).is_err());
    }

    #[test]
    fn query_pairs_decode_names_and_values() {
        let pairs = query_pairs("filter=userName+eq+%22bjensen%22&&count=10&flag").unwrap();
        assert_eq!(
            pairs,
            [
                ("filter".into(), "userName eq \"bjensen\"".into()),
                ("count".into(), "10".into()),
                ("flag".into(), String::new()),
            ]
        );
    }

    #[test]
    fn error_response_is_scim_json_with_retry_after_on_429() {
        let resp = Response::error(&ScimError::TooManyRequests { retry_after: 3 });
        assert_eq!(resp.status, 429);
        assert_eq!(resp.header("retry-after"), Some("3"));
        assert_eq!(resp.header("content-type"), Some(SCIM_CONTENT_TYPE));
        assert_eq!(resp.json_body()["status"], "429");
    }
}
