// The validator page: editors, tabs and result rendering around the scim-edge package.
import { applyPatch, ScimError, SchemaRegistry, validate, version } from './pkg/web.js';
import { JsonSyntaxError, lineOf, locate, mapJson } from './jsonmap.js';

const $ = (id) => document.getElementById(id);

const EXAMPLES = {
  user: {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'bjensen@example.com',
    externalId: '00u1abcd',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    displayName: 'Babs Jensen',
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    active: true,
  },
  enterprise: {
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ],
    userName: 'jsmith@example.com',
    name: { givenName: 'John', familyName: 'Smith' },
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
      employeeNumber: '701984',
      department: 'Tour Operations',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
    },
  },
  invalid: {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    displayName: 'No user name',
    active: 'yes',
    emails: [{ value: 'ok@example.com', type: 'work' }, { value: 42 }],
    name: { givenName: ['Barbara'] },
  },
  group: {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Tour Guides',
    members: [{ value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen' }],
  },
};

const CUSTOM_SCHEMA = {
  id: 'urn:example:params:scim:schemas:Device',
  name: 'Device',
  description: 'A managed device',
  attributes: [
    { name: 'serialNumber', type: 'string', required: true, uniqueness: 'server' },
    { name: 'model', type: 'string' },
    { name: 'purchased', type: 'dateTime' },
  ],
};

const PATCH_EXAMPLE = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'replace', path: 'active', value: false },
    { op: 'add', path: 'emails', value: [{ value: 'babs@home.example.com', type: 'home' }] },
    { op: 'replace', path: 'name.givenName', value: 'Babs' },
  ],
};

const pretty = (v) => JSON.stringify(v, null, 2);
const escapeHtml = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);

/** A textarea with a line-number gutter and a backdrop that draws highlighted ranges. */
class Editor {
  constructor(host) {
    this.host = host;
    this.gutter = document.createElement('pre');
    this.gutter.className = 'gutter';
    this.gutter.setAttribute('aria-hidden', 'true');
    const code = document.createElement('div');
    code.className = 'code';
    this.backdrop = document.createElement('pre');
    this.backdrop.className = 'backdrop';
    this.backdrop.setAttribute('aria-hidden', 'true');
    this.area = document.createElement('textarea');
    this.area.id = host.dataset.editor;
    this.area.spellcheck = false;
    this.area.wrap = 'off';
    this.area.setAttribute('autocomplete', 'off');
    code.append(this.backdrop, this.area);
    host.append(this.gutter, code);
    this.marks = [];
    this.errorLines = new Set();
    this.area.addEventListener('scroll', () => this.sync());
    this.area.addEventListener('input', () => this.render());
    this.render();
  }

  get value() {
    return this.area.value;
  }

  set value(text) {
    this.area.value = text;
    this.render();
  }

  /** Highlights `ranges` (`{ start, end }`), `active` being the one in focus. */
  highlight(ranges, active = -1) {
    this.marks = ranges.map((r, i) => ({ ...r, active: i === active }));
    this.errorLines = new Set(ranges.map((r) => lineOf(this.value, r.start)));
    this.render();
  }

  /** Selects `range` and scrolls it into view. */
  reveal(range) {
    this.area.focus({ preventScroll: true });
    this.area.setSelectionRange(range.start, range.end);
    const line = lineOf(this.value, range.start);
    this.area.scrollTop = Math.max(0, (line - 4) * 20);
    this.sync();
  }

  render() {
    const text = this.value;
    const lines = text.split('\n').length;
    let numbers = '';
    for (let n = 1; n <= lines; n++) {
      numbers += this.errorLines.has(n) ? `<span class="err">${n}</span>\n` : `${n}\n`;
    }
    this.gutter.innerHTML = numbers;
    const marks = this.marks
      .filter((m) => m.end <= text.length)
      .sort((a, b) => a.start - b.start)
      .filter((m, i, all) => i === 0 || m.start >= all[i - 1].end);
    let html = '';
    let at = 0;
    for (const m of marks) {
      html += escapeHtml(text.slice(at, m.start));
      html += `<mark${m.active ? ' class="active"' : ''}>${escapeHtml(text.slice(m.start, Math.max(m.end, m.start + 1)))}</mark>`;
      at = Math.max(m.end, m.start + 1);
    }
    this.backdrop.innerHTML = `${html}${escapeHtml(text.slice(at))}\n`;
    this.sync();
  }

  sync() {
    this.backdrop.scrollTop = this.area.scrollTop;
    this.backdrop.scrollLeft = this.area.scrollLeft;
    this.gutter.scrollTop = this.area.scrollTop;
  }
}

const editors = {};
for (const host of document.querySelectorAll('[data-editor]')) editors[host.dataset.editor] = new Editor(host);

