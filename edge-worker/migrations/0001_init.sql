-- D1 schema of the SCIM Worker. See edge-worker/README.md ("Storage layout") for why each thing
-- lives where it does.

-- Every tenant's SCIM resources: one row per resource, the canonical JSON document in `data`,
-- next to the index columns the store needs (computed in Rust, never parsed out of `data` by SQL).
CREATE TABLE resources (
  tenant        TEXT    NOT NULL,
  resource_type TEXT    NOT NULL,           -- resource type id: User, Group, ...
  id            TEXT    NOT NULL,
  version       INTEGER NOT NULL,           -- compare-and-swap version; the ETag derives from it
  unique_key    TEXT,                       -- Unicode-lowercased userName (User) or displayName
                                            -- (Group, when unique); NULL once soft-deleted
  external_id   TEXT,
  display       TEXT,                       -- name shown in references (groups[].display)
  created       TEXT    NOT NULL,           -- fixed-width UTC text, sorts as time
  last_modified TEXT    NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0, -- 1: soft-deleted, invisible to every read
  data          TEXT    NOT NULL,           -- the JSON document
  PRIMARY KEY (tenant, resource_type, id)
);
-- Case-insensitive uniqueness of userName / displayName, enforced atomically by SQLite.
CREATE UNIQUE INDEX resources_unique_key
  ON resources (tenant, resource_type, unique_key) WHERE unique_key IS NOT NULL;
-- `externalId eq "..."` lookups (Entra ID and Okta match on it).
CREATE INDEX resources_external_id
  ON resources (tenant, resource_type, external_id) WHERE external_id IS NOT NULL;
-- Lookups by id across resource types (members of a group may be Users or Groups).
CREATE INDEX resources_by_id ON resources (tenant, id);
-- The default listing order: meta.created, then id.
CREATE INDEX resources_by_created ON resources (tenant, resource_type, created, id);

-- Direct group memberships, so a User's `groups` is one indexed query.
CREATE TABLE memberships (
  tenant    TEXT NOT NULL,
  group_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (tenant, group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_member ON memberships (tenant, member_id);

-- OAuth 2.0 clients (client-credentials grant). In D1, not KV: a client created by the admin API
-- must work at once, and a deleted one must stop at once (KV takes 60 s+ to propagate).
CREATE TABLE oauth_clients (
  client_id     TEXT PRIMARY KEY,
  tenant        TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,  -- hex SHA-256 of the random secret; the secret is never stored
  label         TEXT,
  created       TEXT NOT NULL
);
CREATE INDEX oauth_clients_by_tenant ON oauth_clients (tenant);

-- Access tokens issued by /oauth/token. In D1 for read-your-write: a client uses its token
-- right after receiving it, possibly at another location where KV would not have it yet.
CREATE TABLE tokens (
  sha256     TEXT PRIMARY KEY,  -- hex SHA-256 of the opaque token
  tenant     TEXT    NOT NULL,
  client_id  TEXT    NOT NULL,
  expires_at INTEGER NOT NULL   -- Unix seconds
);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);
CREATE INDEX tokens_by_client ON tokens (client_id);
