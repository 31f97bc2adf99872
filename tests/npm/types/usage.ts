// Compiled with tsc --strict against the package's index.d.ts (tests/npm/types.test.mjs):
// typical use must type-check, and misuse marked @ts-expect-error must not.
import { validate, compileFilter, applyPatch, Collection, ScimService, SchemaRegistry, ScimError, ScimStoreError, type ScimStore, type StoredRecord, type ValidationResult } from 'scim-edge';

const r: ValidationResult = validate({ userName: 'x' }, { resourceType: 'User', lenient: true });
if (r.valid) { const name: string | undefined = r.resource.userName as string; console.log(name); } else { r.errors.forEach((e) => e.path?.toUpperCase() + e.scimType); }
validate({}, { mode: 'replace', existing: { id: '1' } });
// @ts-expect-error replace needs existing
validate({}, { mode: 'replace' });
const f = compileFilter('userName pr', { lenient: true });
const out: { userName: string }[] = f.filter([{ userName: 'a' }]);
const ok: boolean = f.matches(out[0]);
const text: string = f.toString();
const p = applyPatch({ userName: 'a' }, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'x', value: 1 }] }, { quirks: { pathKeys: false } });
// @ts-expect-error unknown preset
applyPatch(p, { schemas: [], Operations: [] }, { quirks: 'sloppy' });
const reg = new SchemaRegistry({ schemas: [{ id: 'urn:x', attributes: [{ name: 'a', type: 'string' }] }] });
reg.schemas[0].attributes[0].type satisfies string;
class S implements ScimStore {
  async get(_t: string, _id: string): Promise<StoredRecord | null> { return null; }
  async create() {}
  async replace() {}
  async delete() { throw new ScimStoreError('notFound'); }
  list() { return []; }
  lookup() { return []; }
  groupsOf() { return []; }
}
const svc = new ScimService({ registry: reg, store: new S(), basePath: '/scim/v2', config: { maxResults: 10 } });
const res = await svc.handle({ method: 'GET', url: '/scim/v2/Users', headers: { host: 'x' } });
const s: number = res.status;
try { compileFilter('x'); } catch (e) { if (e instanceof ScimError) { const pos: number | undefined = e.position; console.log(pos, e.scimType, s, ok, text); } }
const held = new Collection<{ id: string; userName: string }>({ resourceType: 'User' }).addAll([{ id: '1', userName: 'a' }]);
const found: { id: string; userName: string }[] = held.filter(f);
const n: number = held.count('userName pr') + held.size;
// @ts-expect-error filters are text or a Filter
held.count(42);
console.log(found, n, held.get('1')?.userName, held.remove('1'));
