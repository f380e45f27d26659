/**
 * Exact arithmetic on number literals as written, for fields of whole numbers: `data.steps > 2.5`
 * is `data.steps >= 3`, and `data.tokens_used < 1e30` holds for every value such a field can
 * hold. Events only carry whole numbers within ±(2^53 − 1) (the platform refuses others), so bounds
 * are clamped to ±2^53, where every value stays exact as a double.
 */

const LIMIT = 2 ** 53;
const LITERAL = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

export interface IntegerBounds {
  /** The largest whole number ≤ the literal, clamped to ±2^53. */
  floor: number;
  /** The smallest whole number ≥ the literal, clamped to ±2^53. */
  ceil: number;
  /** True when the literal is a whole number within ±(2^53 − 1): a value a whole-number field can equal. */
  exact: boolean;
}

function clamp(value: bigint): number {
  if (value > BigInt(LIMIT)) return LIMIT;
  if (value < -BigInt(LIMIT)) return -LIMIT;
  return Number(value);
}

/** The whole numbers around a number literal (the parser's syntax: `-12.5e3`). */
export function integerBounds(text: string): IntegerBounds {
  const match = LITERAL.exec(text);
  if (!match) throw new TypeError(`not a number literal: ${text}`);
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  const negative = sign === '-';
  const digits = (whole! + fraction).replace(/^0+/, '');
  if (digits === '') return { floor: 0, ceil: 0, exact: true };
  // The value is digits × 10^exponent; exponents past any double's range are cut short.
  const exponent = Math.max(-1e6, Math.min(1e6, Number(exponentText))) - fraction.length;
  if (digits.length - 1 + exponent >= 16) {
    const edge = negative ? -LIMIT : LIMIT;
    return { floor: edge, ceil: edge, exact: false };
  }
  let quotient: bigint;
  let remainder = false;
  if (exponent >= 0) quotient = BigInt(digits) * 10n ** BigInt(exponent);
  else if (-exponent > digits.length) {
    quotient = 0n;
    remainder = true;
  } else {
    const divisor = 10n ** BigInt(-exponent);
    quotient = BigInt(digits) / divisor;
    remainder = BigInt(digits) % divisor !== 0n;
  }
  const low = negative ? -(remainder ? quotient + 1n : quotient) : quotient;
  const high = negative ? -quotient : remainder ? quotient + 1n : quotient;
  const exact = !remainder && quotient <= BigInt(Number.MAX_SAFE_INTEGER);
  return { floor: clamp(low), ceil: clamp(high), exact };
}
