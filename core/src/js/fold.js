// Rust's per-character `char::to_lowercase` (how core folds case), where JS `toLowerCase`
// certainly agrees with it: in these ranges of old, stable case mappings, once U+03A3 (whose JS
// lowercase depends on its context: Final_Sigma) is mapped to U+03C3 as Rust does. Any other
// text folds to undefined: core decides.
const STABLE_CASE = /^[\u0000-\u052f\u1e00-\u1fff\u2100-\u218f\u24b6-\u24e9\u3000-\u9fff\uac00-\ud7a3]*$/;
const CAPITAL_SIGMA = /\u03a3/g;
function foldStable(s) {
  if (!STABLE_CASE.test(s)) return undefined;
  return (s.indexOf('\u03a3') < 0 ? s : s.replace(CAPITAL_SIGMA, '\u03c3')).toLowerCase();
}
