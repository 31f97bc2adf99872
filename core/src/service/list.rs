//! Listing and searching (RFC 7644 §3.4.2, §3.4.3): `GET /Users`, `POST /Users/.search`,
//! `POST /.search` across every resource type.
//!
//! The filter and `sortBy` are compiled once per resource type and handed to the store, which
//! may apply them in full (a page and the total) or leave the rest to the service (see
//! [`Listing`]). The default order is `meta.created`, then `id` (stable across pages); a
//! `sortBy` sorts stably on top of it. A filter or `sortBy` on the computed `groups`
//! attribute is evaluated by the service on the represented resources.
//!
//! At the root, the filter is compiled for each resource type with unknown attributes treated
//! as absent (`userName eq "x"` matches no Group), but it must compile strictly for at least
//! one type, so a misspelt attribute is still `invalidFilter`. `sortBy` is resolved against the
//! first type that has the attribute; resources of other types sort as missing it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::borrow::Borrow;
use serde_json::Value;

use super::env::Environment;
use super::messages::list_response;
use super::search::SearchParams;
use super::store::{ListQuery, Listing, Record, Store};
use super::Service;
use crate::error::ScimError;
use crate::query::compile::{compile, CompileOptions, CompiledFilter, Node};
use crate::query::page::Page;
use crate::query::parser::{parse_attr_path, parse_filter, ParseOptions};
use crate::query::sort::{sort, SortOrder, SortSpec};
use crate::resource::meta::created;
use crate::schema::ResourceType;

/// A record with the index of its resource type, sortable by its document.
struct Item {
    rt: usize,
    record: Record,
}

impl Borrow<Value> for Item {
    fn borrow(&self) -> &Value {
        &self.record.data
    }
}

/// Whether a compiled node reads the attribute `name` (top level, canonical case).
fn mentions(node: &Node, name: &str) -> bool {
    match node {
        Node::Present(attr) => attr.attr == name,
        Node::Compare(c) => c.attr.attr == name,
        Node::Not(inner) => mentions(inner, name),
        Node::And(nodes) | Node::Or(nodes) => nodes.iter().any(|n| mentions(n, name)),
        Node::ValuePath { attr, filter } => attr.attr == name || mentions(filter, name),
        Node::Const(_) => false,
    }
}

/// Sorts in the default order: `meta.created`, then `id`.
fn default_order(items: &mut [Item]) {
    items.sort_by(|a, b| {
        created(&a.record.data)
            .cmp(&created(&b.record.data))
            .then_with(|| a.record.id.cmp(&b.record.id))
    });
}

