// Entry point when running from source (tests): `node --import=tsx src/run.ts`.
import { main } from './cli';

process.exitCode = await main(process.argv);
