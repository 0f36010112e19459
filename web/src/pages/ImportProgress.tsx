import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api.ts';
import type { ImportedClass } from '../types.ts';

/** After this many failed checks in a row, stop polling and say so. */
const MAX_MISSES = 3;

/**
 * Follows a background import (202 { runId }): asks for its progress every
 * `pollMs` until it succeeds (onDone) or fails (onFailed with what got in).
 */
export function useImportRun(
  runId: string | null,
  pollMs: number,
  onDone: (imported: ImportedClass[]) => void,
  onFailed: (message: string, imported: ImportedClass[]) => void,
) {
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const callbacks = useRef({ onDone, onFailed });
  callbacks.current = { onDone, onFailed };

  useEffect(() => {
    if (!runId) return;
    let live = true;
    let misses = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setProgress({ done: 0, total: 0 });
    const check = async () => {
      try {
        const run = await api.importRun(runId);
        if (!live) return;
        misses = 0;
        setProgress({ done: run.done, total: run.total });
        if (run.status === 'succeeded') return callbacks.current.onDone(run.imported);
        if (run.status === 'failed') {
          return callbacks.current.onFailed(run.error ?? 'The import stopped before it finished.', run.imported);
        }
      } catch (e) {
        if (!live) return;
        misses += 1;
        if (misses >= MAX_MISSES) {
          const why = e instanceof Error ? e.message : '';
          return callbacks.current.onFailed(
            `We lost track of the import; it may still finish. Check My Classes in a minute. ${why}`.trim(),
            [],
          );
        }
      }
      if (live) timer = setTimeout(() => void check(), pollMs);
    };
    timer = setTimeout(() => void check(), pollMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId, pollMs]);

  return progress;
}

/** "Importing 3 of 7 classes…" with a progress bar. */
export function ImportProgress({ done, total }: { done: number; total: number }) {
  const labelId = useId();
  const text = `Importing ${done} of ${total} ${total === 1 ? 'class' : 'classes'}…`;
  return (
    <div className="import-progress">
      <p id={labelId} role="status">
        {text}
      </p>
      <progress aria-labelledby={labelId} max={Math.max(total, 1)} value={Math.min(done, total)} />
      <p className="hint">Large classes take a moment. You can stay on this page; we'll take you to My Classes when they're in.</p>
    </div>
  );
}
