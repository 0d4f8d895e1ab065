import { LabError } from '../errors';
// Kubernetes resource quantities ("123Mi", "128974848", "1e3", "0.5Gi", "500m")
// as the API server and kubectl print them. Pure. Memory is rounded UP to whole
// bytes, as resource.Quantity.Value() does.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

export class QuantityError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'QuantityError';
  }
}

/** The quantity as a plain number (may be fractional, e.g. "500m" -> 0.5). */
export function parseQuantity(q: string | number, where = 'quantity'): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(`${where}: ${q} is not a quantity`);
    return q;
  }
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new QuantityError(`${where}: ${JSON.stringify(q)} is not a Kubernetes quantity (such as 123Mi, 128974848 or 1G)`);
  const n = Number(m[1]);
  if (m[2]) return n * BINARY[m[2]]!;
  if (m[3]) return n * 10 ** Number(m[3].slice(1));
  return n * DECIMAL[m[4] ?? '']!;
}

/** Whole bytes (rounded up). */
export function quantityBytes(q: string | number, where = 'quantity'): number {
  const v = parseQuantity(q, where);
  if (v < 0) throw new QuantityError(`${where}: ${JSON.stringify(q)} is negative`);
  // Binary fractions are exact; guard decimal noise such as 0.1*3 before rounding up.
  return Math.ceil(v - 1e-6);
}

/** Bytes as the shortest exact binary quantity: 128974848 -> "123Mi", 1000 -> "1000". */
export function formatQuantity(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 0) throw new QuantityError(`quantity: ${bytes} is not a whole number of bytes`);
  if (bytes === 0) return '0';
  for (const [suffix, f] of Object.entries(BINARY).reverse()) if (bytes % f === 0) return `${bytes / f}${suffix}`;
  return String(bytes);
}
