// Generates the Python SDK's event models (sdk-python/src/resonant_events/models/events.py) from
// the Avro schemas in schemas/, as codegen-event-types.ts does for TypeScript.
//   npx tsx scripts/codegen-python-models.ts           write it
//   npx tsx scripts/codegen-python-models.ts --check   exit 1 when the checked-in file is not what the schemas generate
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEventCatalog, type EventCatalog } from '../core/events/catalog.js';
import { projectPath } from '../core/paths.js';

export const PYTHON_MODELS_PATH = projectPath('sdk-python', 'src', 'resonant_events', 'models', 'events.py');

type Schema = string | Schema[] | { type: string | Schema; [key: string]: unknown };

interface FieldSchema {
  name: string;
  type: Schema;
  doc?: string;
  default?: unknown;
}

interface RecordSchema {
  name: string;
  doc?: string;
  fields: FieldSchema[];
}

// Names a model field cannot take as they are: Python keywords and pydantic's own attributes.
const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);
const RESERVED = new Set(['construct', 'copy', 'dict', 'json', 'schema', 'validate', 'fields']);

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const docstring = (text: string, indent: string) =>
  `${indent}"""${text.replaceAll('\\', '\\\\').replaceAll('"""', '\\"\\"\\"')}"""`;

const pyString = (text: string) => JSON.stringify(text);

/** A Python literal for an Avro default (JSON). */
function pyLiteral(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${pyString(key)}: ${pyLiteral(item)}`)
      .join(', ')}}`;
  throw new Error(`unsupported default ${String(value)}`);
}

/** Emits Python classes; nested records become classes of their own, written before their users. */
class PythonWriter {
  readonly blocks: string[] = [];
  /** The classes written, in order. */
  readonly names: string[] = [];
  /** Whether a field needed `Field(alias=…)`. */
  usesField = false;
  /** Whether a record other than an event's data was written. */
  usesRecord = false;
  private readonly written = new Map<string, string>();

  /** The annotation of an Avro schema, as the JSON API shows its values. */
  annotation(schema: Schema): string {
    if (typeof schema === 'string') {
      switch (schema) {
        case 'string':
          return 'str';
        case 'boolean':
          return 'bool';
        case 'int':
        case 'long':
          return 'int';
        case 'float':
        case 'double':
          return 'float';
        case 'null':
          return 'None';
        default:
          throw new Error(`named type references are not supported: ${schema}`);
      }
    }
    // `X | None`: the null branch last, as Python writes optional types.
    if (Array.isArray(schema))
      return [...schema.filter((branch) => branch !== 'null'), ...schema.filter((branch) => branch === 'null')]
        .map((branch) => this.annotation(branch))
        .join(' | ');
    switch (schema.logicalType) {
      case 'timestamp-millis':
        return 'datetime.datetime';
      case 'date':
        return 'datetime.date';
      case 'json':
        return 'Any';
    }
    switch (schema.type) {
      case 'record':
        return this.record(schema as unknown as RecordSchema);
      case 'array':
        return `list[${this.annotation(schema.items as Schema)}]`;
      case 'map':
        return `dict[str, ${this.annotation(schema.values as Schema)}]`;
      case 'enum':
        return `Literal[${(schema.symbols as string[]).map(pyString).join(', ')}]`;
      default:
        return this.annotation(schema.type as Schema);
    }
  }

  /** Writes a record's class (once) and answers its name. */
  record(schema: RecordSchema, options: { eventType?: string; doc?: string } = {}): string {
    const name = schema.name;
    const shape = JSON.stringify(schema.fields);
    if (this.written.has(name)) {
      if (this.written.get(name) !== shape) throw new Error(`two different records are named ${name}`);
      return name;
    }
    this.written.set(name, shape);
    const fields = schema.fields.map((field) => this.field(field));
    if (!options.eventType) this.usesRecord = true;
    const base = options.eventType ? 'EventData' : 'Record';
    const lines = [`class ${name}(${base}):`, docstring(options.doc ?? schema.doc ?? name, '    '), ''];
    if (options.eventType) lines.push(`    EVENT_TYPE: ClassVar[str] = ${pyString(options.eventType)}`, '');
    for (const field of fields) lines.push(...field);
    this.blocks.push(lines.join('\n').trimEnd());
    this.names.push(name);
    return name;
  }

