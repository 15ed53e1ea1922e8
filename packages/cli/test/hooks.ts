// Root hooks of the CLI suite (loaded first through .mocharc.cjs): after every test, every
// program it started is killed, so no test leaves a peer running for the next.
import { killAll } from '@chain/testkit';

afterEach(() => killAll());