impl<E: Environment> Service<E> {
    fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            lenient: self.config.lenient,
        }
    }

    /// The compiled filter of `params` for each of `rts` (see the module docs for the root).
    fn compile_filters(
        &self,
        rts: &[&ResourceType],
        params: &SearchParams,
    ) -> Result<Vec<Option<CompiledFilter>>, ScimError> {
        let Some(text) = &params.filter else {
            return Ok(rts.iter().map(|_| None).collect());
        };
        let filter = parse_filter(text, self.parse_options())?;
        let strict = CompileOptions {
            lenient_unknown: self.config.lenient,
        };
        if let [rt] = rts {
            return Ok(alloc::vec![Some(compile(
                &filter,
                &self.registry,
                rt,
                strict
            )?)]);
        }
        let mut first_err = None;
        let mut any_strict = false;
        let mut compiled = Vec::with_capacity(rts.len());
        for rt in rts {
            match compile(&filter, &self.registry, rt, strict) {
                Ok(c) => {
                    any_strict = true;
                    compiled.push(Some(c));
                }
                Err(e) => {
                    let lenient = CompileOptions {
                        lenient_unknown: true,
                    };
                    compiled.push(Some(compile(&filter, &self.registry, rt, lenient)?));
                    first_err.get_or_insert(e);
                }
            }
        }
        match (any_strict, first_err) {
            (false, Some(e)) => Err(e),
            _ => Ok(compiled),
        }
    }

    /// The compiled `sortBy`/`sortOrder`, resolved against the first of `rts` having it.
    fn compile_sort(
        &self,
        rts: &[&ResourceType],
        params: &SearchParams,
    ) -> Result<Option<SortSpec>, ScimError> {
        let order = SortOrder::parse(params.sort_order.as_deref())?;
        let Some(text) = &params.sort_by else {
            return Ok(None);
        };
        let path =
            parse_attr_path(text).map_err(|e| ScimError::invalid_value("sortBy", e.to_string()))?;
        let mut first_err = None;
        for rt in rts {
            match SortSpec::new(&self.registry, rt, &path, order) {
                Ok(spec) => return Ok(Some(spec)),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        Err(first_err.unwrap_or_else(|| ScimError::invalid_value("sortBy", "no resource type")))
    }

    /// A `ListResponse` of the resources of `rts` selected by `params`.
    pub(super) async fn list<S: Store>(
        &self,
        store: &S,
        rts: &[&ResourceType],
        params: &SearchParams,
        base: &str,
    ) -> Result<Value, ScimError> {
        let filters = self.compile_filters(rts, params)?;
        let spec = self.compile_sort(rts, params)?;
        let page = Page::new(params.start_index, params.count, self.config.max_results);
        let sorts_computed = spec.as_ref().is_some_and(|s| s.attr.attr == "groups");
        let mut items: Vec<Item> = Vec::new();
        let mut pushed_total = None;
        for (i, (rt, filter)) in rts.iter().zip(&filters).enumerate() {
            let computed = sorts_computed
                || filter
                    .as_ref()
                    .is_some_and(|f| self.has_groups(rt) && mentions(f.root(), "groups"));
            let push_down = rts.len() == 1 && !computed;
            let query = ListQuery {
                filter: if computed { None } else { filter.as_ref() },
                sort: if push_down { spec.as_ref() } else { None },
                start_index: if push_down { page.start_index } else { 1 },
                count: if push_down { page.count } else { usize::MAX },
            };
            let listing = store
                .list(&rt.id, &query)
                .await
                .map_err(|e| ScimError::Storage(e.to_string()))?;
            let (mut records, filtered) = match listing {
                Listing::Page { total, records } if push_down => {
                    pushed_total = Some(total);
                    (records, true)
                }
                Listing::Page { records, .. } | Listing::Matches(records) => (records, !computed),
                Listing::Candidates(records) => (records, false),
            };
            if !filtered {
                if let Some(f) = filter {
                    if computed {
                        let keys: Vec<(String, u64)> =
                            records.iter().map(|r| (r.id.clone(), r.version)).collect();
                        let docs = self.represent(store, rt, records, base, false).await?;
                        records = keys
                            .into_iter()
                            .zip(docs)
                            .map(|((id, version), data)| Record { id, version, data })
                            .collect();
                    }
                    records.retain(|r| f.matches(&r.data));
                }
            }
            items.extend(records.into_iter().map(|record| Item { rt: i, record }));
        }
        let (total, page_items) = match pushed_total {
            Some(total) => (total, items),
            None => {
                default_order(&mut items);
                if let Some(spec) = &spec {
                    sort(&mut items, spec);
                }
                let total = items.len();
                let range = page.slice(total);
                (total, items.drain(range).collect())
            }
        };
        let mut slots: Vec<Option<Value>> = page_items.iter().map(|_| None).collect();
        let mut buckets: Vec<(Vec<usize>, Vec<Record>)> =
            rts.iter().map(|_| (Vec::new(), Vec::new())).collect();
        for (pos, item) in page_items.into_iter().enumerate() {
            if let Some((positions, records)) = buckets.get_mut(item.rt) {
                positions.push(pos);
                records.push(item.record);
            }
        }
        for (rt, (positions, records)) in rts.iter().zip(buckets) {
            if records.is_empty() {
                continue;
            }
            let docs = self.represent(store, rt, records, base, false).await?;
            for (pos, doc) in positions.into_iter().zip(docs) {
                if let Some(slot) = slots.get_mut(pos) {
                    *slot = Some(doc);
                }
            }
        }
        let ordered: Vec<Value> = slots.into_iter().flatten().collect();
        Ok(list_response(total, page.start_index, ordered))
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::USER_URN;
    use crate::service::messages::SEARCH_REQUEST_URN;
    use crate::service::testing::Harness;
    use crate::service::ServiceConfig;
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde_json::{json, Value};

    fn names(list: &Value, key: &str) -> Vec<String> {
        list["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[key].as_str().unwrap_or("").into())
            .collect()
    }

    #[test]
    fn filter_by_user_name_finds_one_case_insensitively() {
        let h = Harness::new();
        h.user("alice");
        h.user("bob");
        let (status, v) = h.json("GET", "/Users?filter=userName%20eq%20%22ALICE%22", None);
        assert_eq!(status, 200);
        assert_eq!(v["totalResults"], 1);
        assert_eq!(v["itemsPerPage"], 1);
        assert_eq!(v["startIndex"], 1);
        assert_eq!(names(&v, "userName"), ["alice"]);
    }

    #[test]
    fn filter_matching_nothing_is_an_empty_list() {
        let h = Harness::new();
        h.user("alice");
        let (status, v) = h.json("GET", "/Users?filter=userName+eq+%22nobody%22", None);
        assert_eq!(status, 200);
        assert_eq!(v["totalResults"], 0);
        assert_eq!(v["Resources"], json!([]));
        assert!(v["totalResults"].is_u64() && v["itemsPerPage"].is_u64());
    }

    #[test]
    fn bad_or_unknown_filters_are_400_invalid_filter() {
        let h = Harness::new();
        for q in [
            "userName+eq",
            "nope+eq+%22x%22",
            "active+gt+true",
            "userName+eq+%22x%22)",
        ] {
            let (status, v) = h.json("GET", &format!("/Users?filter={q}"), None);
            assert_eq!(status, 400, "{q}");
            assert_eq!(v["scimType"], "invalidFilter", "{q}");
        }
    }

    #[test]
    fn external_id_filter_as_entra_sends_it() {
        let h = Harness::new();
        let body = json!({"schemas": [USER_URN], "userName": "u1", "externalId": "ext-1"});
        h.json("POST", "/Users", Some(&body));
        h.user("u2");
        let (_, v) = h.json("GET", "/Users?filter=externalId+eq+%22ext-1%22", None);
        assert_eq!(names(&v, "userName"), ["u1"]);
    }

    #[test]
    fn pages_follow_creation_order_and_count_is_capped() {
        let h = Harness::with_config(ServiceConfig {
            max_results: 3,
            ..ServiceConfig::default()
        });
        for name in ["e", "d", "c", "b", "a"] {
            h.user(name);
        }
        let (_, v) = h.json("GET", "/Users?startIndex=2&count=2", None);
        assert_eq!(v["totalResults"], 5);
        assert_eq!(v["startIndex"], 2);
        assert_eq!(names(&v, "userName"), ["d", "c"]);
        let (_, v) = h.json("GET", "/Users?count=100", None);
        assert_eq!(v["itemsPerPage"], 3);
        let (_, v) = h.json("GET", "/Users?count=0", None);
        assert_eq!(
            (v["totalResults"].clone(), v["itemsPerPage"].clone()),
            (json!(5), json!(0))
        );
        let (_, v) = h.json("GET", "/Users?startIndex=9", None);
        assert_eq!(v["Resources"], json!([]));
        assert_eq!(h.json("GET", "/Users?count=x", None).0, 400);
    }

    #[test]
    fn sort_by_and_sort_order() {
        let h = Harness::new();
        for name in ["bob", "Alice", "carol"] {
            h.user(name);
        }
        let (_, v) = h.json("GET", "/Users?sortBy=userName", None);
        assert_eq!(names(&v, "userName"), ["Alice", "bob", "carol"]);
        let (_, v) = h.json("GET", "/Users?sortBy=userName&sortOrder=descending", None);
        assert_eq!(names(&v, "userName"), ["carol", "bob", "Alice"]);
        assert_eq!(h.json("GET", "/Users?sortBy=nope", None).0, 400);
        assert_eq!(
            h.json("GET", "/Users?sortBy=userName&sortOrder=up", None).0,
            400
        );
    }

    #[test]
    fn filter_on_computed_groups_works() {
        let h = Harness::new();
        let alice = h.user("alice");
        h.user("bob");
        let gid = h.group("admins", &[&alice]);
        let (_, v) = h.json(
            "GET",
            &format!("/Users?filter=groups.value+eq+%22{gid}%22"),
            None,
        );
        assert_eq!(names(&v, "userName"), ["alice"]);
    }

    #[test]
    fn list_applies_attributes() {
        let h = Harness::new();
        h.user("alice");
        let (_, v) = h.json("GET", "/Users?attributes=userName", None);
        let r = &v["Resources"][0];
        assert_eq!(r["userName"], "alice");
        assert!(r.get("meta").is_none());
        assert!(r.get("id").is_some());
    }

    #[test]
    fn search_endpoint_takes_a_search_request() {
        let h = Harness::new();
        h.user("alice");
        h.user("bob");
        let body = json!({
            "schemas": [SEARCH_REQUEST_URN],
            "filter": "userName sw \"b\"",
            "attributes": ["userName"],
            "startIndex": 1,
            "count": 10
        });
        let (status, v) = h.json("POST", "/Users/.search", Some(&body));
        assert_eq!(status, 200);
        assert_eq!(names(&v, "userName"), ["bob"]);
        let (status, v) = h.json("POST", "/Users/.search", Some(&json!({"filter": "x pr"})));
        assert_eq!(
            (status, v["scimType"].as_str()),
            (400, Some("invalidSyntax"))
        );
    }

    #[test]
    fn root_search_spans_resource_types() {
        let h = Harness::new();
        let body = json!({"schemas": [USER_URN], "userName": "u", "displayName": "Ann"});
        h.json("POST", "/Users", Some(&body));
        h.group("Analysts", &[]);
        h.group("Zeta", &[]);
        let search = |filter: &str| {
            let body =
                json!({"schemas": [SEARCH_REQUEST_URN], "filter": filter, "sortBy": "displayName"});
            h.json("POST", "/.search", Some(&body))
        };
        let (status, v) = search("displayName sw \"an\"");
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["totalResults"], 2);
        assert_eq!(names(&v, "displayName"), ["Analysts", "Ann"]);
        let (_, v) = search("userName eq \"u\"");
        assert_eq!(v["totalResults"], 1);
        let (status, v) = search("bogus eq \"u\"");
        assert_eq!(
            (status, v["scimType"].as_str()),
            (400, Some("invalidFilter"))
        );
    }

    fn scenario<S: crate::service::Store>(h: Harness<S>) {
        for name in ["e", "d", "c", "b", "a"] {
            h.user(name);
        }
        let admin = h.user("admin");
        let gid = h.group("admins", &[&admin]);
        let (_, v) = h.json("GET", "/Users?startIndex=2&count=2", None);
        assert_eq!(v["totalResults"], 6);
        assert_eq!(names(&v, "userName"), ["d", "c"]);
        let (_, v) = h.json(
            "GET",
            "/Users?filter=userName+ne+%22c%22&sortBy=userName&count=3",
            None,
        );
        assert_eq!(v["totalResults"], 5);
        assert_eq!(names(&v, "userName"), ["a", "admin", "b"]);
        let (_, v) = h.json(
            "GET",
            &format!("/Users?filter=groups.value+eq+%22{gid}%22"),
            None,
        );
        assert_eq!(names(&v, "userName"), ["admin"]);
        let (_, v) = h.json("GET", "/Users?filter=userName+eq+%22zed%22", None);
        assert_eq!(
            (v["totalResults"].clone(), v["Resources"].clone()),
            (json!(0), json!([]))
        );
    }

    #[test]
    fn partial_push_down_gives_the_same_answers() {
        use crate::service::testing::{Finish, PartialStore};
        use crate::service::MemoryStore;
        scenario(Harness::new());
        for finish in [Finish::Candidates, Finish::Matches] {
            let store = PartialStore {
                inner: MemoryStore::new(),
                finish,
            };
            scenario(Harness::with_store(ServiceConfig::default(), store));
        }
    }
}