  private field(field: FieldSchema): string[] {
    const type = this.annotation(field.type);
    const safe = PYTHON_KEYWORDS.has(field.name) || RESERVED.has(field.name) || field.name.startsWith('model_');
    const attribute = safe ? `${field.name}_` : field.name;
    const initial = 'default' in field ? pyLiteral(field.default) : undefined;
    let value = initial === undefined ? '' : ` = ${initial}`;
    if (safe) {
      this.usesField = true;
      value = ` = Field(${initial === undefined ? '' : `default=${initial}, `}alias=${pyString(field.name)})`;
    }
    return [`    ${attribute}: ${type}${value}`, ...(field.doc ? [docstring(field.doc, '    ')] : [])];
  }
}

/** The generated module's text for a catalogue. */
export function renderPythonModels(catalog: EventCatalog): string {
  const writer = new PythonWriter();
  const events: string[] = [];
  for (const entry of catalog.entries()) {
    const data = (entry.schema.fields as FieldSchema[]).find((field) => field.name === 'data')!;
    const record = data.type as unknown as RecordSchema;
    const dataName = writer.record(
      { ...record, name: `${pascal(entry.type)}Data` },
      { eventType: entry.type, doc: `The data of \`${entry.type}\`: ${entry.description}` },
    );
    const eventName = `${pascal(entry.type)}Event`;
    events.push(eventName);
    writer.names.push(eventName);
    writer.blocks.push(
      [
        `class ${eventName}(Event[${dataName}]):`,
        docstring(`\`${entry.type}\`: ${entry.description}`, '    '),
        '',
        `    type: Literal[${pyString(entry.type)}] = ${pyString(entry.type)}`,
      ].join('\n'),
    );
  }
  const types = catalog.entries().map((entry) => entry.type);
  const exported = [...writer.names, 'EVENT_MODELS', 'EVENT_TYPES', 'EventType', 'TypedEvent'].sort();
  const out = [
    '# GENERATED by scripts/codegen-python-models.ts from schemas/ — do not edit by hand.',
    '# Regenerate with `npx tsx scripts/codegen-python-models.ts`; `npm test` fails when it is out of date.',
    '"""One model per event type of the catalogue (``schemas/<category>/<type>.avsc``): ``<Type>Data`` is the',
    'event\'s ``data``, ``<Type>Event`` the whole event, so ``event.data.tokens_used`` is typed."""',
    '',
    'from __future__ import annotations',
    '',
    'import datetime',
    'from typing import Any, ClassVar, Literal, get_args',
    '',
    ...(writer.usesField ? ['from pydantic import Field', ''] : []),
    `from .base import Event, EventData${writer.usesRecord ? ', Record' : ''}`,
    '',
    ...writer.blocks.flatMap((block) => ['', block, '']),
    '',
    '#: Every event type of the catalogue.',
    'EventType = Literal[',
    ...types.map((type) => `    ${pyString(type)},`),
    ']',
    '',
    "#: The event types, in the catalogue's order.",
    'EVENT_TYPES: tuple[str, ...] = get_args(EventType)',
    '',
    "#: An event of one of the catalogue's types: ``isinstance`` or ``match`` narrows ``data``.",
    'TypedEvent = (',
    ...events.map((name, index) => `    ${index ? '| ' : ''}${name}`),
    ')',
    '',
    '#: The model of each event type.',
    'EVENT_MODELS: dict[str, type[Event[Any]]] = {',
    ...catalog.entries().map((entry) => `    ${pyString(entry.type)}: ${pascal(entry.type)}Event,`),
    '}',
    '',
    '__all__ = [',
    ...exported.map((name) => `    ${pyString(name)},`),
    ']',
    '',
  ];
  return `${out.join('\n').replace(/\n{4,}/g, '\n\n\n')}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderPythonModels(loadEventCatalog());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(PYTHON_MODELS_PATH, 'utf8');
    } catch {
      // missing: reported below
    }
    if (current !== text) {
      console.error(
        'sdk-python/src/resonant_events/models/events.py is out of date with schemas/: run `npx tsx scripts/codegen-python-models.ts`',
      );
      process.exit(1);
    }
  } else {
    mkdirSync(dirname(PYTHON_MODELS_PATH), { recursive: true });
    writeFileSync(PYTHON_MODELS_PATH, text);
    console.log(`wrote ${PYTHON_MODELS_PATH}`);
  }
}
