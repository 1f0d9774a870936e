// The in-memory authenticated AVL+ tree (prover side), over the module's.
import { inert, packOperations } from './boundary.js';
import { glue } from './glue.js';
import type { GlueObject } from './glue.js';
import { Handles } from './handles.js';
import type { BatchProof, ByteArray, Bytes, Operation, ReportedShape, TreeShape } from './types.js';

const trees = new Handles('Tree');

/** The in-memory authenticated AVL+ tree (prover side). */
export class Tree {
  constructor(shape?: TreeShape) {
    trees.adopt(this, new glue.Tree(inert(shape, 'shape')));
  }

  /** 33 bytes: the root's blake2b256 label and the tree's height. */
  get digest(): ByteArray {
    return trees.of(this, 'digest').digest;
  }

  get size(): number {
    return trees.of(this, 'size').size;
  }

  get height(): number {
    return trees.of(this, 'height').height;
  }

  get shape(): ReportedShape {
    return trees.of(this, 'shape').shape;
  }

  // Each method reads its arguments first: reading them may run the caller's code, which may free
  // the tree.

  get(key: Bytes): ByteArray | undefined {
    const k = inert(key, 'key');
    return trees.of(this, 'get').get(k);
  }

  has(key: Bytes): boolean {
    const k = inert(key, 'key');
    return trees.of(this, 'has').has(k);
  }

  /** Throws `KEY_EXISTS`. */
  insert(key: Bytes, value: Bytes): void {
    const k = inert(key, 'key');
    const v = inert(value, 'value');
    trees.of(this, 'insert').insert(k, v);
  }

  /** Returns the old value; throws `KEY_NOT_FOUND`. */
  update(key: Bytes, value: Bytes): ByteArray {
    const k = inert(key, 'key');
    const v = inert(value, 'value');
    return trees.of(this, 'update').update(k, v);
  }

  insertOrUpdate(key: Bytes, value: Bytes): ByteArray | undefined {
    const k = inert(key, 'key');
    const v = inert(value, 'value');
    return trees.of(this, 'insertOrUpdate').insertOrUpdate(k, v);
  }

  /** Returns the old value; throws `KEY_NOT_FOUND`. */
  remove(key: Bytes): ByteArray {
    const k = inert(key, 'key');
    return trees.of(this, 'remove').remove(k);
  }

  removeIfExists(key: Bytes): ByteArray | undefined {
    const k = inert(key, 'key');
    return trees.of(this, 'removeIfExists').removeIfExists(k);
  }

  /** One operation; returns the key's value before it. */
  apply(operation: Operation): ByteArray | undefined {
    const op = inert(operation, 'operation');
    return trees.of(this, 'apply').apply(op);
  }

  /**
   * All operations or none. Fastest with `Uint8Array` keys and values of the tree's lengths
   * (the batch then reaches the module in one buffer).
   */
  applyAll(operations: Operation[]): (ByteArray | undefined)[] {
    const ops = inert(operations, 'operations');
    const handle = trees.of(this, 'applyAll');
    const packed = packOperations(ops, handle.shape);
    return packed ? handle.applyAllPacked(packed) : handle.applyAll(ops);
  }

  /** Every entry in key order. */
  entries(): [ByteArray, ByteArray][] {
    return trees.of(this, 'entries').entries();
  }

  /**
   * An independent copy. It shares the tree's memory until either side changes it: taking it
   * costs microseconds per million entries, and afterwards each side copies a page of 256 nodes
   * the first time it changes one the other still holds. `free()` it when done.
   */
  clone(): Tree {
    return treeOf(trees.of(this, 'clone').clone());
  }

  /** A proof of a batch of lookups; the tree is unchanged. */
  proveLookup(keys: Bytes[]): ByteArray {
    const ks = inert(keys, 'keys');
    return trees.of(this, 'proveLookup').proveLookup(ks);
  }

  /** Applies `ops` (all or none) and proves them. */
  prove(operations: Operation[]): BatchProof {
    const ops = inert(operations, 'operations');
    const handle = trees.of(this, 'prove');
    const packed = packOperations(ops, handle.shape);
    return packed ? handle.provePacked(packed) : handle.prove(ops);
  }

  /**
   * Bytes that restore this exact tree (shape included). `sequence` is the log sequence number
   * the tree stands at (default 0), so that the snapshot can start verifying the log after it.
   */
  snapshot(options?: { sequence?: bigint | number }): ByteArray {
    const o = inert(options, 'options');
    return trees.of(this, 'snapshot').snapshot(o);
  }

  /** Throws `SNAPSHOT_INVALID`. */
  static fromSnapshot(bytes: Bytes): Tree {
    return treeOf(glue.Tree.fromSnapshot(inert(bytes, 'snapshot')));
  }

  free(): void {
    trees.free(this);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** @internal A `Tree` standing for the module's tree `handle` (one the module returned). */
export function treeOf(handle: GlueObject): Tree {
  return trees.adopt(Object.create(Tree.prototype) as Tree, handle);
}
