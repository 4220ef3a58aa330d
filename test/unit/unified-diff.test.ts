import { describe, expect, it } from 'vitest';
import type { FileDecision } from '../../src/merge/merge-project.ts';
import { unifiedDiff } from '../../src/merge/unified-diff.ts';

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const binary = Buffer.from([0x89, 0x50, 0x00, 0x01]);

describe('unifiedDiff', () => {
  it('shows an update as a git-style patch with three lines of context', () => {
    const decision: FileDecision = {
      path: 'src/app.py',
      outcome: 'merged',
      previous: text('1\n2\n3\n4\n5\n6\n7\n8\n9\n'),
      content: text('1\n2\n3\n4\nfive\n6\n7\n8\n9\n'),
    };
    expect(unifiedDiff(decision)).toBe(
      [
        'diff --git a/src/app.py b/src/app.py',
        '--- a/src/app.py',
        '+++ b/src/app.py',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '',
      ].join('\n'),
    );
  });

  it('shows a created file from /dev/null and a removed one to /dev/null', () => {
    expect(unifiedDiff({ path: 'new.txt', outcome: 'created', content: text('n\n') })).toBe(
      'diff --git a/new.txt b/new.txt\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,1 @@\n+n\n',
    );
    // A removal carries no content: the file on disk goes.
    expect(unifiedDiff({ path: 'old.txt', outcome: 'removed', previous: text('o\n') })).toBe(
      'diff --git a/old.txt b/old.txt\n--- a/old.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-o\n',
    );
  });

  it('is empty for a decision that leaves the disk alone', () => {
    for (const outcome of ['unchanged', 'kept-yours', 'kept-deleted'] as const) {
      expect(unifiedDiff({ path: 'a.txt', outcome, previous: text('a\n') })).toBe('');
    }
  });

  it('says a binary file differs instead of printing its bytes, on either side', () => {
    expect(unifiedDiff({ path: 'logo.png', outcome: 'updated', previous: binary, content: text('x\n') })).toBe(
      'Binary files a/logo.png and b/logo.png differ\n',
    );
    expect(unifiedDiff({ path: 'logo.png', outcome: 'updated', previous: text('x\n'), content: binary })).toBe(
      'Binary files a/logo.png and b/logo.png differ\n',
    );
    expect(unifiedDiff({ path: 'logo.png', outcome: 'created', content: binary })).toBe('Binary files /dev/null and b/logo.png differ\n');
    expect(unifiedDiff({ path: 'logo.png', outcome: 'removed', previous: binary, content: binary })).toBe(
      'Binary files a/logo.png and /dev/null differ\n',
    );
  });
});
