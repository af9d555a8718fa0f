/**
 * `npm run user:hash`: reads a password from stdin and prints its Argon2id hash for USERS_FILE's
 * `passwordHash`. Stdin rather than an argument, so the password stays out of shell history.
 */
import { createInterface } from 'node:readline/promises';
import { hashPassword } from './passwords.js';

const MIN_LENGTH = 12;

const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
const password = (await rl.question('password: ')).trim();
rl.close();
if (password.length < MIN_LENGTH) {
  process.stderr.write(`a password needs at least ${MIN_LENGTH} characters\n`);
  process.exit(2);
}
process.stdout.write(`${await hashPassword(password)}\n`);
