/** Count calls of `process.nextTick` (other than the scheduler's own) until restored. */
export function countTicks(): { count: number; restore(): void } {
  const counter = {
    count: 0,
    restore: () => {
      if (process.nextTick === counting) process.nextTick = original;
    },
  };
  const original = process.nextTick;
  const counting = function (this: unknown, ...args: Parameters<typeof process.nextTick>): void {
    counter.count++;
    original.apply(process, args);
  } as typeof process.nextTick;
  process.nextTick = counting;
  return counter;
}
