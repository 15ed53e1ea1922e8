/** The `Timers` a peer runs on live in @chain/net (its clients run on them too); the peer's API keeps the names. */
export { checkTimers, systemTimers, type TimerHandle, type Timers } from '@chain/net';
