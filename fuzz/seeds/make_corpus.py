#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from RFC 7643/7644 examples and Okta/Entra
payloads. Run from anywhere: python3 fuzz/seeds/make_corpus.py (rewrites the seed files)."""
import json, os, random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def js(v):
    return json.dumps(v, separators=(",", ":"))


FILTERS = {
    "rfc-eq": 'userName Eq "john"',
    "rfc-co-quote": "name.familyName co \"O'Malley\"",
    "rfc-sw": 'userName sw "J"',
    "rfc-urn-sw": f'{USER}:userName sw "J"',
    "rfc-pr": "title pr",
    "rfc-gt-date": 'meta.lastModified gt "2011-05-13T04:42:34Z"',
    "rfc-le-date": 'meta.lastModified le "2011-05-13T04:42:34Z"',
    "rfc-and": 'title pr and userType eq "Employee"',
    "rfc-or": 'title pr or userType eq "Intern"',
    "rfc-schemas": f'schemas eq "{ENT}"',
    "rfc-paren": 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    "rfc-not": 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    "rfc-value-path": 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    "rfc-two-value-paths": 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    "okta-username": 'userName eq "isaac.brock@example.com"',
    "okta-group": 'displayName eq "Engineering"',
    "entra-unquoted": "externalId eq jyoung",
    "entra-subattr-after-filter": 'emails[type eq "work"].value eq "Test_User@contoso.com"',
    "entra-members": 'id eq "00000004" and members[value eq "00000001"]',
    "enterprise": f'{ENT}:employeeNumber eq "701984" or {ENT}:manager.value eq "00000002"',
    "bool-number-null": "active eq true and x509Certificates pr or name.givenName eq null",
    "offset-date": 'meta.created ge "2024-01-01T00:00:00.123456+02:00"',
    "escapes": 'displayName eq "Jos\\u00e9 \\"Pepe\\" \\\\ \\t"',
    "case": 'USERNAME EQ "X" AND Active Eq True OR NOT (Title PR)',
    "nested": "((((id pr))))",
    "ordering": 'id gt "0" and id lt "9" and meta.version ne "W/\\"1\\""',
    "group-members-display": 'members.display sw "Babs"',
    "decimal": "members.value gt 1.5e3",
}

PATHS = {
    "username": "userName",
    "sub": "name.familyName",
    "urn-attr": f"{USER}:userName",
    "urn-sub": f"{ENT}:manager.value",
    "urn-only": ENT,
    "filtered-sub": 'emails[type eq "work"].value',
    "members-filter": 'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
    "address": 'addresses[type eq "work"].streetAddress',
    "attr-list": "userName, name.givenName,emails,,meta.lastModified",
    "entra-unquoted": "emails[type eq work].value",
    "members-or": 'members[value eq "a" or value eq "b"]',
    "pr-filter": "x509Certificates[value pr]",
    "ref": "members.$ref",
    "dashes": "x-custom_attr-1.sub_2",
    "nested-filter": 'emails[not (type eq "home") and primary eq true].display',
    "spaces": "  name . givenName ",
}


def user_full():
    return {
        "schemas": [USER, ENT],
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True},
                   {"value": "babs@jensen.org", "type": "home"}],
        "phoneNumbers": [{"value": "555-555-5555", "type": "work"}],
        "active": True,
        "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJ"}],
        "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "version": 'W/"a330bc54f0671c9"'},
        ENT: {"employeeNumber": "701984", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}},
    }


OKTA_USER = {
    "schemas": [USER],
    "userName": "isaac.brock@example.com",
    "name": {"givenName": "Isaac", "familyName": "Brock"},
    "emails": [{"primary": True, "value": "isaac.brock@example.com", "type": "work"}],
    "displayName": "Isaac Brock",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}
ENTRA_USER = {
    "schemas": [USER, ENT],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_ab6490ee@contoso.com",
    "active": "True",
    "displayName": "Test User",
    "emails": [{"primary": "true", "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
    "roles": [],
    ENT: {"department": "Sales", "manager": {"value": "00000002"}},
}
GROUP_BODY = {"schemas": [GROUP], "displayName": "Tour Guides",
              "members": [{"value": "00000001", "$ref": "https://example.com/v2/Users/00000001", "display": "Babs Jensen"}]}
ENTRA_GROUP = {"schemas": [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
               "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "Group1DisplayName",
               "meta": {"resourceType": "Group"}}
OKTA_GROUP = {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []}

VALIDATE = {
    "rfc-minimal-user": {"schemas": [USER], "id": "2819c223-7f76-453a-919d-413861904646", "userName": "bjensen@example.com",
                         "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}},
    "rfc-full-user": user_full(),
    "rfc-group": GROUP_BODY,
    "okta-user": OKTA_USER,
    "entra-user": ENTRA_USER,
    "entra-group": ENTRA_GROUP,
    "okta-group": OKTA_GROUP,
    "case-insensitive": {"SCHEMAS": [USER.upper()], "USERNAME": "x", "Name": {"GIVENNAME": "a"}, "EMAILS": [{"VALUE": "a@b", "Primary": True}]},
    "duplicate-case": {"schemas": [USER], "userName": "a", "USERNAME": "b"},
    "wrong-types": {"schemas": [USER], "userName": 5, "active": "yes", "emails": {"value": "x"}, "name": "n", "displayName": ["a"]},
    "two-primaries": {"schemas": [USER], "userName": "p", "emails": [{"value": "a", "primary": True}, {"value": "b", "primary": True}]},
    "qualified-names": {"schemas": [USER, ENT], f"{USER}:userName": "q", f"{ENT}:employeeNumber": 7},
    "extension-unlisted": {"schemas": [USER], "userName": "e", ENT: {"costCenter": "1", "manager": {"value": "x"}}},
    "unknown-and-nulls": {"schemas": [USER, "urn:example:unknown"], "userName": "u", "nickName": None, "foo": 1, "emails": [], "name": {}},
    "bad-datetime-binary": {"schemas": [USER], "userName": "d", "meta": {"created": "yesterday"}, "x509Certificates": [{"value": "not base64!"}]},
    "group-members-types": {"schemas": [GROUP], "displayName": "g", "members": [{"value": "1", "type": "Robot"}, {"value": 2}, "3"]},
    "no-schemas": {"userName": "n", "active": "False"},
    "not-object": ["schemas", USER],
    "immutable-change": {"schemas": [GROUP], "displayName": "Tour Guides", "members": [{"value": "00000003"}]},
}

PATCH_BODIES = {
    "rfc-add-members": {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members",
        "value": [{"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223", "value": "2819c223"}]}]},
    "rfc-add-no-path": {"schemas": [PATCH], "Operations": [{"op": "add", "value": {
        "emails": [{"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}}]},
    "rfc-remove-member": {"schemas": [PATCH], "Operations": [{"op": "remove", "path": 'members[value eq "00000002"]'}]},
    "rfc-remove-all-members": {"schemas": [PATCH], "Operations": [{"op": "remove", "path": "members"}]},
    "rfc-remove-then-add": {"schemas": [PATCH], "Operations": [
        {"op": "remove", "path": 'members[value eq "00000001"]'},
        {"op": "add", "path": "members", "value": [{"display": "James Smith", "value": "00000003"}]}]},
    "rfc-replace-members": {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "members",
        "value": [{"display": "Babs Jensen", "value": "00000001"}, {"display": "James Smith", "value": "00000003"}]}]},
    "rfc-replace-filtered": {"schemas": [PATCH], "Operations": [{"op": "replace", "path": 'addresses[type eq "work"]',
        "value": {"type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood", "primary": True}}]},
    "rfc-replace-filtered-sub": {"schemas": [PATCH], "Operations": [{"op": "replace", "path": 'addresses[type eq "work"].streetAddress', "value": "1010 Broadway Ave"}]},
    "rfc-replace-no-path": {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}], "nickName": "Babs"}}]},
    "okta-deactivate": {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
    "okta-group-rename": {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"id": "00000004", "displayName": "Test SCIMv2"}}]},
    "okta-group-members-add": {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": "00000003", "display": "test.user@okta.local"}]}]},
    "entra-capitalised": {"schemas": [PATCH], "Operations": [
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}]},
    "entra-manager": {"schemas": [PATCH], "Operations": [{"op": "Add", "path": f"{ENT}:manager", "value": "00000003"}]},
    "entra-remove-member-value": {"schemas": [PATCH], "Operations": [{"op": "Remove", "path": "members", "value": [{"value": "00000002"}]}]},
    "entra-path-keys": {"schemas": [PATCH], "Operations": [{"op": "Add", "value": {
        'emails[type eq "work"].value': "x@contoso.com", "name.givenName": "Given", f"{ENT}:employeeNumber": "42", "active": "True"}}]},
    "entra-remove-manager": {"schemas": [PATCH], "Operations": [{"op": "Remove", "path": f"{ENT}:manager", "value": [{"value": "00000002"}]}]},
    "immutable-and-readonly": {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "id", "value": "x"}, {"op": "add", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}]},
    "schemas-and-extension": {"schemas": [PATCH], "Operations": [{"op": "remove", "path": ENT}, {"op": "replace", "path": "schemas", "value": [USER]}]},
    "bad-message": {"schemas": ["urn:wrong"], "Operations": {"op": "add"}},
    "null-values": {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "nickName", "value": None}, {"op": "add", "path": "emails", "value": []}]},
    "unmatched-filter": {"schemas": [PATCH], "Operations": [{"op": "remove", "path": 'emails[type eq "other"]'}, {"op": "replace", "path": 'phoneNumbers[type eq "fax"].value', "value": "1"}]},
}


def request(method, target, body=None, headers=()):
    lines = [f"{method} {target}"]
    hs = list(headers)
    if body is not None and not any(h.lower().startswith("content-type") for h in hs):
        hs.append("Content-Type: application/scim+json")
    lines += hs
    text = "\n".join(lines) + "\n\n"
    if body is not None:
        text += body if isinstance(body, str) else js(body)
    return text


def seq(*reqs):
    return "\n###\n".join(reqs)


SERVICE = {
    "discovery": seq(request("GET", "/ServiceProviderConfig"), request("GET", "/ResourceTypes/User"), request("GET", "/Schemas?count=1&startIndex=2"), request("GET", f"/Schemas/{ENT}")),
    "discovery-filter": request("GET", "/ResourceTypes?filter=id%20eq%20%22User%22"),
    "okta-lookup-then-create": seq(request("GET", "/Users?filter=userName%20eq%20%22isaac.brock%40example.com%22&startIndex=1&count=100"),
                                   request("POST", "/Users", OKTA_USER)),
    "okta-deactivate": request("PATCH", "/Users/00000001", PATCH_BODIES["okta-deactivate"]),
    "okta-group-members": seq(request("PATCH", "/Groups/00000004", PATCH_BODIES["okta-group-members-add"]),
                              request("GET", "/Groups/00000004?excludedAttributes=members")),
    "okta-put": request("PUT", "/Users/00000002", {"schemas": [USER], "id": "00000002", "userName": "jsmith", "active": True,
                                                    "name": {"givenName": "John", "familyName": "Smith"}}),
    "entra-create-and-patch": seq(request("GET", "/Users?filter=userName+eq+%22Test_User_ab6490ee%40contoso.com%22"),
                                  request("POST", "/Users", ENTRA_USER),
                                  request("PATCH", "/Users/00000005", PATCH_BODIES["entra-capitalised"]),
                                  request("GET", "/Users/00000005")),
    "entra-group": seq(request("POST", "/Groups", ENTRA_GROUP),
                       request("PATCH", "/Groups/00000005", {"schemas": [PATCH], "Operations": [{"op": "Add", "path": "members", "value": [{"value": "00000003"}]}]}),
                       request("GET", "/Groups?filter=displayName+eq+%22Group1DisplayName%22&excludedAttributes=members")),
    "entra-unquoted-filter": request("GET", "/Users?filter=externalId+eq+0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"),
    "list-sort-page": request("GET", "/Users?startIndex=2&count=1&sortBy=name.familyName&sortOrder=descending&attributes=userName,emails"),
    "search-root": request("POST", "/.search", {"schemas": [SEARCH], "filter": 'meta.resourceType eq "User" or displayName pr',
                                               "attributes": ["displayName"], "startIndex": 1, "count": 10}),
    "search-users": request("POST", "/Users/.search", {"schemas": [SEARCH], "filter": 'emails[type eq "work" and value co "@"]', "sortBy": "userName"}),
    "etag": seq(request("GET", "/Users/00000001", headers=['If-None-Match: W/"1"']),
                request("PUT", "/Users/00000001", user_full(), headers=['If-Match: W/"7"']),
                request("DELETE", "/Users/00000003", headers=['If-Match: W/"1"'])),
    "delete-member": seq(request("DELETE", "/Users/00000002"), request("GET", "/Groups/00000004"), request("GET", "/Users/00000002")),
    "bulk-rfc": request("POST", "/Bulk", {"schemas": [BULK], "failOnErrors": 1, "Operations": [
        {"method": "POST", "path": "/Users", "bulkId": "qwerty", "data": {"schemas": [USER], "userName": "Alice"}},
        {"method": "POST", "path": "/Groups", "bulkId": "ytrewq", "data": {"schemas": [GROUP], "displayName": "Tour Guides 2",
            "members": [{"type": "User", "value": "bulkId:qwerty"}]}},
        {"method": "PATCH", "path": "/Users/00000001", "version": 'W/"1"', "data": PATCH_BODIES["okta-deactivate"]},
        {"method": "DELETE", "path": "/Users/00000003"}]}),
    "bulk-circular": request("POST", "/Bulk", {"schemas": [BULK], "Operations": [
        {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"schemas": [GROUP], "displayName": "A", "members": [{"value": "bulkId:b"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"schemas": [GROUP], "displayName": "B", "members": [{"value": "bulkId:a"}]}}]}),
    "errors": seq(request("POST", "/Users", "{not json"), request("POST", "/Users", "userName=x", headers=["Content-Type: text/plain"]),
                  request("HEAD", "/Users"), request("GET", "/Me")),
    "duplicate-username": request("POST", "/Users", {"schemas": [USER], "userName": "BJENSEN@example.com"}),
    "percent-and-bad-query": request("GET", "/Users/%30%30%30%30%30%30%30%31?attributes=%zz&filter=userName%20eq"),
    "user-groups-attr": request("GET", "/Users?filter=groups.value%20eq%20%2200000004%22&attributes=groups"),
}

QUIRKS = ["okta-deactivate", "entra-create-and-patch", "entra-group", "entra-unquoted-filter",
          "bulk-rfc", "delete-member", "list-sort-page", "okta-group-members"]


def main():
    for name, text in FILTERS.items():
        write("filter", name, text)
    for name, text in PATHS.items():
        write("path", name, text)
    for name, body in VALIDATE.items():
        write("validate", name + ".json", json.dumps(body, indent=1))
    for name, body in PATCH_BODIES.items():
        write("patch", name + ".json", js(body))
    rng = random.Random(9)
    for i in range(4):
        write("patch", f"structured-{i}", bytes(rng.randrange(256) for _ in range(64)))
    for name, text in SERVICE.items():
        write("service", name + ".http", text)
    # A leading "!" runs the input under the quirks configuration (lenient, soft delete, ...).
    for name in QUIRKS:
        write("service", "quirks-" + name + ".http", "!" + SERVICE[name])


if __name__ == "__main__":
    main()
