//! HTTP handlers of the resource endpoints: status codes, headers and projections.
//!
//! - `POST /{type}`: 201 with the resource, `Location` and `ETag`.
//! - `GET /{type}/{id}`: 200, or 304 (empty body, `ETag`) when `If-None-Match` names the
//!   current version.
//! - `PUT`/`PATCH`: 200 with the resource; a PATCH answers 204 (with `ETag`) instead when
//!   `patch_returns_no_content` is set and the request names no `attributes`.
//!   `If-Match` that does not name the current version (or `*`) is 412.
//! - `DELETE`: 204.
//! - `GET /{type}`, `POST /{type}/.search`, `POST /.search`: 200 `ListResponse`.
//!
//! Single-resource responses carry `ETag` (the weak version) and `Location` (as in the
//! examples of RFC 7644 §3.3 and §3.4.1); `attributes`/`excludedAttributes` from the query
//! string apply to every response that returns resources.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::env::Environment;
use super::http::{Method, Request, Response};
use super::search::SearchParams;
use super::store::{Prefetching, Record, Store};
use super::Service;
use crate::error::ScimError;
use crate::query::parser::parse_attr_list;
use crate::query::projection::Projection;
use crate::resource::meta::{etag, location, EtagCondition};
use crate::schema::ResourceType;

impl<E: Environment> Service<E> {
    /// The projection of `attributes`/`excludedAttributes` in `params` for `rt`.
    pub(super) fn projection(
        &self,
        rt: &ResourceType,
        params: &SearchParams,
    ) -> Result<Projection, ScimError> {
        let list = |text: &Option<String>, name: &str| match text {
            Some(t) => parse_attr_list(t).map_err(|e| {
                ScimError::invalid_value(name, alloc::string::ToString::to_string(&e))
            }),
            None => Ok(Vec::new()),
        };
        let attributes = list(&params.attributes, "attributes")?;
        let excluded = list(&params.excluded_attributes, "excludedAttributes")?;
        Ok(Projection::new(&self.registry, rt, &attributes, &excluded))
    }

    /// The response carrying one resource.
    async fn single<S: Store>(
        &self,
        store: &S,
        rt: &ResourceType,
        record: &Record,
        base: &str,
        params: &SearchParams,
        status: u16,
    ) -> Result<Response, ScimError> {
        let projection = self.projection(rt, params)?;
        let docs = self
            .represent(store, rt, alloc::vec![record.clone()], base, status == 201)
            .await?;
        let body = docs
            .first()
            .map(|d| projection.apply(d))
            .unwrap_or(Value::Null);
        Ok(Response::json(status, &body)
            .with_header("ETag", &etag(record.version))
            .with_header("Location", &location(base, &rt.endpoint, &record.id)))
    }

    /// `/{type}`: list (GET) or create (POST).
    pub(super) async fn collection<S: Store>(
        &self,
        store: &S,
        req: &Request<'_>,
        rt: &ResourceType,
        params: &SearchParams,
    ) -> Result<Response, ScimError> {
        let base = req.base();
        if req.method == Method::Post {
            let body = req.json_body()?;
            let record = self.create(store, rt, body).await?;
            return self.single(store, rt, &record, base, params, 201).await;
        }
        let list = self.list(store, &[rt], params, base).await?;
        Ok(Response::json(
            200,
            &self.project_list(list, &[rt], params)?,
        ))
    }

    /// `POST /{type}/.search` or `POST /.search` over `rts`.
    pub(super) async fn search<S: Store>(
        &self,
        store: &S,
        req: &Request<'_>,
        rts: &[&ResourceType],
    ) -> Result<Response, ScimError> {
        let params = SearchParams::from_body(&req.json_body()?)?;
        let list = self.list(store, rts, &params, req.base()).await?;
        Ok(Response::json(200, &self.project_list(list, rts, &params)?))
    }

