import type { ObjectStoreConfig } from '../config.js';
import { type ObjectStore, createFolderObjectStore } from './object-store.js';
import { createS3ObjectStore } from './object-store-s3.js';

/**
 * The configured object store: a folder under the data directory, or S3-compatible storage.
 *
 * @example
 * ```ts
 * const objects = openObjectStore(config.objects);
 * ```
 */
export function openObjectStore(config: ObjectStoreConfig): ObjectStore & { close(): void } {
  if (config.kind === 's3') return createS3ObjectStore(config);
  return Object.assign(createFolderObjectStore(config.root), { close() {} });
}
