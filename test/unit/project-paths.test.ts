import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { ExitCode } from '../../src/errors.ts';
import { fsErrorToUserError, isFsError } from '../../src/project/fs-errors.ts';
import { UnsafePathError, pathProblem, resolveProjectPath, showPath, type PathOrigin } from '../../src/project/project-paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const MANIFEST: PathOrigin = { kind: 'manifest', file: '.roadmap-project.json', field: 'files' };

describe('pathProblem: the spelling of a project-relative path', () => {
  it.each([
    ['README.md'],
    ['src/app/main.py'],
    ['.github/workflows/ci.yml'],
    ['a/.hidden/b..c'],
    ['src/café/ñ.py'],
  ])('accepts %j', (value) => {
    expect(pathProblem(value)).toBeUndefined();
  });

  it.each([
    ['', 'is empty'],
    ['../victim.txt', 'climbs out'],
    ['src/../../x', 'climbs out'],
    ['a/..', 'climbs out'],
    ['/etc/passwd', 'is absolute'],
    ['C:/Windows', 'is absolute'],
    ['..\\victim.txt', 'backslash'],
    ['a//b', 'not normalized'],
    ['./a', 'not normalized'],
    ['a/', 'not normalized'],
    ['README\u0000.md', 'control'],
    ['a\u001b[2J', 'control'],
    ['a\u202eb', 'control or invisible'],
    ['.git/config', '.git'],
    ['sub/.GIT/hooks/pre-commit', '.git'],
    ['.roadmap-project.json', 'keeps for itself'],
    ['.cprp-update-1-ab/journal.json', 'keeps for itself'],
    ['.cprp-lock', 'keeps for itself'],
    ['x'.repeat(1025), 'longer than'],
  ])('refuses %j (%s)', (value, problem) => {
    expect(pathProblem(value)).toContain(problem);
  });

  it('lets the tool name its own files where it writes them', () => {
    expect(pathProblem('.roadmap-project.json', { allowToolFiles: true })).toBeUndefined();
  });

  it('property: whatever it accepts joins below the root', () => {
    const segment = fc.oneof(fc.constantFrom('..', '.', '', '.git', 'a', 'b.py', '\u0000', '\\', '/'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const value = segments.join('/');
        if (pathProblem(value) !== undefined) return;
        const root = path.resolve('/project');
        const joined = path.resolve(root, value);
        expect(joined.startsWith(`${root}${path.sep}`)).toBe(true);
        expect(path.posix.normalize(value)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('shows invisible characters spelled out', () => {
    expect(showPath('a\u0000b\u202ec')).toBe('a\\u0000b\\u202ec');
  });
});

describe('resolveProjectPath: inside the project once symlinks are resolved', () => {
  function project(): { root: string; outside: string } {
    const parent = makeTempDir('cprp-paths');
    const root = path.join(parent, 'project');
    const outside = path.join(parent, 'outside');
    mkdirSync(path.join(root, 'src', 'app'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'victim.txt'), 'x');
    symlinkSync(outside, path.join(root, 'out'));
    symlinkSync(path.join('src', 'app'), path.join(root, 'inside'));
    symlinkSync(path.join(parent, 'missing'), path.join(root, 'dangling'));
    return { root, outside };
  }

  it('resolves plain paths, new folders, and symlinks that stay inside', () => {
    const { root } = project();
    expect(resolveProjectPath(root, 'src/app/main.py', MANIFEST)).toBe(path.join(root, 'src', 'app', 'main.py'));
    expect(resolveProjectPath(root, 'new/deep/file.py', MANIFEST)).toBe(path.join(root, 'new', 'deep', 'file.py'));
    expect(resolveProjectPath(root, 'inside/main.py', MANIFEST)).toBe(path.join(root, 'inside', 'main.py'));
    // The last segment may be a link: it is replaced or removed, never written through.
    expect(resolveProjectPath(root, 'out', MANIFEST)).toBe(path.join(root, 'out'));
  });

  it('refuses a folder on the way that is a symlink out of the project, or to nowhere', () => {
    const { root, outside } = project();
    const error = (() => {
      try {
        resolveProjectPath(root, 'out/victim.txt', MANIFEST);
      } catch (caught) {
        return caught as UnsafePathError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain('.roadmap-project.json files holds "out/victim.txt"');
    expect(error.message).toContain(`a symbolic link out of the project (to ${outside})`);
    expect(() => resolveProjectPath(root, 'dangling/x', MANIFEST)).toThrow(/leads nowhere/);
  });

  it('names the origin in the message', () => {
    const { root } = project();
    const journal: PathOrigin = { kind: 'journal', file: '.cprp-update-1-ab/journal.json', field: 'entries[0].path', folder: '.cprp-update-1-ab' };
    expect(() => resolveProjectPath(root, '../x', journal)).toThrow(/journal \.cprp-update-1-ab\/journal\.json is damaged or was edited: entries\[0\]\.path holds "\.\.\/x"/);
    const answers: PathOrigin = { kind: 'answers', file: 'answers.json', field: 'directory' };
    expect(() => resolveProjectPath(root, '/abs', answers)).toThrow(/answers file answers\.json is damaged or was edited: "directory" holds "\/abs", which is absolute/);
    expect(() => resolveProjectPath(root, 'out/x', { kind: 'plan' })).toThrow(/Cannot write "out\/x" safely/);
  });
});

describe('file-system errors become clear messages', () => {
  it.each([
    [{ code: 'EROFS', syscall: 'rename', path: '/p/.cprp-update-1/new/0', dest: '/p/src/app.py' }, 'Cannot move a file to src/app.py: read-only file system (EROFS).'],
    [{ code: 'ENOSPC', syscall: 'write', path: '/p/x.py' }, 'Cannot write x.py: no space left on device (ENOSPC).'],
    [{ code: 'EACCES', syscall: 'mkdir', path: '/elsewhere/dir' }, 'Cannot create the folder /elsewhere/dir: permission denied (EACCES).'],
    [{ code: 'ENOTDIR', syscall: 'open', path: '/p/a/b' }, 'Cannot write a/b: a part of the path is a file, not a folder (ENOTDIR).'],
  ])('%j', (fields, message) => {
    const error = Object.assign(new Error('raw'), fields);
    expect(isFsError(error)).toBe(true);
    const user = fsErrorToUserError(error, '/p');
    expect(user.message).toBe(message);
    expect(user.exitCode).toBe(ExitCode.failed);
  });

  it('leaves other errors alone', () => {
    expect(isFsError(new Error('plain'))).toBe(false);
    expect(isFsError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false);
  });
});

describe('template folders', () => {
  it.each([['api/../../..'], ['../../..'], ['/etc'], ['api/django/'], ['API']])('never load %j', (dir) => {
    expect(() => loadTemplateTree([dir])).toThrow('is not a template folder name');
  });
});
