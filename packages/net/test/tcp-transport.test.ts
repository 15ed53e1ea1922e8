import assert from 'node:assert/strict';
import { Client, Server, checkTransport, tcpTransport } from '@chain/net';
import { transportCompliance } from './compliance';

transportCompliance('tcp', () => tcpTransport, { limits: true });

describe('tcpTransport', () => {
  it('is the Server and Client of @chain/net', async () => {
    const server = tcpTransport.createServer({ maxConnections: 3 });
    const client = tcpTransport.createClient({ host: '127.0.0.1', port: 9, whileDisconnected: 'fail' });
    try {
      assert.ok(server instanceof Server);
      assert.ok(client instanceof Client);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('checkTransport names what is missing', () => {
    assert.equal(checkTransport(tcpTransport), tcpTransport);
    assert.throws(
      () => checkTransport({ createServer() {} }, 'transport'),
      /transport must be an object with createServer and createClient/,
    );
    assert.throws(() => checkTransport(null), /got null/);
  });
});
