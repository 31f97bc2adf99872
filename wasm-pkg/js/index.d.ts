// Types of the scim-edge package (the same API from `node.js` and `web.js`).

/** The package version. */
export function version(): string;

// ---------------------------------------------------------------------------------------------
// Errors

/** The `scimType` codes of RFC 7644 §3.12, Table 9. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error of the SCIM engine, with its RFC 7644 §3.12 mapping. Every export throws these. */
export class ScimError extends Error {
  constructor(status: number, scimType?: ScimType, detail?: string, path?: string, position?: number);
  readonly name: 'ScimError';
  /** HTTP status: 400 for client mistakes, 404, 409 (uniqueness), 412, … */
  readonly status: number;
  /** RFC 7644 §3.12 `scimType`, when the error has one. */
  readonly scimType: ScimType | undefined;
  /** Human-readable description (also the `message`). */
  readonly detail: string;
  /** The attribute path concerned (`emails[1].value`, `name.givenName`), when there is one. */
  readonly path: string | undefined;
  /** For filter and path syntax errors: index in the text (a JS string index) where it failed. */
  readonly position: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Resources and schemas (RFC 7643)

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A SCIM resource: a JSON object with `schemas`, attributes, and extension objects under their URN. */
export interface ScimResource {
  schemas?: string[];
  id?: string;
  externalId?: string;
  meta?: {
    resourceType?: string;
    created?: string;
    lastModified?: string;
    location?: string;
    version?: string;
  };
  [attribute: string]: JsonValue | undefined;
}

/** The data types of RFC 7643 §2.3. */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** An attribute definition (RFC 7643 §7); omitted characteristics take their RFC defaults. */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued?: boolean;
  description?: string;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
  /** Extension: reject values outside `canonicalValues`. */
  strictCanonical?: boolean;
}

