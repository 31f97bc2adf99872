// The bench's workload and its RFC answers: 8 filters and 6 PATCH documents run by every library,
// each with a reference written directly from RFC 7643/7644 (`rfc`), and small probes that
// isolate one rule each (case-insensitive values, dateTime instants, `not`, URN paths, …).

import { ENTERPRISE, USER } from './users.mjs';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Lower case for attributes whose `caseExact` is false (all those the filters use). */
const ci = (s) => (typeof s === 'string' ? s.toLowerCase() : s);
const instant = (s) => Date.parse(s);
const some = (values, test) => Array.isArray(values) && values.some(test);

/** The 8 filters, built from the users so that the first one names an existing user. */
export function filterCases(users) {
  const target = users[Math.floor(users.length * 0.42)].userName.toUpperCase();
  const since = '2024-06-15T12:00:00Z';
  return [
    {
      text: `userName eq "${target}"`,
      rule: 'userName is caseExact=false: values compare case-insensitively',
      rfc: (u) => ci(u.userName) === ci(target),
    },
    { text: 'title pr', rule: 'pr: the attribute has a non-empty value', rfc: (u) => typeof u.title === 'string' && u.title !== '' },
    {
      text: 'emails[type eq "work" and value co "@example.com"]',
      rule: 'value filter on one email; emails.value is caseExact=false',
      rfc: (u) => some(u.emails, (e) => ci(e.type) === 'work' && ci(e.value).includes('@example.com')),
    },
    { text: 'name.familyName sw "k"', rule: 'sw on a caseExact=false sub-attribute', rfc: (u) => ci(u.name?.familyName ?? '').startsWith('k') },
    {
      text: `meta.lastModified gt "${since}"`,
      rule: 'dateTime compares instants, whatever the UTC offset of either side',
      rfc: (u) => instant(u.meta.lastModified) > instant(since),
    },
    {
      text: 'active eq true and title co "eng"',
      rule: 'co on a caseExact=false attribute',
      rfc: (u) => u.active === true && ci(u.title ?? '').includes('eng'),
    },
    {
      text: 'not (userType eq "Employee" or emails.type eq "home")',
      rule: 'not; emails.type looks at every email',
      rfc: (u) => !(ci(u.userType) === 'employee' || some(u.emails, (e) => ci(e.type) === 'home')),
    },
    {
      text: `${ENTERPRISE}:department eq "sales" and emails.value ew "@example.com"`,
      rule: 'URN-qualified extension attribute; caseExact=false values',
      rfc: (u) => ci(u[ENTERPRISE]?.department) === 'sales' && some(u.emails, (e) => ci(e.value).endsWith('@example.com')),
    },
  ];
}

const clone = (v) => structuredClone(v);

/** The 6 PATCH documents, each with the resource RFC 7644 §3.5.2 says it produces. */
export const PATCH_CASES = [
  {
    name: 'add email',
    ops: [{ op: 'add', path: 'emails', value: [{ value: 'second@example.org', type: 'other' }] }],
    rfc: (u) => {
      const r = clone(u);
      r.emails.push({ value: 'second@example.org', type: 'other' });
      return r;
    },
  },
  {
    name: 'replace filtered email value',
    ops: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'renamed@example.com' }],
    rfc: (u) => {
      const r = clone(u);
      for (const e of r.emails) if (ci(e.type) === 'work') e.value = 'renamed@example.com';
      return r;
    },
  },
  {
    name: 'remove filtered phone',
    ops: [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }],
    rfc: (u) => {
      const r = clone(u);
      r.phoneNumbers = r.phoneNumbers.filter((p) => ci(p.type) !== 'mobile');
      return r;
    },
  },
  {
    name: 'path-less replace of 3 attributes',
    ops: [{ op: 'replace', value: { displayName: 'Replaced Name', title: 'Director', active: false } }],
    rfc: (u) => ({ ...clone(u), displayName: 'Replaced Name', title: 'Director', active: false }),
  },
  {
    name: 'replace name.givenName',
    ops: [{ op: 'replace', path: 'name.givenName', value: 'Renamed' }],
    rfc: (u) => {
      const r = clone(u);
      r.name.givenName = 'Renamed';
      return r;
    },
  },
  {
    name: 'URN department',
    ops: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Research' }],
    rfc: (u) => {
      const r = clone(u);
      r[ENTERPRISE].department = 'Research';
      return r;
    },
  },
];

