/**
 * Text as the merge sees it: lines without their terminators, plus the two
 * facts about line endings that a line list cannot hold. Keeping those apart
 * is what stops an editor that saves CRLF, or drops the final newline, from
 * turning every line of a file into a conflict.
 */
export interface TextLines {
  readonly lines: readonly string[];
  /** The text ended with a line terminator. */
  readonly finalNewline: boolean;
  /** CRLF only when every line ends that way; mixed files keep their `\r` inside the lines. */
  readonly eol: '\n' | '\r\n';
}

export function toLines(text: string): TextLines {
  if (text === '') return { lines: [], finalNewline: false, eol: '\n' };
  const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
  const eol = crlf ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -eol.length) : text;
  return { lines: body.split(eol), finalNewline, eol };
}

export function fromLines(lines: readonly string[], finalNewline: boolean, eol: '\n' | '\r\n'): string {
  if (lines.length === 0) return '';
  return lines.join(eol) + (finalNewline ? eol : '');
}

export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** Conflict markers: seven characters at the start of a line, as git writes them. */
export const MARKERS = {
  yours: '<<<<<<<',
  base: '|||||||',
  separator: '=======',
  template: '>>>>>>>',
} as const;

/**
 * True when the text holds a complete conflict block (start, separator and end
 * markers in that order, each at the start of a line), i.e. a conflict left
 * unresolved. A lone `=======` under a Markdown heading is not one.
 */
export function hasConflictMarkers(text: string): boolean {
  const isMarker = (line: string, marker: string): boolean => line === marker || line.startsWith(`${marker} `);
  let state: 'outside' | 'yours' | 'template' = 'outside';
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (state === 'outside' && isMarker(line, MARKERS.yours)) state = 'yours';
    else if (state === 'yours' && line === MARKERS.separator) state = 'template';
    else if (state === 'template' && isMarker(line, MARKERS.template)) return true;
  }
  return false;
}