/** A schema definition as `/Schemas` serves it (RFC 7643 §7). */
export interface SchemaDefinition {
  /** The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  id: string;
  name?: string;
  description?: string;
  attributes: AttributeDefinition[];
}

/** A resource type as `/ResourceTypes` serves it (RFC 7643 §6). */
export interface ResourceTypeDefinition {
  id: string;
  name: string;
  /** Endpoint relative to the base URL, e.g. `/Users`. */
  endpoint: string;
  description?: string;
  /** URN of the core schema. */
  schema: string;
  schemaExtensions?: { schema: string; required?: boolean }[];
}

/** The built-in resource types; custom ones are any other string a registry knows. */
export type ResourceTypeName = 'User' | 'Group' | (string & {});

/** A `/Schemas` or `/ResourceTypes` answer: a ListResponse whose `Resources` holds the definitions. */
export interface ListResponse<T> {
  schemas?: string[];
  Resources: T[];
  totalResults?: number;
  [key: string]: unknown;
}

/** Custom definitions for a {@link SchemaRegistry}. */
export interface RegistryDefinitions {
  /** Start from the built-in User, Group and EnterpriseUser schemas (default `true`). */
  builtin?: boolean;
  /** Custom schemas: one, an array, or a `/Schemas` ListResponse. */
  schemas?: SchemaDefinition | SchemaDefinition[] | ListResponse<SchemaDefinition>;
  /** Custom resource types using registered schemas: one, an array, or a ListResponse. */
  resourceTypes?: ResourceTypeDefinition | ResourceTypeDefinition[] | ListResponse<ResourceTypeDefinition>;
  /** Extension schemas to attach to existing resource types (e.g. a company User extension). */
  extensions?: { resourceType: ResourceTypeName; schema: string; required?: boolean }[];
}

/** Schemas and resource types: the RFC 7643 built-ins, plus custom ones when loaded. */
export class SchemaRegistry {
  /**
   * The built-in registry (User with the EnterpriseUser extension, Group), plus `definitions`.
   * Every definition is checked (URN ids, RFC 7643 §2.1 attribute names, no duplicates, complex
   * attributes with sub-attributes, resource types naming registered schemas); a bad one throws
   * a {@link ScimError} whose `path` is `<schema id>:<attribute>`, and nothing is loaded.
   */
  constructor(definitions?: RegistryDefinitions);
  /** Every schema, built-in first. */
  readonly schemas: SchemaDefinition[];
  /** Every resource type. */
  readonly resourceTypes: ResourceTypeDefinition[];
  /** The schema with this URN (case-insensitive). */
  schema(id: string): SchemaDefinition | undefined;
  /** The resource type with this id or name (case-insensitive). */
  resourceType(name: string): ResourceTypeDefinition | undefined;
  /** Same as the top-level {@link validate}, with this registry. */
  validate(resource: unknown, options?: ValidateOptions): ValidationResult;
  /** Same as the top-level {@link applyPatch}, with this registry. */
  applyPatch(resource: ScimResource, patch: PatchOp, options?: PatchOptions): ScimResource;
  /** Same as the top-level {@link compileFilter}, with this registry. */
  compileFilter(text: string, options?: FilterOptions): Filter;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Options every operation takes. */
export interface RegistryOptions {
  /** The registry to use; the built-in one (User, Group, EnterpriseUser) by default. */
  registry?: SchemaRegistry;
  /** The resource type the resource or filter is about; `'User'` by default. */
  resourceType?: ResourceTypeName;
}

// ---------------------------------------------------------------------------------------------
// Validation (RFC 7643)

/** Options of {@link validate}. */
export type ValidateOptions = RegistryOptions & {
  /**
   * Accept what sloppy clients send: unknown attributes and `schemas` entries are dropped, a
   * missing `schemas` is supplied, a single value is wrapped where an array is expected,
   * `"True"`/`"false"` strings become booleans, numbers for string attributes become strings.
   */
  lenient?: boolean;
} & (
    | { /** A new resource (POST); the default. */ mode?: 'create'; existing?: undefined }
    | {
        /** A replacement (PUT): immutable attributes must keep the existing values. */
        mode: 'replace';
        /** The stored resource being replaced. */
        existing: ScimResource;
      }
  );

/** One violation found by {@link validate}. */
export interface ValidationError {
  /**
   * Where: `userName`, `name.givenName`, `emails[1].value`, `schemas[0]`, or
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`. Absent when the
   * whole body is wrong (not an object).
   */
  path?: string;
  /** `invalidValue`, `mutability`, or `invalidSyntax` (body not a JSON object). */
  scimType: ScimType;
  /** What is wrong. */
  detail: string;
  /** The HTTP status a SCIM service answers with (400). */
  status: number;
}

/** The outcome of {@link validate}. */
export type ValidationResult =
  | {
      valid: true;
      errors: [];
      /**
       * The resource as the engine stores it: canonical attribute names, extension objects under
       * their URN, `schemas` rebuilt, readOnly attributes (`id`, `meta`, …) and unassigned values
       * dropped; values otherwise exactly as sent.
       */
      resource: ScimResource;
    }
  | { valid: false; errors: ValidationError[]; resource?: undefined };

/**
 * Validates a resource against its resource type's schemas (User, Group, EnterpriseUser or
 * custom). Violations are returned, not thrown; a {@link ScimError} is thrown only for invalid
 * options (unknown `resourceType`, `mode: 'replace'` without `existing`).
 */
export function validate(resource: unknown, options?: ValidateOptions): ValidationResult;

// ---------------------------------------------------------------------------------------------
// PATCH (RFC 7644 §3.5.2)

/** One PATCH operation. `op` may be `Add`/`Replace`/`Remove` (any case) with the `opAnyCase` quirk. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove' | (string & {});
  /** Attribute path, e.g. `emails[type eq "work"].value`; absent: the value's keys are the targets. */
  path?: string;
  value?: JsonValue;
}

/** A PatchOp message. */
export interface PatchOp {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] | string[];
  Operations: PatchOperation[];
}