/** Filter probes: one resource, one filter, the RFC answer. */
export const FILTER_PROBES = [
  {
    rule: 'case-insensitive value (userName caseExact=false)',
    text: 'userName eq "bjensen"',
    resource: { userName: 'BJensen' },
    rfc: true,
  },
  { rule: 'case-exact value (id caseExact=true)', text: 'id eq "ABC"', resource: { id: 'abc' }, rfc: false },
  {
    rule: 'case-insensitive attribute name',
    text: 'USERNAME eq "bjensen"',
    resource: { userName: 'bjensen' },
    rfc: true,
  },
  {
    rule: 'dateTime offset: 01:00+02:00 is before 00:00Z',
    text: 'meta.lastModified gt "2024-06-01T00:00:00Z"',
    resource: { meta: { lastModified: '2024-06-01T01:00:00+02:00' } },
    rfc: false,
  },
  {
    rule: 'dateTime: fractional zero seconds are the same instant',
    text: 'meta.lastModified eq "2024-06-01T00:00:00.000Z"',
    resource: { meta: { lastModified: '2024-06-01T00:00:00Z' } },
    rfc: true,
  },
  { rule: 'not over a missing attribute', text: 'not (title eq "Boss")', resource: { userName: 'x' }, rfc: true },
  { rule: 'not pr', text: 'not (title pr)', resource: { userName: 'x', title: 'Boss' }, rfc: false },
  {
    rule: 'URN path to an extension attribute',
    text: `${ENTERPRISE}:department eq "Sales"`,
    resource: { [ENTERPRISE]: { department: 'Sales' } },
    rfc: true,
  },
  {
    rule: 'URN path to an extension sub-attribute',
    text: `${ENTERPRISE}:manager.value eq "42"`,
    resource: { [ENTERPRISE]: { manager: { value: '42' } } },
    rfc: true,
  },
  {
    rule: 'value filter, case-insensitive type',
    text: 'emails[type eq "work"]',
    resource: { emails: [{ type: 'Work', value: 'a@b.c' }] },
    rfc: true,
  },
];

/** Validation probes: resources whose RFC verdict a plain JSON Schema cannot reach. */
export const VALIDATE_PROBES = [
  {
    rule: 'attribute names are case-insensitive (RFC 7643 §2.1)',
    resource: { schemas: [USER], USERNAME: 'bjensen' },
    rfc: true,
  },
  {
    rule: 'one attribute given twice under two spellings',
    resource: { schemas: [USER], userName: 'bjensen', USERNAME: 'other' },
    rfc: false,
  },
  {
    rule: 'at most one primary value (RFC 7643 §2.4)',
    resource: {
      schemas: [USER],
      userName: 'bjensen',
      emails: [
        { value: 'a@example.com', primary: true },
        { value: 'b@example.com', primary: true },
      ],
    },
    rfc: false,
  },
  {
    rule: 'binary values are base64 (x509Certificates.value)',
    resource: { schemas: [USER], userName: 'bjensen', x509Certificates: [{ value: 'not base64!' }] },
    rfc: false,
  },
  {
    rule: 'a boolean is a JSON boolean, not a string',
    resource: { schemas: [USER], userName: 'bjensen', active: 'true' },
    rfc: false,
  },
  { rule: 'schemas must hold the core URN', resource: { schemas: [ENTERPRISE], userName: 'bjensen' }, rfc: false },
];
