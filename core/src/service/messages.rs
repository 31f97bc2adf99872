//! URNs and builders of the SCIM protocol messages (RFC 7644 §3.4.2, §3.4.3, §3.5.2, §3.7).

use alloc::vec::Vec;
use serde_json::{json, Value};

/// URN of the `ListResponse` message.
pub const LIST_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// URN of the `SearchRequest` message.
pub const SEARCH_REQUEST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/// URN of the `BulkRequest` message.
pub const BULK_REQUEST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// URN of the `BulkResponse` message.
pub const BULK_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

/// A `ListResponse` body: `totalResults`, `startIndex` and `itemsPerPage` are JSON integers and
/// `Resources` is always present (empty when nothing matched).
pub fn list_response(total: usize, start_index: usize, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE_URN],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_list_response_has_integers_and_empty_resources() {
        let v = list_response(0, 1, Vec::new());
        assert_eq!(v["schemas"][0], LIST_RESPONSE_URN);
        assert!(v["totalResults"].is_u64());
        assert_eq!(v["totalResults"], 0);
        assert_eq!(v["startIndex"], 1);
        assert_eq!(v["itemsPerPage"], 0);
        assert_eq!(v["Resources"], json!([]));
    }
}
