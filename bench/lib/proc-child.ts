/**
 * The child side of {@link Proc.call}: each message from the parent is `{ cmd, ... }`; the handler
 * of its `cmd` answers with the reply (or nothing, when it sends none), and a failure goes back as
 * `{ error }`, which the parent's `call` throws.
 */

/** Send the parent a message (a reply, or `{ ready: true }`). */
export function send(m: unknown): void {
  process.send?.(m);
}

type Handlers<M> = Record<string, (m: M) => unknown>;

/** Answer the parent's commands with `handlers`, then tell it this process is ready. */
export function answerCalls<M extends { cmd: string }>(handlers: Handlers<M>): void {
  process.on('message', async (m: M) => {
    try {
      const handler = handlers[m.cmd];
      if (handler === undefined) throw new Error(`unknown command ${JSON.stringify(m.cmd)}; known: ${Object.keys(handlers).join(', ')}`);
      const reply = await handler(m);
      if (reply !== undefined) send(reply);
    } catch (err) {
      send({ error: (err as Error).stack ?? String(err) });
    }
  });
  send({ ready: true });
}
