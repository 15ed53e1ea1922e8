import assert from 'node:assert/strict';
import { ReplyRoom, jsonBytes } from '../src/reply-room';
import { takeWithin } from '../src/handlers';

describe('reply room', () => {
  it('counts each item with its separator and refuses, counting nothing, what does not fit', () => {
    const room = new ReplyRoom(10);
    assert.equal(room.take(4), true); // 5 of 10
    assert.equal(room.has(4), true);
    assert.equal(room.take(4), true); // 10 of 10: exactly full
    assert.equal(room.bytes, 10);
    assert.equal(room.has(0), false);
    assert.equal(room.take(0), false);
    assert.equal(room.bytes, 10);
  });

  it('takeWithin keeps items in order while their JSON fits', () => {
    const items = ['a', 'bb', 'ccc', 'd'];
    // JSON lengths 3, 4, 5, 3: with separators 4, 5, 6, 4.
    assert.deepEqual(takeWithin(items, 9), ['a', 'bb']);
    assert.deepEqual(takeWithin(items, 8), ['a']);
    assert.deepEqual(takeWithin(items, 3), []);
    assert.equal(jsonBytes({ ü: 1 }), 8);
  });
});
