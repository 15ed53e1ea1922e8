import type { Block } from '../types';
import { txId } from '../consensus/hashing';
import type { BlockTree } from './block-tree';
import type { BlockMeta } from './meta';
import type { BlockStore } from './store';
import type { TxIndex } from './tx-index';

/**
 * A membership test for "this id is in an ancestor of a block whose parent is
 * `parent`", complete for transactions with timestamp > `cutoff`: side-branch
 * ancestors are read (their ids cached by the tree, or recomputed from the
 * store) until the walk reaches the best chain, whose part the TTL-bounded
 * index answers when its horizon allows; otherwise the walk goes on through the
 * store down to the cutoff.
 */
export async function ancestorIds(
  tree: BlockTree,
  index: TxIndex,
  store: BlockStore,
  genesisHash: string,
  parent: BlockMeta,
  cutoff: number,
): Promise<(id: string) => boolean> {
  const side = new Set<string>();
  let m: BlockMeta | undefined = parent;
  while (m && m.index > 1 && m.timestamp > cutoff) {
    if (tree.onBest(m.hash) && cutoff >= index.horizon) {
      const forkHeight = m.index;
      return (id) => side.has(id) || (index.heightOf(id) ?? Infinity) <= forkHeight;
    }
    let ids = tree.sideIds(m.hash);
    if (!ids) {
      const b = (await store.get(m.hash)) as Block;
      ids = b.transactions.map((tx) => txId(genesisHash, tx));
    }
    for (const id of ids) side.add(id);
    m = tree.get(m.previousHash);
  }
  return (id) => side.has(id);
}
