// A tree plus its operation log, as the Basis tracker keeps them, over the module's.
import { copyBytes, inert, logBytes } from './boundary.js';
import { glue } from './glue.js';
import type { GlueObject } from './glue.js';
import { Handles } from './handles.js';
import { treeOf } from './tree.js';
import type { Tree } from './tree.js';
import type {
  ByteArray,
  Bytes,
  Checkpoint,
  LogFormat,
  RecordLimitOptions,
  ReportedShape,
  TimestampOptions,
  TreeOperation,
  TreeOperationInput,
  TreeStorageOptions,
} from './types.js';

const storages = new Handles('TreeStorage');

/** A tree plus its operation log, as the Basis tracker keeps them. */
export class TreeStorage {
  constructor(options?: TreeStorageOptions) {
    storages.adopt(this, new glue.TreeStorage(inert(options, 'options')));
  }

  /** Rebuilds a storage from its records, checking each; throws at the first bad one. */
  static recover(options: TreeStorageOptions | undefined, records: TreeOperationInput[]): TreeStorage {
    return storageOf(glue.TreeStorage.recover(inert(options, 'options'), inert(records, 'records')));
  }

  /**
   * A storage restored from a checkpoint's snapshot, then the log after it replayed and checked
   * (its header as `LogVerifier` checks it: the snapshot's shape, sequence number and digest).
   */
  static recoverFromSnapshot(snapshot: Bytes, logTail: Uint8Array | ArrayBuffer | string, options?: RecordLimitOptions): TreeStorage {
    const s = inert(snapshot, 'snapshot');
    const tail = copyBytes(logBytes(logTail, 'logTail'));
    return storageOf(glue.TreeStorage.recoverFromSnapshot(s, tail, inert(options, 'options')));
  }

  /** Throws `LOG_SEQUENCE` at sequence number 2^64 − 1, after which no record can follow. */
  insert(key: Bytes, value: Bytes, options?: TimestampOptions): TreeOperation {
    const k = inert(key, 'key');
    const v = inert(value, 'value');
    const o = inert(options, 'options');
    return storages.of(this, 'insert').insert(k, v, o);
  }

  update(key: Bytes, value: Bytes, options?: TimestampOptions): TreeOperation {
    const k = inert(key, 'key');
    const v = inert(value, 'value');
    const o = inert(options, 'options');
    return storages.of(this, 'update').update(k, v, o);
  }

  remove(key: Bytes, options?: TimestampOptions): TreeOperation {
    const k = inert(key, 'key');
    const o = inert(options, 'options');
    return storages.of(this, 'remove').remove(k, o);
  }

  /** Appends a record made elsewhere after checking it. */
  append(record: TreeOperationInput): void {
    const r = inert(record, 'record');
    storages.of(this, 'append').append(r);
  }

  /** Appends all records or none. */
  appendBatch(records: TreeOperationInput[]): void {
    const rs = inert(records, 'records');
    storages.of(this, 'appendBatch').appendBatch(rs);
  }

  get digest(): ByteArray {
    return storages.of(this, 'digest').digest;
  }

  /**
   * A copy of the current tree (see `Tree.clone`: cheap to take; while it lives, the storage's
   * changes copy the pages it shares); changing it does not change the storage.
   */
  get tree(): Tree {
    return treeOf(storages.of(this, 'tree').tree);
  }

  get shape(): ReportedShape {
    return storages.of(this, 'shape').shape;
  }

  get lastSequence(): bigint {
    return storages.of(this, 'lastSequence').lastSequence;
  }

  operations(fromSeq?: bigint | number, toSeq?: bigint | number): TreeOperation[] {
    const from = inert(fromSeq, 'fromSeq');
    const to = inert(toSeq, 'toSeq');
    return storages.of(this, 'operations').operations(from, to);
  }

  /**
   * Records a checkpoint; from then on the storage keeps each node it changes, the first time
   * after each checkpoint, so that `checkpointSnapshot` can write the tree as it was (memory in
   * proportion to the changes, not a copy of the tree). Throws `LOG_SEQUENCE` after checkpoint id
   * 2^64 − 1 (which a restored snapshot may carry).
   */
  checkpoint(options?: TimestampOptions): Checkpoint {
    const o = inert(options, 'options');
    return storages.of(this, 'checkpoint').checkpoint(o);
  }

  checkpoints(): Checkpoint[] {
    return storages.of(this, 'checkpoints').checkpoints();
  }

  exportLog(options?: { from?: bigint | number; format?: LogFormat }): ByteArray {
    const o = inert(options, 'options');
    return storages.of(this, 'exportLog').exportLog(o);
  }

  /** A snapshot of the current tree and sequence number, to resume from. */
  snapshot(): ByteArray {
    return storages.of(this, 'snapshot').snapshot();
  }

  /** The snapshot of checkpoint `id`, or `undefined` when there is none. */
  checkpointSnapshot(id: bigint | number): ByteArray | undefined {
    const i = inert(id, 'id');
    return storages.of(this, 'checkpointSnapshot').checkpointSnapshot(i);
  }

  free(): void {
    storages.free(this);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

function storageOf(handle: GlueObject): TreeStorage {
  return storages.adopt(Object.create(TreeStorage.prototype) as TreeStorage, handle);
}
