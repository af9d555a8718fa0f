/** Small, private files in DATA_DIR: secrets and the token list. Owner-only (0600), replaced atomically. */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** 32 random bytes, URL-safe: session secrets, tokens, generated passwords. */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function writePrivate(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write beside, then rename: a crash mid-write leaves the old file, never half a file.
  // Synced before the rename, so a power cut cannot leave the new name on empty blocks.
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The file's trimmed content, or `make()` written there (0600) on first use. */
export function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = make();
  writePrivate(file, value);
  return { value, created: true };
}
