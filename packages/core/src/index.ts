/**
 * @chain/core: the rules of the chain (docs/spec.md §1–§4) with no I/O. Network
 * parameters, hashing, transactions, blocks, proof of work and chain state.
 */
export * from './types';
export { ChainError, CodedError, OK, fail, assertVerdict, type Verdict } from './errors';
export {
  utf8,
  sha256hex,
  sha256hexOfText,
  canonical,
  hashCanonical,
  isHex64,
  isHex128,
  bytesToHex,
  hexToBytes,
} from './primitives/encoding';
export { isPlainObject, hasExactKeys } from './primitives/checks';
export { BoundedMap, LruCache } from './primitives/bounded-map';
export { checkOptionKeys } from './primitives/option-keys';
export {
  NetworkParamsError,
  NETWORK_FIELDS,
  OPTIONAL_NETWORK_FIELDS,
  RETARGET_FIELDS,
  MAX_TARGET_BLOCK_MS,
  DEFAULT_NETWORK,
  COMP3221_NETWORK,
  RETARGET_NETWORK,
  PRESETS,
  GENESIS_PROOF,
  parseNetwork,
  networkHash,
  createGenesis,
  sameNetwork,
} from './consensus/network';
export { txId, txLeaf, txRoot, txRootOfLeaves, templateHash, blockHash } from './consensus/hashing';
export * from './consensus/pow';
export { nextTarget, asertTarget, fractionalFactor, type TargetHistory } from './consensus/retarget';
export { MEDIAN_TIME_BLOCKS, medianTimePast, isAfterMedianTime } from './consensus/median-time';
export {
  MAX_FUTURE_MS,
  MAX_CONTENT_LENGTH,
  isValidContent,
  isValidSender,
  checkTxFormat,
  verifyTxSignature,
  createClassicTransaction,
  admissionWindow,
  blockWindow,
  type TxCheck,
  type TxDraft,
} from './consensus/transaction';
export { genesisHash, signTransaction, badSignatureMessage, type SignTransactionOptions } from './consensus/signing';
export {
  createTemplate,
  sealBlock,
  checkBlockFormat,
  validateBlock,
  identifyBlock,
  validateIdentifiedBlock,
  checkHeader,
  checkBody,
  type HeaderContext,
  type HeaderFacts,
  type IdentifiedBlock,
  type BlockIdentity,
  type ParentInfo,
  type BlockTemplate,
  type BlockContext,
  type RetargetFacts,
  type BlockCheck,
} from './consensus/block';
export { headerOf, identifyHeader, shortTxId, SHORT_ID_HEX, type BlockHeader, type HeaderIdentity } from './consensus/header';
export { nobleEd25519, randomSecretSeed, type Ed25519 } from './crypto/ed25519';
export { createKeyPair, publicKeyOf, assertSecretKey, SECRET_KEY_BYTES, type KeyPair } from './crypto/keys';
export { metaOf, type BlockMeta } from './chain/meta';
export { MemoryBlockStore, type BlockStore } from './chain/store';
export { createMetaLog, type MetaLog, type StoredMetas } from './chain/meta-list';
export { TxPool, DEFAULT_POOL_CAP, type PoolEntry } from './chain/pool';
export { TxIndex } from './chain/tx-index';
export { UNREQUESTED_DEPTH } from './chain/block-adder';
export { retargetFacts, anchorTimestamp, withRun, ArrayRun, type ChainView, type Run } from './chain/retarget-history';
export { RecentIds } from './chain/recent-ids';
export { locatorHeights } from './chain/locator';
export {
  ChainState,
  type ChainStateOptions,
  type AddBlockResult,
  type AddBlockOptions,
  type AddBlocksOptions,
  type AddTxResult,
  type Rejection,
} from './chain/chain-state';
