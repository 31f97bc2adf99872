//! The Worker's URL layout: which part of the host a request path belongs to.
//!
//! ```text
//! /scim/v2/...            SCIM API of the default tenant
//! /{tenant}/scim/v2/...   SCIM API of another tenant
//! /oauth/token            OAuth 2.0 client-credentials token endpoint
//! /admin/...              administration API (tenants, tokens, OAuth clients)
//! ```

/// Name of the tenant served at `/scim/v2`.
pub const DEFAULT_TENANT: &str = "default";

/// Path segments that can never be tenant names, as they are routes of their own.
const RESERVED: [&str; 3] = ["admin", "oauth", "scim"];

/// Where a request path goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// The SCIM API of `tenant`.
    Scim {
        /// The tenant's name.
        tenant: &'a str,
        /// The path of the tenant's SCIM base, e.g. `/acme/scim/v2`.
        base: &'a str,
        /// The path below the base, e.g. `/Users/1` (empty for the base itself).
        rest: &'a str,
    },
    /// The OAuth 2.0 token endpoint.
    OAuthToken,
    /// The administration API; the path below `/admin`.
    Admin(&'a str),
    /// Nothing is served here.
    NotFound,
}

/// Whether `name` is a valid tenant name: 1–63 of `a-z`, `0-9`, `-`, starting alphanumeric,
/// and not a reserved route segment.
pub fn valid_tenant_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    matches!(bytes.first(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
        && !RESERVED.contains(&name)
}

/// The rest of `path` after a leading `/scim/v2` segment pair (ASCII case-insensitive).
fn strip_scim_base(path: &str) -> Option<&str> {
    let mut parts = path.splitn(4, '/');
    let (empty, scim, v2) = (parts.next()?, parts.next()?, parts.next()?);
    if !empty.is_empty() || !scim.eq_ignore_ascii_case("scim") || !v2.eq_ignore_ascii_case("v2") {
        return None;
    }
    Some(&path[1 + scim.len() + 1 + v2.len()..])
}

/// Routes a request path (no query string).
pub fn route(path: &str) -> Route<'_> {
    if let Some(rest) = strip_scim_base(path) {
        return Route::Scim {
            tenant: DEFAULT_TENANT,
            base: &path[..path.len() - rest.len()],
            rest,
        };
    }
    if path == "/oauth/token" {
        return Route::OAuthToken;
    }
    if let Some(rest) = path.strip_prefix("/admin") {
        if rest.is_empty() || rest.starts_with('/') {
            return Route::Admin(rest);
        }
    }
    let Some((tenant, tail)) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once('/'))
        .map(|(t, _)| (t, &path[1 + t.len()..]))
    else {
        return Route::NotFound;
    };
    match strip_scim_base(tail) {
        Some(rest) if valid_tenant_name(tenant) => Route::Scim {
            tenant,
            base: &path[..path.len() - rest.len()],
            rest,
        },
        _ => Route::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scim<'a>(tenant: &'a str, base: &'a str, rest: &'a str) -> Route<'a> {
        Route::Scim { tenant, base, rest }
    }

    #[test]
    fn default_tenant_lives_at_scim_v2() {
        assert_eq!(
            route("/scim/v2/Users/1"),
            scim("default", "/scim/v2", "/Users/1")
        );
        assert_eq!(route("/scim/v2"), scim("default", "/scim/v2", ""));
        assert_eq!(route("/scim/v2/"), scim("default", "/scim/v2", "/"));
        assert_eq!(
            route("/SCIM/V2/Users"),
            scim("default", "/SCIM/V2", "/Users")
        );
    }

    #[test]
    fn named_tenants_prefix_the_scim_base() {
        assert_eq!(
            route("/acme-1/scim/v2/Groups"),
            scim("acme-1", "/acme-1/scim/v2", "/Groups")
        );
        assert_eq!(route("/acme/scim/v2"), scim("acme", "/acme/scim/v2", ""));
    }

    #[test]
    fn invalid_or_reserved_tenant_names_are_not_found() {
        assert_eq!(route("/Acme/scim/v2/Users"), Route::NotFound);
        assert_eq!(
            route("/admin/scim/v2/Users"),
            Route::Admin("/scim/v2/Users")
        );
        assert_eq!(route("/oauth/scim/v2/Users"), Route::NotFound);
        assert_eq!(route("/-x/scim/v2/Users"), Route::NotFound);
        assert_eq!(route("//scim/v2/Users"), Route::NotFound);
    }

    #[test]
    fn other_paths_route_to_their_endpoints() {
        assert_eq!(route("/oauth/token"), Route::OAuthToken);
        assert_eq!(route("/admin/tenants/a"), Route::Admin("/tenants/a"));
        assert_eq!(route("/admin"), Route::Admin(""));
        assert_eq!(route("/administrator"), Route::NotFound);
        assert_eq!(route("/"), Route::NotFound);
        assert_eq!(route(""), Route::NotFound);
        assert_eq!(route("/scim/v1/Users"), Route::NotFound);
        assert_eq!(route("/acme/scim"), Route::NotFound);
    }

    #[test]
    fn tenant_names_follow_the_dns_label_rule() {
        assert!(valid_tenant_name("a"));
        assert!(valid_tenant_name("acme-2"));
        assert!(valid_tenant_name(&"a".repeat(63)));
        assert!(!valid_tenant_name(&"a".repeat(64)));
        assert!(!valid_tenant_name(""));
        assert!(!valid_tenant_name("a_b"));
        assert!(!valid_tenant_name("scim"));
    }
}
