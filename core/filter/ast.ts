/**
 * The parsed form of a filter, as written: no schema knowledge yet. Every node keeps the offset of
 * its first character in the filter text, so later errors can name the column.
 */

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':';

/** A quoted or bare string; `prefix` when it ended in an unescaped `*` (which is not part of `value`). */
export interface StringLiteral {
  kind: 'string';
  value: string;
  prefix: boolean;
  start: number;
}

/** A number, kept as written so that whole-number fields can compare exactly. */
export interface NumberLiteral {
  kind: 'number';
  text: string;
  start: number;
}

export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
  start: number;
}

/** The `*` of `field:*` (the field is present and not null). */
export interface AnyLiteral {
  kind: 'any';
  start: number;
}

export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | AnyLiteral;

/** `data.changes."max.steps".new`: a segment that was quoted may hold any character. */
export interface FieldPath {
  segments: readonly string[];
  /** The path as written, for messages. */
  text: string;
  start: number;
}

/** `field op value`, `field IN (v, …)` or `field : value`. */
export interface Restriction {
  kind: 'restriction';
  field: FieldPath;
  op: Comparator | 'in';
  values: readonly Literal[];
  start: number;
}

export interface AndNode {
  kind: 'and';
  children: readonly FilterNode[];
  start: number;
}

export interface OrNode {
  kind: 'or';
  children: readonly FilterNode[];
  start: number;
}

export interface NotNode {
  kind: 'not';
  child: FilterNode;
  start: number;
}

/** The empty filter: every event. */
export interface AllNode {
  kind: 'all';
  start: number;
}

export type FilterNode = AndNode | OrNode | NotNode | Restriction | AllNode;

/** A parsed filter: its root and the text it came from. */
export interface FilterAst {
  root: FilterNode;
  text: string;
}
