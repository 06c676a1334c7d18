/**
 * Small statistics and timing helpers shared by the benchmarks.
 */

/** The median of a list of numbers (NaN when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  if (p === 50) {
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Times `fn` repeatedly after `warmups` runs: runs it until `minMs` has passed (at least `minRuns` times), and returns the median time of
 * one run in milliseconds. Repeating and taking the median keeps the figure steady on a shared 2-core machine.
 */
export function timeMedian(fn: () => unknown, minMs: number, minRuns = 3, warmups = 2): number {
  // Warm-up runs first, so the figure is the steady state (JIT-compiled) an editor session sees, not the first call.
  for (let i = 0; i < warmups; i++) {
    fn();
  }
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRuns || performance.now() - started < minMs) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    if (samples.length >= 1000) {
      break;
    }
  }
  return median(samples);
}

/** Formats a number with a fixed number of decimals, or "n/a". */
export function fmt(value: number | undefined, decimals = 1): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(decimals);
}

/** Prints a table with a header row, columns padded to their widest cell. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) {
    console.log(line(r));
  }
}
