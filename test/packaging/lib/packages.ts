import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Where the project lives, as every package's `repository`, `homepage` and `bugs` say. A
 * placeholder until the project is published (docs/decisions.md).
 */
export const REPOSITORY = 'https://github.com/chain-dev/chain';

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  author?: unknown;
  homepage?: string;
  repository?: { type?: string; url?: string; directory?: string };
  bugs?: { url?: string };
  keywords?: unknown;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface PublishedPackage {
  /** `packages/core`, relative to the root. */
  dir: string;
  /** Absolute path of the package's folder. */
  path: string;
  manifest: Manifest;
  /** Its export subpaths as module specifiers (`@chain/core`, `@chain/core/node`), `./package.json` aside. */
  specifiers: string[];
}

/** Every workspace that is published (not `private`), in the root package.json's order. */
export function publishedPackages(): PublishedPackage[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces
    .map((dir) => ({ dir, path: join(ROOT, dir), manifest: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true)
    .map((p) => ({
      ...p,
      specifiers: Object.keys(p.manifest.exports ?? { '.': null })
        .filter((subpath) => subpath !== './package.json')
        .map((subpath) => (subpath === '.' ? p.manifest.name : `${p.manifest.name}/${subpath.slice(2)}`)),
    }));
}

export interface Packed {
  pkg: PublishedPackage;
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** The paths inside it, relative to the package. */
  files: string[];
  /** Where it is unpacked (as it would be installed). */
  unpacked: string;
}

/** A scratch directory for this process, removed when it exits. */
export const SCRATCH = mkdtempSync(join(tmpdir(), 'chain-packaging-'));
process.once('exit', () => rmSync(SCRATCH, { recursive: true, force: true }));

/**
 * Each published package packed by `npm pack` (lifecycle scripts ignored: the packages are built
 * before the tests) and unpacked into `SCRATCH/consumer/node_modules/<name>`, once per process.
 */
let packing: Promise<Packed[]> | undefined;
export function packAll(): Promise<Packed[]> {
  packing ??= (async () => {
    const tarballs = join(SCRATCH, 'tarballs');
    mkdirSync(tarballs, { recursive: true });
    const packed: Packed[] = [];
    // Two at a time: npm is mostly start-up time.
    const pkgs = publishedPackages();
    for (let i = 0; i < pkgs.length; i += 2) {
      packed.push(...(await Promise.all(pkgs.slice(i, i + 2).map((pkg) => packOne(pkg, tarballs)))));
    }
    return packed;
  })();
  return packing;
}

async function packOne(pkg: PublishedPackage, destination: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: pkg.path,
    maxBuffer: 16 << 20,
  });
  const [report] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (!report) throw new Error(`npm pack printed no report for ${pkg.dir}`);
  const tarball = join(destination, report.filename);
  const unpacked = join(SCRATCH, 'consumer', 'node_modules', pkg.manifest.name);
  mkdirSync(unpacked, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
  return { pkg, tarball, files: report.files.map((f) => f.path), unpacked };
}