/** The client quirks PATCH accepts on top of RFC 7644 §3.5.2 (see the package README). */
export interface PatchQuirks {
  /** `Add`, `Replace`, `Remove` in any case (Entra). Default on. */
  opAnyCase?: boolean;
  /** `"True"`/`"False"` strings for booleans (Entra). Default on. */
  stringBooleans?: boolean;
  /** Path-less values whose keys are paths, `{"name.givenName": "x"}` (Entra). Default on. */
  pathKeys?: boolean;
  /** A plain string for a complex attribute with `value`, e.g. `manager` (Entra). Default on. */
  scalarAsValue?: boolean;
  /** `remove` with a `value` list removes just those values, e.g. group members (Entra, Okta). Default on. */
  removeListedValues?: boolean;
  /** `add`/`replace` on `emails[type eq "work"].value` creates the missing value (Entra, Okta). Default on. */
  createMissingValue?: boolean;
  /** `remove` with a filter matching nothing succeeds instead of `noTarget`. Default off. */
  removeUnmatchedOk?: boolean;
  /** Paths parsed leniently (e.g. unquoted filter values). Default on. */
  lenientPaths?: boolean;
}

/** Options of {@link applyPatch}. */
export interface PatchOptions extends RegistryOptions {
  /**
   * `'default'`: every quirk that cannot change the meaning of a strict request; `'strict'`:
   * RFC 7644 only; `'lenient'`: all of them; or flags over the defaults.
   */
  quirks?: 'default' | 'strict' | 'lenient' | PatchQuirks;
}

/**
 * Applies a PatchOp to a resource (in canonical form, as `validate` returns it) and returns
 * the new resource; the input is untouched. Only the attributes the PATCH targets are new
 * values: the others are the input's own values, shared (copy with `structuredClone` before
 * mutating either in place). Atomic: throws a {@link ScimError}
 * (`invalidSyntax`, `invalidPath`, `invalidFilter`, `noTarget`, `invalidValue`, `mutability`)
 * and changes nothing when any operation fails.
 */
export function applyPatch(resource: ScimResource, patch: PatchOp, options?: PatchOptions): ScimResource;

// ---------------------------------------------------------------------------------------------
// Filters (RFC 7644 §3.4.2.2)

/** Options of {@link compileFilter}. */
export interface FilterOptions extends RegistryOptions {
  /**
   * Accept Microsoft Entra ID's quirks: unquoted values (`externalId eq jyoung`) and
   * `emails[type eq "work"].value eq "x"`. Strict RFC 7644 syntax by default.
   */
  lenient?: boolean;
  /** Treat unknown attributes as absent instead of throwing `invalidFilter`. */
  lenientUnknown?: boolean;
}

/**
 * A filter compiled once for a resource type. Resources are read with attribute names in
 * their canonical (schema) case, as `validate`, `applyPatch` and `ScimService` return them.
 */
