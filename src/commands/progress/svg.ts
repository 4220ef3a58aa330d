import type { Board } from './board.ts';

/**
 * The board as a small SVG card a README can embed: the ten phases as a bar of
 * ten cells, each filled as far as its topics are done, and the totals. Pure,
 * deterministic (no dates), self-contained (no fonts or images to fetch).
 * Every text comes from the catalog or from project names, so it is escaped.
 */

const WIDTH = 780;
const CELL = 68;
const GAP = 6;
const BAR_TOP = 78;
const BAR_HEIGHT = 64;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}

/** A phase's label under its cell: its id on two lines at most (`system-design` → system / design). */
function labelLines(id: string): [string, string] {
  const [first = '', ...rest] = id.split('-');
  return [first, rest.join(' ')];
}

export function renderBoardSvg(board: Board, title: string): string {
  const left = (WIDTH - (10 * CELL + 9 * GAP)) / 2;
  const cells = board.phases.map((phase, index) => {
    const x = left + index * (CELL + GAP);
    const share = phase.total === 0 ? 0 : phase.done / phase.total;
    const filled = Math.round(BAR_HEIGHT * share);
    const complete = phase.done === phase.total && phase.total > 0;
    return [
      `  <g>`,
      `    <title>${escapeXml(`Phase ${phase.number} · ${phase.title}: ${phase.done} of ${phase.total} topics`)}</title>`,
      `    <rect x="${x}" y="${BAR_TOP}" width="${CELL}" height="${BAR_HEIGHT}" rx="6" fill="#e8ecf1"/>`,
      filled > 0
        ? `    <rect x="${x}" y="${BAR_TOP + BAR_HEIGHT - filled}" width="${CELL}" height="${filled}" rx="6" fill="${complete ? '#1f883d' : '#3b82f6'}"/>`
        : '',
      `    <text x="${x + CELL / 2}" y="${BAR_TOP + 26}" class="number">${phase.number}</text>`,
      `    <text x="${x + CELL / 2}" y="${BAR_TOP + 50}" class="count">${phase.done}/${phase.total}</text>`,
      ...labelLines(phase.id).map(
        (line, row) => (line ? `    <text x="${x + CELL / 2}" y="${BAR_TOP + BAR_HEIGHT + 17 + row * 13}" class="label">${escapeXml(line)}</text>` : ''),
      ),
      `  </g>`,
    ]
      .filter((line) => line !== '')
      .join('\n');
  });
  const summary = `${board.topics.done} of ${board.topics.total} roadmap topics · ${board.challenges.done} of ${board.challenges.total} challenges done`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="200" viewBox="0 0 ${WIDTH} 200" role="img" aria-label="${escapeXml(`${title}: ${summary}`)}">
  <style>
    text { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; fill: #1f2328; }
    .title { font-size: 20px; font-weight: 600; }
    .summary { font-size: 14px; fill: #57606a; }
    .number, .count { text-anchor: middle; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
    .number { font-size: 18px; font-weight: 700; }
    .count { font-size: 13px; }
    .label { font-size: 10.5px; text-anchor: middle; fill: #57606a; }
  </style>
  <rect x="0.5" y="0.5" width="${WIDTH - 1}" height="199" rx="10" fill="#ffffff" stroke="#d0d7de"/>
  <text x="${left}" y="34" class="title">${escapeXml(title)}</text>
  <text x="${left}" y="58" class="summary">${escapeXml(summary)}</text>
${cells.join('\n')}
</svg>
`;
}
