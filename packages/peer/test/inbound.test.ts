import assert from 'node:assert/strict';
import { AddressBook, type LearnOutcome } from '../src/address-book';
import { Inbound } from '../src/inbound';

/** An inbound registry over a real address book, with the neighbours given by hand. */
function registry() {
  const book = new AddressBook({ maxNeighbours: 32 });
  const neighbours = new Set<string>();
  const closed: number[] = [];
  const offered: string[] = [];
  const inbound = new Inbound({
    disconnect: (id) => void closed.push(id),
    isNeighbour: (a) => neighbours.has(a),
    learn: (host, address): LearnOutcome => (offered.push(address), book.announce(host, address, 1_000_000)),
  });
  return { book, inbound, neighbours, closed, offered };
}

describe('inbound registry', () => {
  it('a connection contributes its first address only; the same one is offered again, another is ignored', () => {
    const { inbound, book, offered } = registry();
    assert.equal(inbound.announce(1, '192.0.2.1', '192.0.2.1:6000'), 'learned');
    assert.equal(inbound.announce(1, '192.0.2.1', '192.0.2.1:6001'), 'ignored');
    assert.equal(inbound.announce(1, '192.0.2.1', '192.0.2.1:6000'), 'known', 'offered to the book again');
    assert.deepEqual(offered, ['192.0.2.1:6000', '192.0.2.1:6000']);
    assert.equal(book.get('192.0.2.1:6001'), undefined);
    assert.equal(inbound.announced(1), '192.0.2.1:6000');
    // An unusable first address binds nothing.
    assert.equal(inbound.announce(2, '192.0.2.1', 'no port'), 'invalid');
    assert.equal(inbound.announce(2, '192.0.2.1', '192.0.2.1:6002'), 'learned');
    // Forgotten with the connection (bounded by the open connections).
    inbound.closed(1);
    assert.equal(inbound.announced(1), undefined);
  });

  it('a connection is taken for a neighbour only from its own IP and while the address is a neighbour', () => {
    const { inbound, neighbours } = registry();
    inbound.announce(1, '192.0.2.1', '192.0.2.1:6000');
    inbound.announce(2, '192.0.2.9', '192.0.2.1:6000'); // claims another IP's address
    inbound.announce(3, '192.0.2.1', 'peer.example:6000'); // a name proves nothing
    assert.deepEqual(inbound.sourceOf(1), { kind: 'remote' }, 'a candidate is not a neighbour yet');
    neighbours.add('192.0.2.1:6000').add('peer.example:6000');
    assert.deepEqual(inbound.sourceOf(1), { kind: 'neighbour', address: '192.0.2.1:6000' });
    assert.deepEqual(inbound.sourceOf(2), { kind: 'remote' });
    assert.deepEqual(inbound.sourceOf(3), { kind: 'remote' });
    assert.deepEqual(inbound.sourceOf(4), { kind: 'remote' }, 'a connection that announced nothing');
    assert.equal(inbound.canEvict(1), false, "a neighbour's connection keeps its slot");
    assert.equal(inbound.canEvict(2), true);
  });

  it('distrusting an address closes the connections taken for it, not those that only claimed it', () => {
    const { inbound, neighbours, closed } = registry();
    neighbours.add('192.0.2.1:6000');
    inbound.announce(1, '192.0.2.1', '192.0.2.1:6000');
    inbound.announce(2, '192.0.2.9', '192.0.2.1:6000');
    inbound.announce(3, '192.0.2.1', '192.0.2.1:7000');
    inbound.disconnect('192.0.2.1:6000');
    assert.deepEqual(closed, [1]);
  });
});
