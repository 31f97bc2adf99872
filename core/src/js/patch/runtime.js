// The PATCH runtime every emitted PATCH function carries: core/src/patch/exec.rs step for step,
// on plain JS values, copy-on-write (nothing reachable from the input is ever written). Any
// case core would answer with an error, or that this code cannot be sure of, throws; the
// emitted function then returns undefined and the package asks wasm.
const FAIL = new Error('undecided');
function fail() {
  throw FAIL;
}
function isObj(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isEmpty(o) {
  for (const _ in o) return false;
  return true;
}
function copy(o) {
  return Object.assign({}, o);
}
// Whether `v` crosses JSON.stringify and serde_json unchanged: well-formed strings, finite
// numbers other than -0, plain objects and dense arrays, nothing else.
function plain(v, depth) {
  switch (typeof v) {
    case 'string':
      return v.isWellFormed();
    case 'number':
      return Number.isFinite(v) && (v !== 0 || 1 / v > 0);
    case 'boolean':
      return true;
    case 'object':
      if (v === null) return true;
      if (depth > 48) return false;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === undefined || !plain(x, depth + 1)) return false;
        }
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k in v) {
        if (k === '__proto__' || !k.isWellFormed()) return false;
        const x = v[k];
        if (x === undefined || !plain(x, depth + 1)) return false;
      }
      return Object.getOwnPropertySymbols(v).length === 0;
    default:
      return false;
  }
}
// A fresh copy of a plain value.
function clone(v) {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(clone);
  const o = {};
  for (const k in v) o[k] = clone(v[k]);
  return o;
}
// serde_json's Value equality on plain values.
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    n++;
    if (!same(a[k], b[k])) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}
