import { describe, expect, it } from 'vitest';
import { decodePristine, encodePristine, isBinary, sha256 } from '../../src/manifest/manifest.ts';

describe('the manifest keeps pristine content recoverable', () => {
  it('round-trips text and binary files exactly', () => {
    const files = [
      { path: 'README.md', content: Buffer.from('# Title\n\nnon-ASCII: é ✓\n') },
      { path: 'logo.png', content: Buffer.from([0x89, 0x50, 0x00, 0xff, 0xfe]) },
      { path: 'empty.txt', content: Buffer.alloc(0) },
    ];
    const decoded = decodePristine(encodePristine(files));
    expect([...decoded.keys()]).toEqual(['README.md', 'logo.png', 'empty.txt']);
    for (const file of files) expect(decoded.get(file.path)?.equals(file.content), file.path).toBe(true);
  });

  it('compresses: a repetitive project costs far less than its size', () => {
    const content = Buffer.from('def handler() -> None:\n    pass\n'.repeat(2000));
    expect(encodePristine([{ path: 'a.py', content }]).length).toBeLessThan(content.length / 20);
  });

  it('tells text from binary', () => {
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.from('ünïcödé'))).toBe(false);
    expect(isBinary(Buffer.from([0x61, 0x00, 0x62]))).toBe(true);
    expect(isBinary(Buffer.from([0xc3, 0x28]))).toBe(true);
  });

  it('hashes with SHA-256', () => {
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
