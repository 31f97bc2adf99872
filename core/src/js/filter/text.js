// The last string folded and its folding (a value is often compared with several literals);
// `foldStable` (js/fold.js) gives U where core must fold.
let foldedIn = '';
let foldedOut = '';
function fold(s) {
  if (s === foldedIn) return foldedOut;
  const f = foldStable(s);
  foldedIn = s;
  foldedOut = f;
  return f;
}
// The string tests below take a folded literal `L`. While the units of `s` are ASCII, each folds
// to one unit, so they compare with `L` unit by unit; an ASCII unit that differs decides (every
// character folds to at least one character), and any other unit makes them fold `s` whole.

// Whether `c` is an ASCII unit that lowercased is the unit `l`.
function same(c, l) {
  return c < 128 && (c === l || (c >= 65 && c <= 90 && c + 32 === l));
}
// fold(s) === L.
function eqA(s, L) {
  const n = L.length;
  const m = s.length;
  for (let i = 0; i < n && i < m; i++) {
    const c = s.charCodeAt(i);
    if (!same(c, L.charCodeAt(i))) return c < 128 ? false : eqF(s, L);
  }
  return m === n;
}
function eqF(s, L) {
  const f = fold(s);
  return f === U ? U : f === L;
}
// fold(s) starts with L.
function swA(s, L) {
  const n = L.length;
  const m = s.length;
  for (let i = 0; i < n; i++) {
    if (i >= m) return false;
    const c = s.charCodeAt(i);
    if (!same(c, L.charCodeAt(i))) return c < 128 ? false : swF(s, L);
  }
  return true;
}
function swF(s, L) {
  const f = fold(s);
  return f === U ? U : f.startsWith(L);
}
// fold(s) ends with L.
function ewA(s, L) {
  const n = L.length;
  const m = s.length;
  for (let j = 1; j <= n; j++) {
    if (j > m) return false;
    const c = s.charCodeAt(m - j);
    if (!same(c, L.charCodeAt(n - j))) return c < 128 ? false : ewF(s, L);
  }
  return true;
}
function ewF(s, L) {
  const f = fold(s);
  return f === U ? U : f.endsWith(L);
}
// fold(s) contains L: a match among ASCII units decides; a non-ASCII `s` folds.
function coA(s, L) {
  const n = L.length;
  const m = s.length;
  if (n === 0) return true;
  const first = L.charCodeAt(0);
  for (let i = 0; i < m; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return coF(s, L);
    if (same(c, first) && i + n <= m) {
      let j = 1;
      while (j < n && same(s.charCodeAt(i + j), L.charCodeAt(j))) j++;
      if (j === n) return true;
    }
  }
  return false;
}
// fold(s) contains the ASCII literal L, which `re` finds case-insensitively: a JS /i match of
// ASCII is on ASCII units only (a non-ASCII unit never matches an ASCII one), so it decides;
// else only an ASCII `s` is decided.
const ASCII = /^[\x00-\x7f]*$/;
function coR(s, re, L) {
  if (re.test(s)) return true;
  return ASCII.test(s) ? false : coF(s, L);
}
function coF(s, L) {
  const f = fold(s);
  return f === U ? U : f.includes(L);
}
// -1, 0 or 1: `a` against `b` in code point order (core compares UTF-8 bytes), where JS
// compares UTF-16 units (surrogates sort below U+E000..U+FFFF there).
function ord(a, b) {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
// Ordering of fold(s) against the folded literal `L`, or NaN (no operator holds) left to core.
function ordF(s, L) {
  const f = fold(s);
  return f === U ? U : ord(f, L);
}