    /// Applies the projection of `params` to each resource of a `ListResponse`.
    fn project_list(
        &self,
        mut list: Value,
        rts: &[&ResourceType],
        params: &SearchParams,
    ) -> Result<Value, ScimError> {
        let projections = rts
            .iter()
            .map(|rt| Ok((rt.name.as_str(), self.projection(rt, params)?)))
            .collect::<Result<Vec<_>, ScimError>>()?;
        if let Some(Value::Array(resources)) = list.get_mut("Resources") {
            for resource in resources.iter_mut() {
                let type_name = resource
                    .get("meta")
                    .and_then(|m| m.get("resourceType"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let projection = projections
                    .iter()
                    .find(|(name, _)| *name == type_name)
                    .or(projections.first());
                if let Some((_, p)) = projection {
                    *resource = p.apply(resource);
                }
            }
        }
        Ok(list)
    }

    /// `/{type}/{id}`: read, replace, modify or delete.
    pub(super) async fn resource<S: Store>(
        &self,
        store: &S,
        req: &Request<'_>,
        rt: &ResourceType,
        id: &str,
        params: &SearchParams,
    ) -> Result<Response, ScimError> {
        let base = req.base();
        let if_match = req.header("If-Match").map(EtagCondition::parse);
        let store = &Prefetching::new(store);
        match req.method {
            Method::Put => {
                let body = req.json_body()?;
                let record = self
                    .replace(store, rt, id, &body, if_match.as_ref())
                    .await?;
                self.single(store, rt, &record, base, params, 200).await
            }
            Method::Patch => {
                let body = req.json_body()?;
                let record = self.modify(store, rt, id, &body, if_match.as_ref()).await?;
                if self.config.patch_returns_no_content && params.attributes.is_none() {
                    return Ok(Response::empty(204).with_header("ETag", &etag(record.version)));
                }
                self.single(store, rt, &record, base, params, 200).await
            }
            Method::Delete => {
                self.remove(store, rt, id, if_match.as_ref()).await?;
                Ok(Response::empty(204))
            }
            _ => {
                let record = self.fetch(store, rt, id).await?;
                let fresh = req
                    .header("If-None-Match")
                    .map(EtagCondition::parse)
                    .is_some_and(|c| c.matches(record.version));
                if fresh {
                    return Ok(Response::empty(304).with_header("ETag", &etag(record.version)));
                }
                self.single(store, rt, &record, base, params, 200).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
    use crate::service::testing::{Harness, BASE};
    use crate::service::{
        Index, ListQuery, Listing, Membership, Record, ResourceRef, ServiceConfig, StoreError,
    };
    use alloc::format;
    use alloc::vec::Vec;
    use serde_json::json;

    fn bjensen() -> serde_json::Value {
        json!({
            "schemas": [USER_URN, ENTERPRISE_USER_URN],
            "userName": "bjensen@example.com",
            "externalId": "bjensen",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
            "password": "t1meMa$heen",
            "active": true,
            ENTERPRISE_USER_URN: {"employeeNumber": "701984"}
        })
    }

    #[test]
    fn create_returns_201_with_location_etag_and_meta() {
        let h = Harness::new();
        let resp = h.call("POST", "/Users", Some(&bjensen()), &[]);
        assert_eq!(resp.status, 201);
        let v = resp.json_body();
        let id = v["id"].as_str().unwrap();
        let loc = format!("{BASE}/Users/{id}");
        assert_eq!(resp.header("Location"), Some(loc.as_str()));
        assert_eq!(resp.header("ETag"), Some("W/\"1\""));
        assert_eq!(v["meta"]["resourceType"], "User");
        assert_eq!(v["meta"]["location"], loc.as_str());
        assert_eq!(v["meta"]["version"], "W/\"1\"");
        assert_eq!(v["meta"]["created"], v["meta"]["lastModified"]);
        assert_eq!(v["userName"], "bjensen@example.com");
        assert_eq!(v[ENTERPRISE_USER_URN]["employeeNumber"], "701984");
        assert!(v.get("password").is_none(), "password is never returned");
    }

    #[test]
    fn get_returns_the_resource_and_304_on_matching_if_none_match() {
        let h = Harness::new();
        let id = h.user("alice");
        let resp = h.call("GET", &format!("/Users/{id}"), None, &[]);
        assert_eq!(resp.status, 200);
        assert_eq!(resp.json_body()["userName"], "alice");
        let etag = resp.header("ETag").unwrap();
        let cached = h.call(
            "GET",
            &format!("/Users/{id}"),
            None,
            &[("If-None-Match", etag)],
        );
        assert_eq!(cached.status, 304);
        assert!(cached.body.is_empty());
        assert_eq!(cached.header("etag"), Some(etag));
        let stale = h.call(
            "GET",
            &format!("/Users/{id}"),
            None,
            &[("If-None-Match", "W/\"9\"")],
        );
        assert_eq!(stale.status, 200);
    }

    #[test]
    fn unknown_id_is_404() {
        let h = Harness::new();
        let (status, v) = h.json("GET", "/Users/nope", None);
        assert_eq!(status, 404);
        assert_eq!(v["status"], "404");
        assert_eq!(h.json("DELETE", "/Groups/nope", None).0, 404);
    }

    #[test]
    fn duplicate_user_name_is_409_case_insensitively() {
        let h = Harness::new();
        h.user("Alice@Example.com");
        let body = json!({"schemas": [USER_URN], "userName": "alice@example.COM"});
        let (status, v) = h.json("POST", "/Users", Some(&body));
        assert_eq!(status, 409);
        assert_eq!(v["scimType"], "uniqueness");
    }

    #[test]
    fn invalid_body_is_400_with_scim_type() {
        let h = Harness::new();
        let (status, v) = h.json("POST", "/Users", Some(&json!({"schemas": [USER_URN]})));
        assert_eq!(status, 400);
        assert_eq!(v["scimType"], "invalidValue");
        let resp = h.call("POST", "/Users", None, &[]);
        assert_eq!(resp.status, 400);
        assert_eq!(resp.json_body()["scimType"], "invalidSyntax");
    }

    #[test]
    fn put_replaces_and_bumps_version_only_on_change() {
        let h = Harness::new();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        let body = json!({"schemas": [USER_URN], "userName": "alice", "displayName": "Alice"});
        let resp = h.call("PUT", &path, Some(&body), &[]);
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("etag"), Some("W/\"2\""));
        let v = resp.json_body();
        assert_eq!(v["displayName"], "Alice");
        assert_eq!(v["id"], id.as_str());
        let again = h.call("PUT", &path, Some(&body), &[]);
        assert_eq!(again.header("etag"), Some("W/\"2\""));
    }

    #[test]
    fn if_match_mismatch_is_412_and_star_matches() {
        let h = Harness::new();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        let body = json!({"schemas": [USER_URN], "userName": "alice2"});
        let resp = h.call("PUT", &path, Some(&body), &[("If-Match", "W/\"7\"")]);
        assert_eq!(resp.status, 412);
        let resp = h.call("PUT", &path, Some(&body), &[("If-Match", "*")]);
        assert_eq!(resp.status, 200);
        let resp = h.call("DELETE", &path, None, &[("If-Match", "W/\"1\"")]);
        assert_eq!(resp.status, 412);
        let resp = h.call("DELETE", &path, None, &[("If-Match", "W/\"2\"")]);
        assert_eq!(resp.status, 204);
    }

    #[test]
    fn delete_is_204_then_404() {
        let h = Harness::new();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        let resp = h.call("DELETE", &path, None, &[]);
        assert_eq!(resp.status, 204);
        assert!(resp.body.is_empty());
        assert_eq!(h.json("GET", &path, None).0, 404);
        h.user("alice");
    }

    #[test]
    fn soft_delete_hides_the_user_and_frees_the_user_name() {
        let h = Harness::with_config(ServiceConfig {
            soft_delete: true,
            ..ServiceConfig::default()
        });
        let id = h.user("alice");
        assert_eq!(h.json("DELETE", &format!("/Users/{id}"), None).0, 204);
        assert_eq!(h.json("GET", &format!("/Users/{id}"), None).0, 404);
        let (_, list) = h.json("GET", "/Users", None);
        assert_eq!(list["totalResults"], 0);
        h.user("alice");
    }

    #[test]
    fn patch_returns_200_with_resource_or_204_when_configured() {
        let h = Harness::new();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        let op = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": false}]
        });
        let resp = h.call("PATCH", &path, Some(&op), &[]);
        assert_eq!(resp.status, 200);
        assert_eq!(resp.json_body()["active"], false);
        assert_eq!(resp.header("etag"), Some("W/\"2\""));
        let h = Harness::with_config(ServiceConfig {
            patch_returns_no_content: true,
            ..ServiceConfig::default()
        });
        let id = h.user("alice");
        let resp = h.call("PATCH", &format!("/Users/{id}"), Some(&op), &[]);
        assert_eq!(resp.status, 204);
        assert_eq!(resp.header("etag"), Some("W/\"2\""));
    }

    #[test]
    fn patch_of_a_whole_extension_ignores_its_own_schemas_member() {
        let h = Harness::new();
        let id = h.user("alice");
        let path = format!("/Users/{id}");
        let op = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": ENTERPRISE_USER_URN, "value": {
                "schemas": [ENTERPRISE_USER_URN], "employeeNumber": "42"
            }}]
        });
        let (status, v) = h.json("PATCH", &path, Some(&op));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v[ENTERPRISE_USER_URN]["employeeNumber"], "42");
        assert!(v[ENTERPRISE_USER_URN].get("schemas").is_none());
        let op = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {ENTERPRISE_USER_URN: {
                "Schemas": [ENTERPRISE_USER_URN], "department": "R&D"
            }}}]
        });
        let (status, v) = h.json("PATCH", &path, Some(&op));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v[ENTERPRISE_USER_URN]["department"], "R&D");
        let op = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "name", "value": {"schemas": ["x"]}}]
        });
        assert_eq!(h.json("PATCH", &path, Some(&op)).0, 400);
    }

    #[test]
    fn attributes_and_excluded_attributes_shape_single_responses() {
        let h = Harness::new();
        let (_, v) = h.json("POST", "/Users?attributes=userName", Some(&bjensen()));
        assert_eq!(v["userName"], "bjensen@example.com");
        assert!(v.get("name").is_none());
        assert!(v.get("id").is_some(), "id is always returned");
        let id = v["id"].as_str().unwrap();
        let (_, v) = h.json(
            "GET",
            &format!("/Users/{id}?excludedAttributes=emails,name"),
            None,
        );
        assert!(v.get("emails").is_none());
        assert!(v.get("name").is_none());
        assert_eq!(v["userName"], "bjensen@example.com");
    }

    #[test]
    fn group_members_get_type_and_ref_and_user_gets_groups() {
        let h = Harness::new();
        let alice = h.user("alice");
        let gid = h.group("admins", &[&alice]);
        let (_, g) = h.json("GET", &format!("/Groups/{gid}"), None);
        assert_eq!(g["members"][0]["value"], alice.as_str());
        assert_eq!(g["members"][0]["type"], "User");
        assert_eq!(
            g["members"][0]["$ref"],
            format!("{BASE}/Users/{alice}").as_str()
        );
        let (_, u) = h.json("GET", &format!("/Users/{alice}"), None);
        assert_eq!(
            u["groups"],
            json!([{
                "value": gid, "display": "admins", "type": "direct",
                "$ref": format!("{BASE}/Groups/{gid}")
            }])
        );
    }

    #[test]
    fn unknown_member_is_400_invalid_value() {
        let h = Harness::new();
        let body =
            json!({"schemas": [GROUP_URN], "displayName": "g", "members": [{"value": "ghost"}]});
        let (status, v) = h.json("POST", "/Groups", Some(&body));
        assert_eq!(status, 400);
        assert_eq!(v["scimType"], "invalidValue");
    }

    #[test]
    fn member_ref_null_and_stale_ref_are_accepted_and_rebuilt() {
        let h = Harness::new();
        let alice = h.user("alice");
        let body = json!({"schemas": [GROUP_URN], "displayName": "g", "members": [
            {"value": alice, "$ref": null},
            {"value": alice, "$ref": "https://old.example.com/Users/x"}
        ]});
        let (status, v) = h.json("POST", "/Groups", Some(&body));
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["members"].as_array().unwrap().len(), 1);
        assert_eq!(
            v["members"][0]["$ref"],
            format!("{BASE}/Users/{alice}").as_str()
        );
    }

    #[test]
    fn deleting_a_user_removes_it_from_its_groups() {
        let h = Harness::new();
        let alice = h.user("alice");
        let bob = h.user("bob");
        let gid = h.group("admins", &[&alice, &bob]);
        assert_eq!(h.json("DELETE", &format!("/Users/{alice}"), None).0, 204);
        let (_, g) = h.json("GET", &format!("/Groups/{gid}"), None);
        assert_eq!(
            g["members"],
            json!([{"value": bob, "type": "User", "$ref": format!("{BASE}/Users/{bob}")}])
        );
    }

    #[test]
    fn group_cannot_contain_itself() {
        let h = Harness::new();
        let gid = h.group("g", &[]);
        let body = json!({"schemas": [GROUP_URN], "displayName": "g", "members": [{"value": gid}]});
        let (status, _) = h.json("PUT", &format!("/Groups/{gid}"), Some(&body));
        assert_eq!(status, 400);
    }

    #[test]
    fn group_display_name_uniqueness_is_optional() {
        let body = json!({"schemas": [GROUP_URN], "displayName": "admins"});
        let upper = json!({"schemas": [GROUP_URN], "displayName": "ADMINS"});
        let h = Harness::new();
        h.group("Admins", &[]);
        assert_eq!(h.json("POST", "/Groups", Some(&body)).0, 201);
        let h = Harness::with_config(ServiceConfig {
            group_display_name_unique: true,
            ..ServiceConfig::default()
        });
        let gid = h.group("Admins", &[]);
        let (status, v) = h.json("POST", "/Groups", Some(&body));
        assert_eq!((status, v["scimType"].as_str()), (409, Some("uniqueness")));
        let other = h.group("Others", &[]);
        let (status, _) = h.json("PUT", &format!("/Groups/{other}"), Some(&upper));
        assert_eq!(status, 409);
        assert_eq!(
            h.json("PUT", &format!("/Groups/{gid}"), Some(&upper)).0,
            200
        );
    }

    /// A store whose `groups_of` fails between a write and the next read of a record: a
    /// response that needed a read after its write would be a 500 for a change that was made.
    struct NoReadAfterWrite {
        inner: crate::service::MemoryStore,
        written: core::cell::Cell<bool>,
    }

    impl crate::service::Store for NoReadAfterWrite {
        async fn get(&self, rt: &str, id: &str) -> Result<Option<Record>, StoreError> {
            self.written.set(false);
            self.inner.get(rt, id).await
        }
        async fn create(&self, rt: &str, record: &Record, index: &Index) -> StoreResult {
            self.inner.create(rt, record, index).await
        }
        async fn replace(&self, rt: &str, r: &Record, i: &Index, v: u64) -> StoreResult {
            self.written.set(true);
            self.inner.replace(rt, r, i, v).await
        }
        async fn delete(&self, rt: &str, id: &str, version: u64) -> StoreResult {
            self.inner.delete(rt, id, version).await
        }
        async fn list(&self, rt: &str, q: &ListQuery<'_>) -> Result<Listing, StoreError> {
            self.inner.list(rt, q).await
        }
        async fn lookup(&self, ids: &[&str]) -> Result<Vec<ResourceRef>, StoreError> {
            self.inner.lookup(ids).await
        }
        async fn groups_of(&self, ids: &[&str]) -> Result<Vec<Membership>, StoreError> {
            if self.written.get() {
                return Err(StoreError::Backend("read after the write".into()));
            }
            self.inner.groups_of(ids).await
        }
    }

    type StoreResult = Result<(), StoreError>;

    #[test]
    fn put_and_patch_answer_with_the_groups_read_before_the_write() {
        let store = NoReadAfterWrite {
            inner: crate::service::MemoryStore::new(),
            written: core::cell::Cell::new(false),
        };
        let h = Harness::with_store(ServiceConfig::default(), store);
        let alice = h.user("alice");
        let gid = h.group("admins", &[&alice]);
        let (_, mut user) = h.json("GET", &format!("/Users/{alice}"), None);
        user["title"] = json!("Engineer");
        let (status, put) = h.json("PUT", &format!("/Users/{alice}"), Some(&user));
        assert_eq!(status, 200, "{put}");
        assert_eq!(put["groups"][0]["value"], gid.as_str());
        let patch = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "title", "value": "Lead"}]
        });
        let (status, patched) = h.json("PATCH", &format!("/Users/{alice}"), Some(&patch));
        assert_eq!(status, 200, "{patched}");
        assert_eq!(patched["title"], "Lead");
        assert_eq!(patched["groups"][0]["display"], "admins");
    }
}
