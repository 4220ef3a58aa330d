// Pure helpers of the benchmarks: no disk, no processes, so they are unit-tested.

/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A GitHub-flavoured Markdown table; cells are strings, `|` inside them is escaped. */
export function markdownTable(headers, rows) {
  const escape = (cell) => String(cell).replaceAll('|', '\\|');
  const line = (cells) => `| ${cells.map(escape).join(' | ')} |`;
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`row has ${row.length} cells, the header ${headers.length}`);
  }
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `2.34 ×`: a ratio rounded to two decimals. */
export function formatRatio(ratio) {
  return `${ratio.toFixed(2)} ×`;
}

/** Milliseconds for a table: whole numbers from 100 ms up, one decimal below. */
export function formatMs(ms) {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/**
 * The verdict against a budget ("lower is better"): `ok` within it, otherwise by
 * how much it is missed, as a factor of the budget and as a percentage.
 */
export function verdict(value, budget) {
  if (value <= budget) return 'ok';
  const over = value / budget;
  return `missed: ${over.toFixed(2)} × the budget (+${Math.round((over - 1) * 100)} %)`;
}

const startMarker = (id) => `<!-- bench:${id}:start -->`;
const endMarker = (id) => `<!-- bench:${id}:end -->`;

/**
 * Puts `body` between the markers of section `id` in `document`: replaces the
 * section when it is there, appends it otherwise. Text outside the markers
 * (the hand-written method) is kept as it is.
 */
export function mergeSection(document, id, body) {
  const start = startMarker(id);
  const end = endMarker(id);
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  if (from === -1) return `${document.trimEnd()}\n\n${block}\n`;
  const to = document.indexOf(end, from);
  if (to === -1) throw new Error(`section ${id} has a start marker but no end marker`);
  return document.slice(0, from) + block + document.slice(to + end.length);
}