/** Parses an editor's JSON, or returns `{ error }` (a JsonSyntaxError) after highlighting it. */
function readJson(editor) {
  try {
    const map = mapJson(editor.value);
    editor.highlight([]);
    return { value: JSON.parse(editor.value), map };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    editor.highlight([{ start: error.position, end: error.position + 1 }], 0);
    return { error };
  }
}

function statusLine(ok, text) {
  return `<div class="status ${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${escapeHtml(text)}</div>`;
}

function syntaxResult(editor, name, error) {
  const line = lineOf(editor.value, error.position);
  return `${statusLine(false, `${name} is not valid JSON`)}<ul class="errors"><li data-at="${error.position}">
    <span class="path">line ${line}</span><span class="type">invalidSyntax</span>
    <div class="detail">${escapeHtml(error.message)}</div></li></ul>`;
}

/** Renders SCIM errors as a clickable list; each item highlights its path in `editor`. */
function renderErrors(box, editor, map, errors) {
  const ranges = errors.map((e) => locate(map, e.path));
  const list = document.createElement('ul');
  list.className = 'errors';
  errors.forEach((e, i) => {
    const li = document.createElement('li');
    const range = ranges[i];
    const line = `<span class="line">${range ? `line ${lineOf(editor.value, range.start)}` : 'not in the payload'}</span>`;
    li.innerHTML = `${line}<span class="path">${escapeHtml(e.path || '(resource)')}</span>${
      e.scimType ? `<span class="type">${escapeHtml(e.scimType)}</span>` : ''
    }<div class="detail">${escapeHtml(e.detail)}</div>`;
    li.addEventListener('click', () => {
      for (const other of list.children) other.classList.toggle('active', other === li);
      editor.highlight(ranges.filter(Boolean), ranges.filter(Boolean).indexOf(range));
      if (range) editor.reveal(range);
    });
    list.append(li);
  });
  box.append(list);
  editor.highlight(ranges.filter(Boolean));
}

// ---- Validate tab ----

let customRegistry;
let customType;

function loadCustomSchema() {
  const status = $('v-schema-status');
  const parsed = readJson(editors['v-schema']);
  customRegistry = undefined;
  if (parsed.error) {
    status.textContent = `Schema is not valid JSON: ${parsed.error.message}`;
    status.className = 'hint bad';
    return;
  }
  const doc = parsed.value;
  const schemas = Array.isArray(doc) ? doc : Array.isArray(doc?.schemas) ? doc.schemas : [doc];
  const resourceTypes = Array.isArray(doc?.resourceTypes)
    ? doc.resourceTypes
    : schemas.map((s) => ({ id: s.name, name: s.name, endpoint: `/${s.name}`, schema: s.id }));
  try {
    customRegistry = new SchemaRegistry({ schemas, resourceTypes });
    customType = resourceTypes[0]?.name;
    status.textContent = `Loaded ${schemas.length} schema(s); validating as resource type "${customType}".`;
    status.className = 'hint';
  } catch (error) {
    status.textContent = `Schema rejected: ${error.detail ?? error.message}`;
    status.className = 'hint bad';
  }
}

function runValidate() {
  const box = $('v-result');
  const editor = editors['v-input'];
  const type = $('v-type').value;
  const mode = $('v-mode').value;
  box.replaceChildren();
  const parsed = readJson(editor);
  if (parsed.error) {
    box.innerHTML = syntaxResult(editor, 'The payload', parsed.error);
    return;
  }
  const options = { resourceType: type, mode, lenient: $('v-lenient').checked };
  if (type === 'custom') {
    if (!customRegistry) {
      box.innerHTML = statusLine(false, 'Load a valid custom schema first');
      return;
    }
    options.registry = customRegistry;
    options.resourceType = customType;
  }
  if (mode === 'replace') {
    const existing = readJson(editors['v-existing']);
    if (existing.error) {
      box.innerHTML = syntaxResult(editors['v-existing'], 'The existing resource', existing.error);
      return;
    }
    options.existing = existing.value;
  }
  try {
    const result = validate(parsed.value, options);
    if (result.valid) {
      box.innerHTML = `${statusLine(true, `Valid ${options.resourceType} (${mode})`)}
        <p class="hint">As the engine stores it: canonical attribute names, readOnly attributes and empty values dropped.</p>
        <pre class="json" id="v-normalised">${escapeHtml(pretty(result.resource))}</pre>`;
      editor.highlight([]);
    } else {
      const n = result.errors.length;
      box.innerHTML = statusLine(false, `${n} error${n === 1 ? '' : 's'}`);
      renderErrors(box, editor, parsed.map, result.errors);
    }
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    box.innerHTML = statusLine(false, `${error.status} ${error.scimType ?? ''}`);
    renderErrors(box, editor, parsed.map, [error]);
  }
}

