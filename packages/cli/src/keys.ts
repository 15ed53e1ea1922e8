import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors';
import { generateKey, readKeyFile, writeKeyFile, type KeyFile } from './keyfile';

/** Read a key file given with `--key`; problems are usage errors that name the file. */
export function loadKeyOption(file: string): KeyFile {
  try {
    return readKeyFile(file);
  } catch (err) {
    throw new UsageError(`--key: ${(err as Error).message} (create one with: chain-peer keygen --out ${file})`);
  }
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
    if (this.#file) this.#key = loadKeyOption(this.#file);
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
      if (existsSync(path)) {
        this.#key = readKeyFile(path);
      } else {
        mkdirSync(this.#dataDir, { recursive: true });
        this.#key = generateKey();
        writeKeyFile(path, this.#key);
        this.#onCreate(path, this.#key);
      }
    } else {
      this.#key = generateKey();
      this.#onCreate('memory', this.#key);
    }
    return this.#key;
  }
}
