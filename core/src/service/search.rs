//! Query parameters of list and search requests (RFC 7644 §3.4.2, §3.4.3).
//!
//! The same parameters come from the query string of `GET /Users` or from a `SearchRequest`
//! body of `POST /.search`. Parameter names match case-insensitively. Non-integer
//! `startIndex`/`count` are `invalidValue`; integers too large saturate. Their meaning
//! (`startIndex` below 1 is 1, negative `count` is 0, `count` above the maximum is capped,
//! never `tooMany`) is [`crate::query::page::Page`]'s.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::messages::SEARCH_REQUEST_URN;
use crate::error::ScimError;

/// The raw list parameters of one request, before compilation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchParams {
    /// `filter`.
    pub filter: Option<String>,
    /// `sortBy`.
    pub sort_by: Option<String>,
    /// `sortOrder`.
    pub sort_order: Option<String>,
    /// `startIndex` (1-based), as sent.
    pub start_index: Option<i64>,
    /// `count`, as sent.
    pub count: Option<i64>,
    /// `attributes` (comma-separated).
    pub attributes: Option<String>,
    /// `excludedAttributes` (comma-separated).
    pub excluded_attributes: Option<String>,
}

fn integer(name: &str, text: &str) -> Result<i64, ScimError> {
    let trimmed = text.trim();
    trimmed.parse::<i64>().or_else(|_| {
        // Huge values saturate instead of failing: they only mean "as far as possible".
        if !trimmed.is_empty()
            && trimmed
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            Ok(if trimmed.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            })
        } else {
            Err(ScimError::invalid_value(
                name,
                alloc::format!("'{text}' is not an integer"),
            ))
        }
    })
}

fn json_integer(name: &str, value: &Value) -> Result<Option<i64>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Ok(Some(i)),
            (None, Some(_)) => Ok(Some(i64::MAX)),
            _ => Err(ScimError::invalid_value(name, "must be an integer")),
        },
        Value::String(s) => integer(name, s).map(Some),
        _ => Err(ScimError::invalid_value(name, "must be an integer")),
    }
}

fn json_text(name: &str, value: &Value) -> Result<Option<String>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(ScimError::invalid_value(name, "must be a string")),
    }
}

/// `attributes` in a SearchRequest: an array of strings (or, leniently, one comma list).
fn json_list(name: &str, value: &Value) -> Result<Option<String>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| ScimError::invalid_value(name, "must be an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| Some(v.join(","))),
        _ => Err(ScimError::invalid_value(
            name,
            "must be an array of strings",
        )),
    }
}

impl SearchParams {
    /// The parameters of a query string (decoded pairs); unknown parameters are ignored.
    pub fn from_query(pairs: &[(String, String)]) -> Result<SearchParams, ScimError> {
        let mut p = SearchParams::default();
        for (name, value) in pairs {
            let is = |n: &str| name.eq_ignore_ascii_case(n);
            if is("filter") {
                p.filter = Some(value.clone());
            } else if is("sortBy") {
                p.sort_by = Some(value.clone());
            } else if is("sortOrder") {
                p.sort_order = Some(value.clone());
            } else if is("startIndex") {
                p.start_index = Some(integer("startIndex", value)?);
            } else if is("count") {
                p.count = Some(integer("count", value)?);
            } else if is("attributes") {
                p.attributes = Some(value.clone());
            } else if is("excludedAttributes") {
                p.excluded_attributes = Some(value.clone());
            }
        }
        Ok(p)
    }

