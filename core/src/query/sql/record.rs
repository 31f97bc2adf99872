//! Reading records with what their representation needs, in one statement.

/// The result column `groups` of a record `r`: its direct memberships in live groups, as a
/// JSON array of `[group id, resource type, display]` (`[]` for none), through the
/// `memberships_by_member` index and a `resources_by_id` lookup per group (`CROSS JOIN` fixes
/// that order: without statistics SQLite may otherwise walk every resource of the tenant).
macro_rules! groups_column {
    () => {
        "(SELECT json_group_array(json_array(g.id, g.resource_type, g.display)) \
         FROM memberships AS m \
         CROSS JOIN resources AS g \
         ON g.tenant = m.tenant AND g.id = m.group_id AND g.deleted = 0 \
         WHERE m.tenant = r.tenant AND m.member_id = r.id) AS groups"
    };
}

/// [`groups_column!`] as a constant, for the list statements.
pub(super) const GROUPS_COLUMN: &str = groups_column!();

/// One live record with its direct memberships in live groups: `?1` tenant, `?2` resource
/// type, `?3` id; columns `id`, `version`, `data` and `groups` (the memberships). A
/// primary-key lookup, then the memberships index: no scan.
pub const RECORD_WITH_GROUPS: &str = concat!(
    "SELECT r.id, r.version, r.data, ",
    groups_column!(),
    " FROM resources AS r \
     WHERE r.tenant = ?1 AND r.resource_type = ?2 AND r.id = ?3 AND r.deleted = 0"
);
