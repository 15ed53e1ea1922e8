import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { bytesToHex, hexToBytes, isHex64, isPlainObject } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { UsageError } from './errors';

/** A key file: JSON `{"secretSeed": <64 hex>, "publicKey": <64 hex>}`, mode 0600. */
export interface KeyFile {
  readonly secretSeed: string;
  readonly publicKey: string;
}

/** The key of a 32-byte secret seed. */
function keyOfSeed(seed: Uint8Array): KeyFile {
  return { secretSeed: bytesToHex(seed), publicKey: bytesToHex(nodeEd25519.publicKey(seed)) };
}

/** A fresh Ed25519 key. */
export function generateKey(): KeyFile {
  return keyOfSeed(new Uint8Array(randomBytes(32)));
}

/** A key as a key file holds it. */
export function keyFileText(key: KeyFile): string {
  return `${JSON.stringify(key, null, 2)}\n`;
}

/** Write a key file that only its owner can read. Refuses to overwrite. */
export function writeKeyFile(path: string, key: KeyFile): void {
  try {
    writeFileSync(path, keyFileText(key), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${path} already exists; remove it or choose another --out`);
    throw new Error(`cannot write key file ${path}: ${(err as Error).message}`);
  }
}

/** Read and check a key file; errors name the file and what is wrong. */
export function readKeyFile(path: string): KeyFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read key file ${path}: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed) || !isHex64(parsed.secretSeed)) {
    throw new Error(`key file ${path}: expected {"secretSeed": "<64 lowercase hex>", "publicKey": "<64 lowercase hex>"}`);
  }
  const key = keyOfSeed(hexToBytes(parsed.secretSeed));
  if (parsed.publicKey !== undefined && parsed.publicKey !== key.publicKey) {
    throw new Error(`key file ${path}: publicKey does not belong to secretSeed`);
  }
  return key;
}

/** Read the key file given with `--key`; problems are usage errors that name the file. */
export function readKeyOption(file: string): KeyFile {
  try {
    return readKeyFile(file);
  } catch (err) {
    throw new UsageError(`--key: ${(err as Error).message} (create one with: chain-peer keygen --out ${file})`);
  }
}

/**
 * The key file at `path`, made with a fresh key when there is none; `created` says which.
 * Two processes making it at once end up with the same key: the file appears whole or not at
 * all (a hard link of a finished temporary file), and the one that loses reads the winner's.
 * `what` names the file in errors.
 */
function readOrCreateKeyFile(path: string, what: string): { key: KeyFile; created: boolean } {
  if (existsSync(path)) return { key: readKeyFile(path), created: false };
  const key = generateKey();
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, keyFileText(key), { mode: 0o600, flag: 'wx' });
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(path), created: false };
    throw new Error(`cannot write ${what} ${path}: ${(err as Error).message}`);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
  return { key, created: true };
}

/**
 * The signing key of a peer, made on first use: the `--key` file if given,
 * else `<dataDir>/peer.key` (created then), else a key for this run only.
 */
export class PeerKey {
  readonly #file: string | undefined;
  readonly #dataDir: string | null;
  #key: KeyFile | undefined;
  readonly #onCreate: (where: string, key: KeyFile) => void;

  constructor(opts: { file?: string; dataDir: string | null; onCreate?: (where: string, key: KeyFile) => void }) {
    this.#file = opts.file;
    this.#dataDir = opts.dataDir;
    this.#onCreate = opts.onCreate ?? (() => undefined);
    if (this.#file) this.#key = readKeyOption(this.#file);
  }

  /** Where the key lives (or will), for messages. */
  get location(): string {
    if (this.#file) return this.#file;
    return this.#dataDir ? join(this.#dataDir, 'peer.key') : 'memory (this run only)';
  }

  get(): KeyFile {
    if (this.#key) return this.#key;
    if (this.#dataDir) {
      const path = join(this.#dataDir, 'peer.key');
      mkdirSync(this.#dataDir, { recursive: true });
      const { key, created } = readOrCreateKeyFile(path, 'key file');
      this.#key = key;
      if (created) this.#onCreate(path, key);
    } else {
      this.#key = generateKey();
      this.#onCreate('memory', this.#key);
    }
    return this.#key;
  }
}

/** The environment variables that choose where the user's files live. */
export type HomeEnv = Readonly<Record<string, string | undefined>>;

/**
 * The directory of the user's chain-peer files: `$CHAIN_PEER_HOME` if set,
 * else `$XDG_CONFIG_HOME/chain-peer`, else `%APPDATA%\chain-peer` on Windows,
 * else `~/.config/chain-peer`. Relative values are ignored (XDG says so).
 */
export function userConfigDir(
  env: HomeEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string {
  const usable = (v: string | undefined) => (v !== undefined && v !== '' && isAbsolute(v) ? v : undefined);
  const own = usable(env.CHAIN_PEER_HOME);
  if (own) return own;
  const xdg = usable(env.XDG_CONFIG_HOME);
  if (xdg) return join(xdg, 'chain-peer');
  const appData = platform === 'win32' ? usable(env.APPDATA) : undefined;
  if (appData) return join(appData, 'chain-peer');
  return join(home(), '.config', 'chain-peer');
}

/** Where `send` keeps the user's signing key when no `--key` is given. */
export function userKeyPath(env: HomeEnv = process.env): string {
  return join(userConfigDir(env), 'key.json');
}

/** The user's signing key at `path`, made (mode 0600, directory 0700) when there is none; `created` says which. */
export function readOrCreateUserKey(path: string): { key: KeyFile; created: boolean } {
  if (existsSync(path)) return { key: readKeyFile(path), created: false };
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`cannot create the directory for your key ${dirname(path)}: ${(err as Error).message}`);
  }
  return readOrCreateKeyFile(path, 'your key');
}
