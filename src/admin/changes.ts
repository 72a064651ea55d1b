/**
 * Change notifications of the console: after an operator's change to the settings, the
 * synonyms or the curated answers is stored and applied on this replica, its kind is
 * announced here. Whatever tells the other replicas (src/cluster, over Redis) listens
 * with onChange and, on a replica that hears of a change, calls the console's
 * applyChange(kind), which reads that kind again from the shared database.
 */
export type ChangeKind = 'settings' | 'synonyms' | 'curated';

export const CHANGE_KINDS: readonly ChangeKind[] = ['settings', 'synonyms', 'curated'];

export interface ChangeFeed {
  /** Calls `listener` after each change made on this replica; returns the unsubscribe. */
  onChange(listener: (kind: ChangeKind) => void): () => void;
  /** Announces a change (the console's routes call it). A failing listener does not stop the others. */
  emit(kind: ChangeKind): void;
}

/** A feed with no listeners yet. `onError` hears of a listener that threw. */
export function createChangeFeed(onError?: (error: unknown, kind: ChangeKind) => void): ChangeFeed {
  const listeners = new Set<(kind: ChangeKind) => void>();
  return {
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(kind) {
      for (const listener of listeners) {
        try {
          listener(kind);
        } catch (error) {
          onError?.(error, kind);
        }
      }
    },
  };
}
