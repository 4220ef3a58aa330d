import { closeSync, constants, lstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Reporter } from '../io.ts';
import { fsReason, isFsError, onFile } from '../project/fs-errors.ts';

/**
 * The development secret: a project whose features sign tokens (`SECRET_KEY`)
 * gets a random one in its own `.env`, so a laptop never serves with the
 * placeholder every copy of the template shares. `.env` is git-ignored and not
 * in the manifest: it belongs to the developer, and `update`/`check` never look
 * at it.
 */

export const ENV_FILE = '.env';
const SECRET_LINE = /^SECRET_KEY=.*$/m;
/** 48 random bytes: 64 URL-safe characters, twice what the app demands outside development. */
const SECRET_BYTES = 48;

/** `not-a-file`: `.env` is a symlink or a folder, left alone. */
export type SecretOutcome = 'created' | 'appended' | 'kept' | 'not-a-file';

export function randomSecretKey(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export const ENV_HEADER =
  '# Your settings, git-ignored: real secrets never enter the repository.\n' +
  '# Written at creation from .env.example, with a random SECRET_KEY.\n';

/**
 * `.env.example` with its placeholder secret replaced by a random one, and its
 * opening comment (how to make a .env) replaced by one saying where this file came
 * from. Every other line is the example's, so the developer edits one file instead
 * of copying another over it.
 */
export function developmentEnv(example: string, secret: string = randomSecretKey()): string {
  const body = example.replace(/^(#[^\n]*\n)+/, '');
  return ENV_HEADER + (SECRET_LINE.test(body) ? body.replace(SECRET_LINE, `SECRET_KEY=${secret}`) : `${body}SECRET_KEY=${secret}\n`);
}

/**
 * Makes sure `<root>/.env` holds a SECRET_KEY, never overwriting anything:
 * no `.env` → one is created (exclusively, mode 0600) from `.env.example`;
 * a `.env` without SECRET_KEY → one line is appended; otherwise it is left alone.
 * A `.env` that is not a regular file (a symlink from a cloned repository) is never followed.
 */
export function ensureDevelopmentSecret(root: string, example: string): SecretOutcome {
  const file = path.join(root, ENV_FILE);
  return onFile(file, () => {
    let stat;
    try {
      stat = lstatSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      writeExclusive(file, developmentEnv(example));
      return 'created';
    }
    if (!stat.isFile()) return 'not-a-file';
    const current = readFileSync(file, 'utf8');
    if (SECRET_LINE.test(current)) return 'kept';
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    const descriptor = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    try {
      writeSync(descriptor, `${separator}# Added with a random value when a feature that signs tokens arrived.\nSECRET_KEY=${randomSecretKey()}\n`);
    } finally {
      closeSync(descriptor);
    }
    return 'appended';
  });
}

function writeExclusive(file: string, content: string): void {
  // O_EXCL: fails rather than replace a file (or follow a symlink) that appeared meanwhile.
  const descriptor = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(descriptor, content);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * A project that signs tokens gets its own random SECRET_KEY in a git-ignored
 * `.env` (never one that exists already: `create` into a folder keeps its `.env`).
 * The project is complete without it, so a disk that refuses is a warning.
 */
export function writeSecretOnce(root: string, secretKey: boolean, files: readonly { path: string; content: Buffer }[], reporter: Reporter): void {
  if (!secretKey) return;
  const example = files.find((file) => file.path === '.env.example')?.content.toString('utf8') ?? '';
  try {
    if (ensureDevelopmentSecret(root, example) === 'not-a-file') {
      reporter.warn(`${ENV_FILE} is not a regular file (a symlink?): left alone. Set SECRET_KEY yourself before serving beyond this machine.`);
    }
  } catch (error) {
    if (!isFsError(error)) throw error;
    reporter.warn(`Could not write ${ENV_FILE} with a random SECRET_KEY (${fsReason(error)}): set SECRET_KEY yourself before serving beyond this machine.`);
  }
}
