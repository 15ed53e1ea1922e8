// Root hooks of the adversarial suite (loaded first through .mocharc.cjs): after every test, every
// process it started is killed by its pid, so no peer outlives the test that started it.
import { killAll } from '@chain/testkit';

afterEach(() => killAll());
