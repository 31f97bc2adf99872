// Maps JSON text to positions: a small parser that records where every key and value sits, so
// the page can highlight the text an error path points at. Editor support only: no SCIM rules.

/** A JSON syntax error at `position` (a UTF-16 offset in the text). */
export class JsonSyntaxError extends Error {
  constructor(message, position) {
    super(message);
    this.position = position;
  }
}

/** Parses `text`; returns the root node `{ type, start, end, entries | items }`. */
export function mapJson(text) {
  let i = 0;
  const fail = (what) => {
    throw new JsonSyntaxError(i < text.length ? `${what}, found '${text[i]}'` : `${what}, found the end`, i);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word, type) => {
    if (text.startsWith(word, i)) {
      const start = i;
      i += word.length;
      return { type, start, end: i };
    }
    return fail('expected a value');
  };
  const string = () => {
    const start = i++;
    let out = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const esc = text[i + 1];
        if (esc === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('expected four hex digits after \\u');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const map = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (!(esc in map)) {
            i++;
            fail('expected an escape character');
          }
          out += map[esc];
          i += 2;
        }
      } else if (text.charCodeAt(i) < 0x20) {
        fail('expected a closing quote');
      } else {
        out += text[i++];
      }
    }
    if (i >= text.length) fail('expected a closing quote');
    i++;
    return { type: 'string', start, end: i, value: out };
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('expected a value');
    const start = i;
    i += m[0].length;
    return { type: 'number', start, end: i };
  };
  const value = (depth) => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === 't') return literal('true', 'boolean');
    if (c === 'f') return literal('false', 'boolean');
    if (c === 'n') return literal('null', 'null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return fail('expected a value');
  };
  const object = (depth) => {
    const node = { type: 'object', start: i++, end: 0, entries: [] };
    ws();
    if (text[i] === '}') {
      node.end = ++i;
      return node;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a quoted key');
      const key = string();
      ws();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      node.entries.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value: value(depth + 1) });
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        node.end = ++i;
        return node;
      }
      fail("expected ',' or '}'");
    }
  };
  const array = (depth) => {
    const node = { type: 'array', start: i++, end: 0, items: [] };
    ws();
    if (text[i] === ']') {
      node.end = ++i;
      return node;
    }
    for (;;) {
      node.items.push(value(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        node.end = ++i;
        return node;
      }
      fail("expected ',' or ']'");
    }
  };
  const root = value(0);
  ws();
  if (i < text.length) fail('expected the end of the document');
  return root;
}

/** Splits a SCIM attribute path into segments: `{ name, index?, filtered? }`. */
function segments(path) {
  const out = [];
  let i = 0;
  while (i < path.length) {
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    const seg = { name: path.slice(i, j) };
    if (path[j] === '[') {
      const close = path.indexOf(']', j);
      const inner = close < 0 ? path.slice(j + 1) : path.slice(j + 1, close);
      if (/^\d+$/.test(inner.trim())) seg.index = Number(inner);
      else seg.filtered = true;
      j = close < 0 ? path.length : close + 1;
    }
    if (seg.name) out.push(seg);
    else if (out.length && seg.index !== undefined) out[out.length - 1].index = seg.index;
    i = path[j] === '.' ? j + 1 : j;
  }
  return out;
}

const entryOf = (node, name) =>
  node?.type === 'object' ? node.entries.find((e) => e.key.toLowerCase() === name.toLowerCase()) : undefined;

/**
 * The text range `{ start, end }` an attribute path (`emails[1].value`, `name.givenName`,
 * `urn:…:enterprise:2.0:User:manager.value`) points at: the deepest key found on the way.
 */
export function locate(root, path) {
  if (!root || typeof path !== 'string' || path === '') return undefined;
  let node = root;
  let rest = path;
  let found;
  if (/^urn:/i.test(path) && root.type === 'object') {
    const ext = root.entries
      .filter((e) => rest.toLowerCase().startsWith(e.key.toLowerCase()) && /^[:.]?$/.test(rest[e.key.length] ?? ''))
      .sort((a, b) => b.key.length - a.key.length)[0];
    if (ext) {
      found = { start: ext.keyStart, end: ext.keyEnd };
      node = ext.value;
      rest = rest.slice(ext.key.length + 1);
    } else {
      const dot = rest.indexOf('.');
      const head = dot < 0 ? rest : rest.slice(0, dot);
      rest = rest.slice(head.lastIndexOf(':') + 1);
    }
  }
  for (const seg of segments(rest)) {
    const entry = entryOf(node, seg.name);
    if (!entry) break;
    found = { start: entry.keyStart, end: entry.keyEnd };
    node = entry.value;
    if (seg.index !== undefined && node.type === 'array') {
      const item = node.items[seg.index];
      if (!item) break;
      found = { start: item.start, end: item.end };
      node = item;
    } else if (seg.filtered) {
      break;
    }
  }
  return found;
}

/** The 1-based line number of offset `pos` in `text`. */
export function lineOf(text, pos) {
  let line = 1;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}