function sameOpt(a, b) {
  return a === undefined || b === undefined ? a === b : same(a, b);
}
// Core's case folding (`foldStable`, js/fold.js), or undecided.
function fold(s) {
  const f = foldStable(s);
  if (f === undefined) fail();
  return f;
}
function strEq(a, b, caseExact) {
  if (a === b) return true;
  if (caseExact) return false;
  return fold(a) === fold(b);
}
function asciiEqI(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !((x | 32) === (y | 32) && (x | 32) >= 97 && (x | 32) <= 122)) return false;
  }
  return true;
}
function scalarEq(A, a, b) {
  return typeof a === 'string' && typeof b === 'string' ? strEq(a, b, A.ce) : same(a, b);
}
function sameItem(A, a, b) {
  if (!A.cx) return scalarEq(A, a, b);
  const va = isObj(a) ? a.value : undefined;
  const vb = isObj(b) ? b.value : undefined;
  if (A.vs !== null && va !== undefined && vb !== undefined) {
    if (!scalarEq(A.vs, va, vb)) return false;
    const ta = a.type;
    const tb = b.type;
    return A.ts === null || ta === undefined || tb === undefined || scalarEq(A.ts, ta, tb);
  }
  return same(a, b);
}
function isPrimary(v) {
  return isObj(v) && v.primary === true;
}
function clearOtherPrimaries(items, keep) {
  for (let i = 0; i < items.length; i++) {
    if (i !== keep && isPrimary(items[i])) {
      const o = copy(items[i]);
      o.primary = false;
      items[i] = o;
    }
  }
}
function locked(A, current) {
  return A.ro || (A.im && current !== undefined);
}
// The extension object `urn` as a container the step owns (created empty when missing).
function ext(w, urn) {
  const v = w[urn];
  let o;
  if (v === undefined) o = {};
  else if (isObj(v)) o = copy(v);
  else fail();
  w[urn] = o;
  return o;
}
function itemsMut(c, A) {
  const v = c[A.n];
  let items;
  if (v === undefined) items = [];
  else if (Array.isArray(v)) items = v.slice();
  else fail();
  c[A.n] = items;
  return items;
}
function objectMut(c, A) {
  const v = c[A.n];
  let o;
  if (v === undefined) o = {};
  else if (isObj(v)) o = copy(v);
  else fail();
  c[A.n] = o;
  return o;
}
function requiredSubs(A, v) {
  if (!isObj(v)) return;
  for (const n of A.rs) if (v[n] === undefined) fail();
}
function settle(c, A) {
  const v = c[A.n];
  let empty = false;
  if (Array.isArray(v)) {
    let items = v;
    for (let i = 0; i < v.length; i++) {
      if (isObj(v[i]) && isEmpty(v[i])) {
        items = v.filter((x) => !isObj(x) || !isEmpty(x));
        c[A.n] = items;
        break;
      }
    }
    let primaries = 0;
    for (const x of items) if (isPrimary(x)) primaries++;
    if (primaries > 1) fail();
    for (const x of items) requiredSubs(A, x);
    empty = items.length === 0;
  } else if (isObj(v)) {
    requiredSubs(A, v);
    empty = isEmpty(v);
  }
  if (empty) {
    if (A.req) fail();
    delete c[A.n];
  }
}
function checkWritable(A, current, value) {
  if (A.ro ? !sameOpt(current, value) : A.im && current !== undefined && !same(current, value)) fail();
}
function removeSub(o, S, parentLocked) {
  if (S.req) fail();
  if (parentLocked || locked(S, o[S.n])) fail();
  delete o[S.n];
}
function writeSub(o, S, value, parentLocked) {
  if (value === null) return removeSub(o, S, parentLocked);
  const current = o[S.n];
  if (current !== undefined && same(current, value)) return;
  if (parentLocked || locked(S, current)) fail();
  o[S.n] = clone(value);
}
function mergeItem(A, h, n) {
  const o = copy(h);
  for (const k in n) {
    const S = A.subs[k];
    if (S === undefined) continue;
    const v = n[k];
    const old = o[S.n];
    if (!(old !== undefined && (S.im || scalarEq(S, old, v)))) writeSub(o, S, v, false);
  }
  return o;
}
function checkItemReplace(A, old, now) {
  for (const S of A.fx) {
    if ((S.ro || old[S.n] !== undefined) && !sameOpt(old[S.n], now[S.n])) fail();
  }
}
function removeWhole(c, A, listed) {
  if (A.req || A.ro) fail();
  const current = c[A.n];
  if (current !== undefined && A.im) fail();
  if (listed !== null) {
    if (Array.isArray(current)) {
      c[A.n] = current.filter((x) => !listed.some((l) => sameItem(A, x, l)));
    }
    return;
  }
  delete c[A.n];
}
function writeWhole(c, A, add, value) {
  if (value === null) return removeWhole(c, A, null);
  const current = c[A.n];
  if (A.multi && add) {
    if (locked(A, current)) {
      const have = Array.isArray(current) ? current : [];
      if (value.every((n) => have.some((h) => sameItem(A, h, n)))) return;
      fail();
    }
    const items = itemsMut(c, A);
    let keep = -1;
    for (const n of value) {
      let at = -1;
      for (let i = 0; i < items.length; i++) {
        if (sameItem(A, items[i], n)) {
          at = i;
          break;
        }
      }
      if (at >= 0) {
        if (isObj(n)) {
          if (!isObj(items[at])) fail();
          items[at] = mergeItem(A, items[at], n);
        }
      } else {
        items.push(n);
        at = items.length - 1;
      }
      if (isPrimary(n)) keep = at;
    }
    if (keep >= 0) clearOtherPrimaries(items, keep);
    return;
  }
  if (!A.multi && A.cx && isObj(value)) {
    const lock = locked(A, current);
    const o = objectMut(c, A);
    for (const k in value) {
      const S = A.subs[k];
      if (S !== undefined) writeSub(o, S, value[k], lock);
    }
    return;
  }
  checkWritable(A, current, value);
  c[A.n] = value;
}
function writeSubEverywhere(c, A, S, value) {
  const lock = locked(A, c[A.n]);
  if (A.multi) {
    const items = itemsMut(c, A);
    if (items.length === 0 && value !== null) {
      if (lock) fail();
      items.push({ [S.n]: clone(value) });
    }
    for (let i = 0; i < items.length; i++) {
      if (!isObj(items[i])) fail();
      const o = copy(items[i]);
      writeSub(o, S, value, lock);
      items[i] = o;
    }
    if (S.n === 'primary' && value === true) clearOtherPrimaries(items, 0);
  } else {
    writeSub(objectMut(c, A), S, value, lock);
  }
}
function removeSubEverywhere(c, A, S) {
  const current = c[A.n];
  const lock = locked(A, current);
  if (Array.isArray(current)) {
    const items = current.slice();
    for (let i = 0; i < items.length; i++) {
      if (!isObj(items[i])) fail();
      const o = copy(items[i]);
      removeSub(o, S, lock);
      items[i] = o;
    }
    c[A.n] = items;
  } else if (isObj(current)) {
    const o = copy(current);
    removeSub(o, S, lock);
    c[A.n] = o;
  } else if (S.req || lock || S.ro) fail();
}
// Whether the value filter `F` selects `item` (core: a non-object is never selected).
function selects(F, item) {
  if (!isObj(item)) return false;
  const r = F(item);
  if (r !== true && r !== false) fail();
  return r;
}
function writeSelected(c, A, S, replace, value, F, make) {
  if (A.ro) fail();
  const items = itemsMut(c, A);
  let keep = -1;
  let matched = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!selects(F, item)) continue;
    matched = true;
    let o;
    if (S !== null) {
      o = copy(item);
      writeSub(o, S, value, false);
    } else if (replace) {
      o = clone(value === null ? {} : value);
      checkItemReplace(A, item, o);
    } else {
      o = mergeItem(A, item, value);
    }
    items[i] = o;
    if (keep < 0 && isPrimary(o)) keep = i;
  }
  if (!matched) {
    const created = make();
    if (created === null) return;
    if (isPrimary(created)) keep = items.length;
    items.push(created);
  }
  if (keep >= 0) clearOtherPrimaries(items, keep);
}
function removeSelected(c, A, S, F, unmatchedOk) {
  if (A.ro || A.im) fail();
  let matched = false;
  const current = c[A.n];
  if (Array.isArray(current)) {
    const items = [];
    for (const item of current) {
      if (!selects(F, item)) {
        items.push(item);
        continue;
      }
      matched = true;
      if (S === null) continue;
      const o = copy(item);
      removeSub(o, S, false);
      if (!isEmpty(o)) items.push(o);
    }
    c[A.n] = items;
  }
  if (!matched && !unmatchedOk) fail();
}
// `add`/`replace` on `schemas` with the URNs `known` (canonical, all of the resource type).
function writeSchemas(w, replace, known, namesCore) {
  let list = w.schemas;
  if (list === undefined) list = [];
  if (!Array.isArray(list) || replace) {
    if (!namesCore) fail();
    list = [];
  } else {
    list = list.slice();
  }
  for (const urn of known) {
    if (!list.some((u) => typeof u === 'string' && asciiEqI(u, urn))) list.push(urn);
  }
  w.schemas = list;
}
function removeExt(w, urn, required) {
  if (required) fail();
  delete w[urn];
}
// Settles the extensions after the steps (CompiledPatch::tidy_extensions).
function tidy(w, resource, exts, coreUrn) {
  for (const E of exts) {
    const urn = E.urn;
    let touched = E.touched;
    let v = w[urn];
    if (isObj(v) && isEmpty(v)) {
      touched = true;
      delete w[urn];
      v = undefined;
    }
    const changed = touched && !sameOpt(resource[urn], v);
    let present = true;
    if (v === undefined) {
      if (!changed) continue;
      present = false;
    } else if (changed && isObj(v)) {
      for (const n of E.rs) if (v[n] === undefined) fail();
    }
    let list = w.schemas;
    if (list === undefined) list = [coreUrn];
    else if (!Array.isArray(list)) fail();
    let at = -1;
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] === 'string' && asciiEqI(list[i], urn)) {
        at = i;
        break;
      }
    }
    if (present && at < 0) list = list.concat([urn]);
    else if (!present && at >= 0) list = list.filter((_, i) => i !== at);
    w.schemas = list;
  }
}
// An object that stays empty: an enumerable property added to Object.prototype shows in it.
const PROBE = {};
// The members the PATCH reads, out of `resource` into a new object; null when one of them
// would not cross into wasm unchanged (or Object.prototype has enumerable properties, which
// for-in would take for members of every object).
function part(resource, members) {
  if (!isEmpty(PROBE)) return null;
  const w = {};
  for (const name of members) {
    const v = resource[name];
    if (v === undefined) continue;
    if (!plain(v, 0)) return null;
    w[name] = v;
  }
  return w;
}
// The new resource: the input's members, with those the PATCH changed replaced or removed.
function finish(resource, w, members) {
  const out = Object.assign({}, resource);
  for (const name of members) {
    const before = resource[name];
    const now = w[name];
    if (now === before) continue;
    if (now === undefined) delete out[name];
    else out[name] = now;
  }
  return out;
}