let timer;
const soon = (fn) => () => {
  clearTimeout(timer);
  timer = setTimeout(fn, 120);
};

// ---- PATCH tab ----

function runPatch() {
  const box = $('p-result');
  const resourceEditor = editors['p-resource'];
  const opEditor = editors['p-op'];
  box.replaceChildren();
  const resource = readJson(resourceEditor);
  if (resource.error) {
    box.innerHTML = syntaxResult(resourceEditor, 'The resource', resource.error);
    return;
  }
  const op = readJson(opEditor);
  if (op.error) {
    box.innerHTML = syntaxResult(opEditor, 'The PatchOp', op.error);
    return;
  }
  const options = { resourceType: $('p-type').value, quirks: $('p-quirks').value };
  if (options.resourceType === 'custom') {
    loadCustomSchema();
    if (!customRegistry) {
      box.innerHTML = statusLine(false, 'Load a valid custom schema in the Validate tab first');
      return;
    }
    options.registry = customRegistry;
    options.resourceType = customType;
  }
  try {
    const patched = applyPatch(resource.value, op.value, options);
    box.innerHTML = `${statusLine(true, 'Patched resource')}<pre class="json" id="p-output">${escapeHtml(pretty(patched))}</pre>`;
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    box.innerHTML = statusLine(false, `PATCH rejected: ${error.status} ${error.scimType ?? ''}`);
    const inOp = operationPath(op.map, error.path);
    if (inOp) {
      box.insertAdjacentHTML('beforeend', `<p class="hint">In the operation whose path is ${escapeHtml(JSON.stringify(error.path))}:</p>`);
      renderErrors(box, opEditor, { type: 'object', entries: [{ key: error.path, keyStart: inOp.start, keyEnd: inOp.end, value: {} }] }, [error]);
    } else {
      renderErrors(box, resourceEditor, resource.map, [error]);
    }
  }
}

/** The range of the `path` value of the PatchOp operation that targets `path`, if any. */
function operationPath(map, path) {
  if (!path || map?.type !== 'object') return undefined;
  const ops = map.entries.find((e) => e.key.toLowerCase() === 'operations')?.value;
  for (const item of ops?.type === 'array' ? ops.items : []) {
    const target = item.type === 'object' && item.entries.find((e) => e.key.toLowerCase() === 'path');
    if (target?.value.type === 'string' && target.value.value.toLowerCase() === path.toLowerCase()) {
      return { start: target.value.start, end: target.value.end };
    }
  }
  return undefined;
}

// ---- wiring ----

function selectTab(name) {
  for (const tab of ['validate', 'patch']) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`panel-${tab}`).hidden = tab !== name;
  }
}

$('tab-validate').addEventListener('click', () => selectTab('validate'));
$('tab-patch').addEventListener('click', () => selectTab('patch'));

editors['v-input'].area.addEventListener('input', soon(runValidate));
editors['v-existing'].area.addEventListener('input', soon(runValidate));
editors['v-schema'].area.addEventListener(
  'input',
  soon(() => {
    loadCustomSchema();
    runValidate();
  }),
);
$('v-type').addEventListener('change', () => {
  const custom = $('v-type').value === 'custom';
  $('v-custom').hidden = !custom;
  if (custom) {
    loadCustomSchema();
    if (!editors['v-input'].value.trim() || !customRegistry) editors['v-input'].value = pretty({ schemas: [CUSTOM_SCHEMA.id], serialNumber: 'SN-0042', model: 'X1' });
  }
  runValidate();
});
$('v-mode').addEventListener('change', () => {
  $('v-existing-box').hidden = $('v-mode').value !== 'replace';
  runValidate();
});
$('v-lenient').addEventListener('change', runValidate);
$('v-example').addEventListener('change', () => {
  const name = $('v-example').value;
  if (!name) return;
  $('v-type').value = name === 'group' ? 'Group' : 'User';
  $('v-custom').hidden = true;
  editors['v-input'].value = pretty(EXAMPLES[name]);
  runValidate();
});

$('p-apply').addEventListener('click', runPatch);
$('p-type').addEventListener('change', runPatch);
$('p-quirks').addEventListener('change', runPatch);

editors['v-schema'].value = pretty(CUSTOM_SCHEMA);
editors['v-existing'].value = pretty({ ...EXAMPLES.user, id: '2819c223-7f76-453a-919d-413861904646' });
editors['v-input'].value = pretty(EXAMPLES.user);
editors['p-resource'].value = pretty({ ...EXAMPLES.user, id: '2819c223-7f76-453a-919d-413861904646' });
editors['p-op'].value = pretty(PATCH_EXAMPLE);
$('version').textContent = `v${version()}`;
$('loading').remove();
document.body.dataset.ready = 'true';
runValidate();
