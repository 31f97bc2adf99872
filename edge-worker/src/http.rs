//! Responses of the host: SCIM error bodies, JSON bodies, and the failure type of handlers.

use scim_core::ScimError;
use serde_json::Value;
use worker::{Headers, Method, Request, Response};

/// Why a handler did not produce its normal response.
#[derive(Debug)]
pub enum Failure {
    /// A SCIM error, answered with its status and error body.
    Scim(ScimError),
    /// Missing or rejected credentials: 401 with a `WWW-Authenticate` challenge;
    /// `token_presented` adds RFC 6750's `error="invalid_token"`.
    Unauthorized {
        /// Whether the request carried a bearer token at all.
        token_presented: bool,
    },
    /// The runtime (KV, D1, Web Crypto) failed: 500.
    Runtime(worker::Error),
}

impl From<ScimError> for Failure {
    fn from(e: ScimError) -> Self {
        Failure::Scim(e)
    }
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        Failure::Runtime(e)
    }
}

impl From<wasm_bindgen::JsValue> for Failure {
    fn from(e: wasm_bindgen::JsValue) -> Self {
        Failure::Runtime(e.into())
    }
}

impl From<worker::KvError> for Failure {
    fn from(e: worker::KvError) -> Self {
        Failure::Runtime(e.into())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Runtime(e.into())
    }
}

/// Result of a request handler.
pub type Outcome = Result<Response, Failure>;

impl Failure {
    /// The HTTP response for this failure.
    pub fn into_response(self) -> Response {
        match self {
            Failure::Scim(e) => scim_error(&e),
            Failure::Unauthorized { token_presented } => {
                let challenge = if token_presented {
                    "Bearer realm=\"scim\", error=\"invalid_token\""
                } else {
                    "Bearer realm=\"scim\""
                };
                let detail = if token_presented {
                    "invalid or expired bearer token"
                } else {
                    "missing bearer token (Authorization: Bearer <token>)"
                };
                let response = scim_error(&ScimError::Unauthorized(detail.into()));
                // Setting a header on a response built here cannot fail; keep the 401 if it did.
                let _ = response.headers().set("WWW-Authenticate", challenge);
                response
            }
            Failure::Runtime(e) => {
                worker::console_error!("runtime failure: {e}");
                scim_error(&ScimError::Storage(
                    "the service failed; retry later".into(),
                ))
            }
        }
    }
}

/// A response with `status`, a JSON `body` and the given content type.
pub fn json(status: u16, body: &Value, content_type: &str) -> Response {
    let headers = Headers::new();
    let _ = headers.set("Content-Type", content_type);
    Response::builder()
        .with_status(status)
        .with_headers(headers)
        .fixed(body.to_string().into_bytes())
}

/// The SCIM error response for `e` (with `Retry-After` on 429), as core shapes it.
pub fn scim_error(e: &ScimError) -> Response {
    from_core(scim_core::service::Response::error(e))
}

/// The Worker response for a core service response.
pub fn from_core(response: scim_core::service::Response) -> Response {
    let headers = Headers::new();
    for (name, value) in &response.headers {
        let _ = headers.append(name, value);
    }
    let builder = Response::builder()
        .with_status(response.status)
        .with_headers(headers);
    if response.body.is_empty() {
        builder.empty()
    } else {
        builder.fixed(response.body)
    }
}

/// The request's method as sent, or `None` for one workers-rs does not know (its
/// `Request::method` reads those, PROPFIND for one, as GET).
pub fn sent_method(req: &Request) -> Option<Method> {
    let method = req.method();
    req.inner()
        .method()
        .eq_ignore_ascii_case(method.as_ref())
        .then_some(method)
}

/// The parts of an absolute request URL: origin (`scheme://host[:port]`), path, query.
pub fn split_url(url: &str) -> (&str, &str, &str) {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[host_start..]
        .find('/')
        .map_or(url.len(), |i| host_start + i);
    let (origin, rest) = url.split_at(path_start);
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    (origin, path, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_url_separates_origin_path_and_query() {
        assert_eq!(
            split_url("http://127.0.0.1:8787/scim/v2/Users?filter=a%20eq%201"),
            (
                "http://127.0.0.1:8787",
                "/scim/v2/Users",
                "filter=a%20eq%201"
            )
        );
        assert_eq!(
            split_url("https://h.example/a/b#frag"),
            ("https://h.example", "/a/b", "")
        );
        assert_eq!(
            split_url("https://h.example"),
            ("https://h.example", "", "")
        );
        assert_eq!(
            split_url("https://h.example/?x=1?2"),
            ("https://h.example", "/", "x=1?2")
        );
    }
}
