// Filter evaluation on JS objects. The compiled filter's emitted JavaScript (Filter.jsSource)
// decides what it can; whatever it leaves undecided goes to wasm, reading only what the
// compiled filter uses: `plan` names those attributes, a projector copies them out of each
// resource, and the projections cross into wasm as one JSON text (one call for a whole array).
import { Filter } from './scim_wasm.js';
import { ScimError } from './scim-error.js';
import { instantiate } from './emitted.js';

/** Copies the planned fields of one object: whole values, or only some sub-attributes. */
function projectFields(fields, object) {
  const out = {};
  for (const [name, whole, subs] of fields) {
    const value = object[name];
    if (value === undefined) continue;
    if (whole) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map((item) => projectElement(subs, item));
    else out[name] = projectElement(subs, value);
  }
  return out;
}

/** One value of a complex attribute: only the sub-attributes `subs`, when it is an object. */
function projectElement(subs, value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out = {};
  for (const name of subs) {
    const v = value[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Per filter, under this key: the emitted predicate (`null` when it cannot run) and the wasm
 * projector (a property of the instance: cheaper to reach than a WeakMap entry per call). */
const COMPILED = Symbol('compiled');

function compiledOf(filter) {
  let entry = filter[COMPILED];
  if (entry === undefined) {
    const [fields, extensions] = filter.plan;
    const project = (resource) => {
      const doc = projectFields(fields, resource);
      for (const [urn, attrs] of extensions) {
        const ext = resource[urn];
        if (typeof ext === 'object' && ext !== null) doc[urn] = projectFields(attrs, ext);
      }
      return doc;
    };
    entry = { predicate: instantiate(filter.jsSource) ?? null, project };
    Object.defineProperty(filter, COMPILED, { value: entry });
  }
  return entry;
}

/** Whether one resource satisfies the filter (`false` for anything but an object). */
Filter.prototype.matches = function matches(resource) {
  if (typeof resource !== 'object' || resource === null) return false;
  const { predicate, project } = compiledOf(this);
  const decided = predicate === null ? undefined : predicate(resource);
  return decided ?? this.matchesJson(JSON.stringify(project(resource)));
};

/** The resources of the array that satisfy the filter: the same objects, in order. */
Filter.prototype.filter = function filter(resources) {
  if (!Array.isArray(resources)) throw new ScimError(400, 'invalidValue', 'resources: filter() takes an array', 'resources');
  const { predicate, project } = compiledOf(this);
  const out = [];
  let start = 0;
  // While the predicate decides, keep the matches as they come.
  if (predicate !== null) {
    for (; start < resources.length; start++) {
      const r = resources[start];
      if (typeof r !== 'object' || r === null) continue;
      const decided = predicate(r);
      if (decided === undefined) break;
      if (decided) out.push(r);
    }
  }
  if (start === resources.length) return out;
  // From the first undecided resource on: decide what the predicate can, then ask wasm about
  // the rest in one call.
  const verdicts = new Array(resources.length - start);
  const undecided = [];
  for (let i = start; i < resources.length; i++) {
    const r = resources[i];
    if (typeof r !== 'object' || r === null) verdicts[i - start] = false;
    else if ((verdicts[i - start] = predicate === null ? undefined : predicate(r)) === undefined) undecided.push(i);
  }
  if (undecided.length > 0) {
    const docs = undecided.map((i) => project(resources[i]));
    for (const at of this.filterJson(JSON.stringify(docs))) verdicts[undecided[at] - start] = true;
    for (const i of undecided) verdicts[i - start] ??= false;
  }
  for (let i = start; i < resources.length; i++) if (verdicts[i - start]) out.push(resources[i]);
  return out;
};
