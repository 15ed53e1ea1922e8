import { randomBytes } from 'node:crypto';
import { bytesToHex, type TxFormat } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { ask, type ClientFlags } from './client';

/** A key that signs nothing: the sender of the probe. */
const PROBE_SENDER = bytesToHex(nodeEd25519.publicKey(new Uint8Array(32).fill(7)));

/**
 * Which transaction format the peer at `target` takes. No reply of the specification names it,
 * so this asks with a transaction that no peer can admit: a well-formed signed
 * transaction whose signature is all zeros. A signed network finds nothing
 * wrong with it but the signature (`bad-signature`); a classic one refuses its
 * fields (`malformed`) or its sender (`bad-sender`), whichever it checks
 * first. Any other answer (a full pool, a clock far off) is an error that says
 * what the peer answered.
 */
export async function txFormatOf(target: string, flags: ClientFlags): Promise<TxFormat> {
  const probe = {
    sender: PROBE_SENDER,
    content: `format probe ${randomBytes(6).toString('hex')}`,
    timestamp: Date.now(),
    signature: '0'.repeat(128),
  };
  const reply = await ask(target, 'tx', probe, flags);
  if (reply.status === 'Rejected') {
    if (reply.reason === 'bad-signature') return 'signed';
    if (reply.reason === 'malformed' || reply.reason === 'bad-sender') return 'classic';
    throw new Error(
      `cannot tell which transactions ${target} takes: it answered a test transaction with ${reply.reason} (${reply.message})`,
    );
  }
  throw new Error(
    `${target} accepted a transaction with an invalid signature (id ${reply.id}); it does not follow the rules, so nothing was sent`,
  );
}
