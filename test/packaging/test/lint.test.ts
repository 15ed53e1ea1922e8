import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll, publishedPackages, run, type Packed } from '../lib/packages';

const require = createRequire(import.meta.url);
const ATTW = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

describe('package linters', () => {
  let packed: Packed[] = [];
  before(async () => {
    packed = await packAll();
  });

  for (const pkg of publishedPackages()) {
    describe(pkg.manifest.name, () => {
      it('passes publint --strict', async () => {
        const { messages, pkg: manifest } = await publint({ pkgDir: pkg.path, pack: 'npm', strict: true });
        const problems = messages
          .filter((m) => m.type !== 'suggestion')
          .map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`);
        assert.deepEqual(problems, [], `publint finds problems in ${pkg.dir}`);
      });

      it('has types that are not wrong under node10, node16 (CommonJS and ESM) and bundlers (attw, strict profile)', async () => {
        const { tarball } = packed.find((p) => p.pkg.dir === pkg.dir)!;
        // attw exits 1 when it finds problems; the JSON report says which.
        const { stdout } = await run(process.execPath, [ATTW, tarball, '--format', 'json', '--profile', 'strict'], {
          maxBuffer: 64 << 20,
        }).catch((err: { code?: number; stdout?: string }) => {
          if (err.code === 1 && err.stdout) return { stdout: err.stdout };
          throw err;
        });
        const report = JSON.parse(stdout) as { analysis: { types: unknown; problems?: AttwProblem[] } };
        assert.ok(report.analysis.types, `attw found no types in ${pkg.dir}`);
        const problems = (report.analysis.problems ?? []).map((p) => [p.kind, p.entrypoint, p.resolutionKind].filter(Boolean).join(' '));
        // A new subpath export needs a `typesVersions` entry too, or node10 cannot resolve it.
        assert.deepEqual(
          problems,
          [],
          `attw finds problems in ${pkg.dir} (see https://github.com/arethetypeswrong/arethetypeswrong.github.io/tree/main/docs/problems)`,
        );
      });
    });
  }
});
