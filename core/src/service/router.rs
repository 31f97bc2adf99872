//! Maps a request path (below the base path) to an endpoint of RFC 7644 §3.2.
//!
//! Endpoint names match case-insensitively (`/users` is `/Users`), one trailing `/` is
//! ignored, and path segments are percent-decoded. Anything else is 404.

use alloc::string::String;

use super::http::percent_decode;
use crate::error::ScimError;
use crate::schema::{Registry, ResourceType};

/// The endpoint a path names.
#[derive(Debug, Clone, PartialEq)]
pub enum Route<'r> {
    /// `/ServiceProviderConfig`.
    ServiceProviderConfig,
    /// `/ResourceTypes` or `/ResourceTypes/{id}`.
    ResourceTypes(Option<String>),
    /// `/Schemas` or `/Schemas/{urn}`.
    Schemas(Option<String>),
    /// `/Bulk`.
    Bulk,
    /// `/.search` at the root, across resource types.
    RootSearch,
    /// `/Me` (not supported: 501).
    Me,
    /// A resource type's endpoint, e.g. `/Users`.
    Collection(&'r ResourceType),
    /// `/{endpoint}/.search`.
    Search(&'r ResourceType),
    /// `/{endpoint}/{id}`.
    Resource(&'r ResourceType, String),
}

/// The route of `path` in `registry`; `NotFound` when it names no endpoint.
pub fn route<'r>(registry: &'r Registry, path: &str) -> Result<Route<'r>, ScimError> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let not_found = || ScimError::NotFound(alloc::format!("no endpoint at '{path}'"));
    let mut parts = trimmed.split('/');
    let first = percent_decode(parts.next().unwrap_or(""), false)?;
    let second = parts.next().map(|s| percent_decode(s, false)).transpose()?;
    if parts.next().is_some() || first.is_empty() || second.as_deref() == Some("") {
        return Err(not_found());
    }
    let is = |name: &str| first.eq_ignore_ascii_case(name);
    let route = match second {
        None if is("ServiceProviderConfig") => Route::ServiceProviderConfig,
        None if is("Bulk") => Route::Bulk,
        None if is(".search") => Route::RootSearch,
        None if is("Me") => Route::Me,
        rest if is("ResourceTypes") => Route::ResourceTypes(rest),
        rest if is("Schemas") => Route::Schemas(rest),
        rest => {
            let rt = registry
                .resource_type_by_endpoint(&first)
                .ok_or_else(not_found)?;
            match rest {
                None => Route::Collection(rt),
                Some(s) if s == ".search" => Route::Search(rt),
                Some(id) => Route::Resource(rt, id),
            }
        }
    };
    Ok(route)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::testing::registry;

    #[test]
    fn discovery_and_special_endpoints_route() {
        let reg = registry();
        assert_eq!(
            route(&reg, "/ServiceProviderConfig"),
            Ok(Route::ServiceProviderConfig)
        );
        assert_eq!(
            route(&reg, "/serviceproviderconfig/"),
            Ok(Route::ServiceProviderConfig)
        );
        assert_eq!(
            route(&reg, "/ResourceTypes"),
            Ok(Route::ResourceTypes(None))
        );
        assert_eq!(
            route(&reg, "/ResourceTypes/User"),
            Ok(Route::ResourceTypes(Some("User".into())))
        );
        assert_eq!(
            route(&reg, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
            Ok(Route::Schemas(Some(
                "urn:ietf:params:scim:schemas:core:2.0:User".into()
            )))
        );
        assert_eq!(route(&reg, "/Bulk"), Ok(Route::Bulk));
        assert_eq!(route(&reg, "/.search"), Ok(Route::RootSearch));
        assert_eq!(route(&reg, "/Me"), Ok(Route::Me));
    }

    #[test]
    fn resource_endpoints_route_case_insensitively() {
        let reg = registry();
        let Ok(Route::Collection(rt)) = route(&reg, "/users") else {
            panic!("no collection route");
        };
        assert_eq!(rt.id, "User");
        let Ok(Route::Search(rt)) = route(&reg, "/Groups/.search") else {
            panic!("no search route");
        };
        assert_eq!(rt.id, "Group");
        let Ok(Route::Resource(rt, id)) = route(&reg, "/Users/a%20b") else {
            panic!("no resource route");
        };
        assert_eq!((rt.id.as_str(), id.as_str()), ("User", "a b"));
    }

    #[test]
    fn unknown_paths_are_not_found() {
        let reg = registry();
        for path in [
            "",
            "/",
            "/Nope",
            "/Users/1/extra",
            "/Users//",
            "//Users",
            "/Bulk/1",
            "/ServiceProviderConfig/x",
            "/Schemas/a/b",
        ] {
            let err = route(&reg, path).unwrap_err();
            assert_eq!(err.status(), 404, "{path}");
        }
    }
}