    /// The parameters of a `SearchRequest` body (RFC 7644 §3.4.3).
    ///
    /// `schemas` must name the SearchRequest URN; unknown members are ignored.
    pub fn from_body(body: &Value) -> Result<SearchParams, ScimError> {
        let Value::Object(map) = body else {
            return Err(ScimError::InvalidSyntax(
                "a SearchRequest must be a JSON object".into(),
            ));
        };
        let names_urn = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
            .and_then(|(_, v)| v.as_array())
            .is_some_and(|a| {
                a.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(SEARCH_REQUEST_URN))
                })
            });
        if !names_urn {
            return Err(ScimError::InvalidSyntax(alloc::format!(
                "'schemas' must contain '{SEARCH_REQUEST_URN}'"
            )));
        }
        let mut p = SearchParams::default();
        for (name, value) in map {
            let is = |n: &str| name.eq_ignore_ascii_case(n);
            if is("filter") {
                p.filter = json_text("filter", value)?;
            } else if is("sortBy") {
                p.sort_by = json_text("sortBy", value)?;
            } else if is("sortOrder") {
                p.sort_order = json_text("sortOrder", value)?;
            } else if is("startIndex") {
                p.start_index = json_integer("startIndex", value)?;
            } else if is("count") {
                p.count = json_integer("count", value)?;
            } else if is("attributes") {
                p.attributes = json_list("attributes", value)?;
            } else if is("excludedAttributes") {
                p.excluded_attributes = json_list("excludedAttributes", value)?;
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect()
    }

    #[test]
    fn query_parameters_are_read_case_insensitively() {
        let p = SearchParams::from_query(&pairs(&[
            ("filter", "userName eq \"x\""),
            ("SORTBY", "userName"),
            ("sortOrder", "descending"),
            ("startIndex", "3"),
            ("count", "5"),
            ("attributes", "userName,emails"),
            ("excludedattributes", "groups"),
            ("other", "x"),
        ]))
        .unwrap();
        assert_eq!(p.filter.as_deref(), Some("userName eq \"x\""));
        assert_eq!(p.sort_by.as_deref(), Some("userName"));
        assert_eq!(p.sort_order.as_deref(), Some("descending"));
        assert_eq!((p.start_index, p.count), (Some(3), Some(5)));
        assert_eq!(p.attributes.as_deref(), Some("userName,emails"));
        assert_eq!(p.excluded_attributes.as_deref(), Some("groups"));
    }

    #[test]
    fn non_integer_paging_is_invalid_value() {
        let err = SearchParams::from_query(&pairs(&[("count", "ten")])).unwrap_err();
        assert_eq!(err.scim_type(), Some(crate::ScimType::InvalidValue));
        assert!(SearchParams::from_query(&pairs(&[("startIndex", "")])).is_err());
        assert!(SearchParams::from_query(&pairs(&[("startIndex", "1.5")])).is_err());
    }

    #[test]
    fn huge_paging_values_saturate() {
        let p = SearchParams::from_query(&pairs(&[
            ("count", "99999999999999999999999"),
            ("startIndex", "-99999999999999999999999"),
        ]))
        .unwrap();
        assert_eq!((p.count, p.start_index), (Some(i64::MAX), Some(i64::MIN)));
    }

    #[test]
    fn search_request_body_is_parsed() {
        let body = json!({
            "schemas": [SEARCH_REQUEST_URN],
            "attributes": ["displayName", "userName"],
            "excludedAttributes": "emails",
            "filter": "displayName sw \"smith\"",
            "startIndex": 1,
            "count": 10,
            "sortOrder": "ascending"
        });
        let p = SearchParams::from_body(&body).unwrap();
        assert_eq!(p.attributes.as_deref(), Some("displayName,userName"));
        assert_eq!(p.excluded_attributes.as_deref(), Some("emails"));
        assert_eq!(p.count, Some(10));
        assert_eq!(p.filter.as_deref(), Some("displayName sw \"smith\""));
    }

    #[test]
    fn search_request_without_urn_or_with_bad_types_is_rejected() {
        let no_urn = SearchParams::from_body(&json!({"filter": "x pr"})).unwrap_err();
        assert_eq!(no_urn.scim_type(), Some(crate::ScimType::InvalidSyntax));
        let bad = json!({"schemas": [SEARCH_REQUEST_URN], "count": "x"});
        assert!(SearchParams::from_body(&bad).is_err());
        let bad = json!({"schemas": [SEARCH_REQUEST_URN], "attributes": [1]});
        assert!(SearchParams::from_body(&bad).is_err());
        assert!(SearchParams::from_body(&json!([])).is_err());
    }
}
