import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { generateKey, readKeyFile, type KeyFile } from './keyfile';

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

/**
 * The user's signing key at `path`, created (mode 0600, directory 0700) when
 * there is none; `created` says which. Two processes creating it at once end
 * up with the same key: the file appears whole or not at all (a hard link of
 * a finished temporary file), and the one that loses reads the winner's.
 */
export function loadOrCreateUserKey(path: string): { key: KeyFile; created: boolean } {
  if (existsSync(path)) return { key: readKeyFile(path), created: false };
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`cannot create the directory for your key ${dirname(path)}: ${(err as Error).message}`);
  }
  const key = generateKey();
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(path), created: false };
    throw new Error(`cannot write your key ${path}: ${(err as Error).message}`);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
  return { key, created: true };
}
