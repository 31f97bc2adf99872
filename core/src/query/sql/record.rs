//! Reading one record by id, with what its representation needs, in one statement.

/// One live record with its direct memberships in live groups: `?1` tenant, `?2` resource
/// type, `?3` id; columns `id`, `version`, `data` and `groups`, a JSON array of
/// `[group id, resource type, display]` (`[]` for none). A primary-key lookup, then the
/// `memberships_by_member` index and a primary-key lookup per group: no scan.
pub const RECORD_WITH_GROUPS: &str = "SELECT r.id, r.version, r.data, \
     (SELECT json_group_array(json_array(g.id, g.resource_type, g.display)) \
      FROM memberships AS m \
      JOIN resources AS g ON g.tenant = m.tenant AND g.id = m.group_id AND g.deleted = 0 \
      WHERE m.tenant = ?1 AND m.member_id = ?3) AS groups \
     FROM resources AS r \
     WHERE r.tenant = ?1 AND r.resource_type = ?2 AND r.id = ?3 AND r.deleted = 0";