export class Filter {
  private constructor();
  /** Whether `resource` satisfies the filter (`false` for anything but an object). */
  matches(resource: unknown): boolean;
  /** The resources that satisfy the filter: the same objects, in their order. */
  filter<T extends object>(resources: readonly T[]): T[];
  /** The filter in canonical RFC 7644 text; compiling it again gives the same filter. */
  toString(): string;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Options of a {@link Collection}. */
export interface CollectionOptions extends RegistryOptions {
  /** The resource type held and filtered (default `'User'`). */
  resourceType?: ResourceTypeName;
}

/**
 * Resources of one resource type held inside the engine (their values copied into compact
 * columns when added): `filter` and `count` run in WebAssembly over the columns, without
 * crossing into JavaScript per resource, and `filter` gives back the objects you added.
 * Resources are found by `id`.
 */
export class Collection<T extends ScimResource = ScimResource> implements Iterable<T> {
  constructor(options?: CollectionOptions);
  /** How many resources are held. */
  readonly size: number;
  /** Adds a resource (in canonical form), replacing the held one with the same `id`. */
  add(resource: T): this;
  /** Adds many resources in one call, each replacing the held one with the same `id`. */
  addAll(resources: readonly T[]): this;
  /** Replaces the resource with the same `id` and returns the replaced one; a {@link ScimError} 404 when there is none. */
  replace(resource: T): T;
  /** Removes the resource with this `id`; whether there was one. */
  remove(id: string): boolean;
  /** The resource with this `id`. */
  get(id: string): T | undefined;
  /** The resources a filter matches, in insertion order. Filter texts are compiled once and cached; a `Filter` compiled for another resource type throws `invalidFilter`. */
  filter(filter: string | Filter): T[];
  /** How many resources a filter matches. */
  count(filter: string | Filter): number;
  [Symbol.iterator](): Iterator<T>;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
}

/**
 * Parses and compiles a SCIM filter. Throws a {@link ScimError} (`invalidFilter`, with
 * `position`) for a syntax error, an unknown attribute or a comparison RFC 7644 forbids.
 */
export function compileFilter(text: string, options?: FilterOptions): Filter;

// ---------------------------------------------------------------------------------------------
// The SCIM service (RFC 7644)

/** An HTTP request as the service takes it. */
export interface ScimRequest {
  /** `GET`, `POST`, `PUT`, `PATCH`, `DELETE` (any case); `GET` by default. */
  method?: string;
  /** Absolute URL or path with query, e.g. `req.url` of `node:http`: `/scim/v2/Users?filter=…`. */
  url: string;
  /** Plain object (as `node:http` gives: values may be arrays), `Headers`, a `Map`, or pairs. */
  headers?:
    | Record<string, string | string[] | undefined>
    | Headers
    | Map<string, string>
    | Iterable<readonly [string, string]>;
  /** The body: text, bytes (`Buffer`, `Uint8Array`), or a value already parsed from JSON. */
  body?: string | Uint8Array | ArrayBuffer | JsonValue;
}

/** The response to send back. */
export interface ScimResponse {
  status: number;
  /** e.g. `Content-Type`, `ETag`, `Location`, `Allow`, `Retry-After`. */
  headers: Record<string, string>;
  /** JSON text (a resource, a ListResponse or a SCIM error), or `''` for 204. */
  body: string;
}

/** A resource as a store keeps it. */
export interface StoredRecord {
  id: string;
  /** Incremented by the service on each change; the ETag derives from it. */
  version: number;
  /** The canonical document (`schemas`, `id`, `meta` without `location`, attributes). */
  data: ScimResource;
}

/** Index columns stored next to a record. */
export interface RecordIndex {
  /** Must be unique among live records of the type (lowercased `userName`, …); `null` if none. */
  uniqueKey: string | null;
  externalId: string | null;
  /** Name shown for this resource in references (`groups[].display`). */
  display: string | null;
  /** `meta.created`, fixed-width UTC text: sorts as text. */
  created: string;
  lastModified: string;
  /** Ids of the direct members (Groups). */
  members: string[];
  /** Soft-deleted: keep, but hide from every read. */
  deleted: boolean;
}

/** A reference to a stored resource of any type. */
export interface ResourceRef {
  id: string;
  resourceType: string;
  display?: string | null;
}

/** What the service asks `list` for; the store may ignore it and return every live record. */
export interface ListRequest {
  /** 1-based index of the first result wanted. */
  startIndex: number;
  /** Most results wanted. */
  count: number;
}

/**
 * Storage of one tenant, implemented in JavaScript. Methods may return promises. Failures:
 * throw a {@link ScimStoreError} (`notFound`, `versionMismatch`, `duplicate`, `idTaken`);
 * anything else thrown is answered with 500.
 */
export interface ScimStore {
  /** The live record, or `null`/`undefined`. */
  get(resourceType: string, id: string): Promise<StoredRecord | null | undefined> | StoredRecord | null | undefined;
  /** Stores a new record; `idTaken` or `duplicate` (unique key taken) leave the store unchanged. */
  create(resourceType: string, record: StoredRecord, index: RecordIndex): Promise<void> | void;
  /** Replaces the record if its stored version is `expectedVersion` (else `versionMismatch`). */
  replace(resourceType: string, record: StoredRecord, index: RecordIndex, expectedVersion: number): Promise<void> | void;
  /** Removes the record (and its memberships) if its stored version is `expectedVersion`. */
  delete(resourceType: string, id: string, expectedVersion: number): Promise<void> | void;
  /**
   * Every live record of the type (or a superset: the service filters, sorts and pages), or a
   * page `{ total, records }` the store computed itself.
   */
  list(
    resourceType: string,
    query: ListRequest,
  ): Promise<StoredRecord[] | { total: number; records: StoredRecord[] }> | StoredRecord[] | { total: number; records: StoredRecord[] };
  /** The live resources of any type among `ids`. */
  lookup(ids: string[]): Promise<ResourceRef[]> | ResourceRef[];
  /** The direct memberships of these members in live groups. */
  groupsOf(memberIds: string[]): Promise<{ memberId: string; group: ResourceRef }[]> | { memberId: string; group: ResourceRef }[];
}

/** Thrown by a {@link ScimStore} to report an outcome the service answers for. */
export class ScimStoreError extends Error {
  constructor(code: 'notFound' | 'versionMismatch' | 'duplicate' | 'idTaken', message?: string);
  readonly name: 'ScimStoreError';
  readonly code: 'notFound' | 'versionMismatch' | 'duplicate' | 'idTaken';
}

/** Limits and behaviour switches of a service. */
export interface ScimServiceConfig {
  /** Largest page a list returns, and the default `count` (200). */
  maxResults?: number;
  /** Most operations in one Bulk request (1000). */
  bulkMaxOperations?: number;
  /** Largest Bulk body in bytes (1 MiB). */
  bulkMaxPayloadSize?: number;
  /** Largest other body in bytes (1 MiB); larger is 413. */
  maxBodySize?: number;
  /** Answer a successful PATCH with 204 instead of 200 and the resource. */
  patchReturnsNoContent?: boolean;
  /** DELETE of a User keeps it with `active: false`, hidden from every read. */
  softDelete?: boolean;
  /** Drop unknown attributes and accept lenient filter syntax. */
  lenient?: boolean;
  /** Group `displayName` must be unique (case-insensitively). */
  groupDisplayNameUnique?: boolean;
  /** `documentationUri` of `/ServiceProviderConfig`. */
  documentationUri?: string;
}

/** Options of {@link ScimService}. */
export interface ScimServiceOptions {
  /** Schemas and resource types served; the built-in ones by default. */
  registry?: SchemaRegistry;
  /** Where resources are kept; an in-memory store (lost with the service) by default. */
  store?: ScimStore;
  /** Path prefix the service is mounted under, stripped from request URLs, e.g. `/scim/v2`. */
  basePath?: string;
  /** Absolute base URL for `meta.location` and `Location`; else from the request URL or `Host`. */
  baseUrl?: string;
  config?: ScimServiceConfig;
  /** The clock, in milliseconds since the epoch or a `Date`; `Date.now` by default. */
  now?: () => number | Date;
  /** New resource ids; random UUIDs by default. */
  newId?: () => string;
}

/**
 * A SCIM 2.0 service: `/Users`, `/Groups` and custom endpoints (CRUD, PATCH, filters, sort,
 * pagination, ETags), `/.search`, `/Bulk`, `/ServiceProviderConfig`, `/ResourceTypes`,
 * `/Schemas`. Authentication is the caller's job.
 */
export class ScimService {
  constructor(options?: ScimServiceOptions);
  /** Answers one request. Never rejects for client mistakes: those are 4xx responses. */
  handle(request: ScimRequest): Promise<ScimResponse>;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
}
