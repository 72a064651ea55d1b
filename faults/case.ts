/** The shape of a fault case: it runs against real components and returns checks and figures. */

/** One thing a case asserts: the service stayed up, answered, lost nothing, said what is wrong. */
export interface Check {
  what: string;
  ok: boolean;
  detail?: string;
}

export interface CaseResult {
  checks: Check[];
  /** Measured figures to report (RSS, latency, counts). */
  figures: Record<string, string>;
  /** Why the case did not run (e.g. it needs root for a tmpfs mount). */
  skipped?: string;
}

export interface CaseContext {
  /** A built index of the seed corpus, to copy. */
  indexDir: string;
  /** A scratch folder for this run, removed afterwards. */
  work: string;
  isRoot: boolean;
}

export interface FaultCase {
  name: string;
  run(ctx: CaseContext): Promise<CaseResult>;
}

/** Collects checks and figures for one case. */
export function results(): CaseResult & {
  check(what: string, ok: boolean, detail?: string): boolean;
  figure(name: string, value: string): void;
} {
  const checks: Check[] = [];
  const figures: Record<string, string> = {};
  return {
    checks,
    figures,
    check(what, ok, detail) {
      checks.push(detail === undefined ? { what, ok } : { what, ok, detail });
      return ok;
    },
    figure(name, value) {
      figures[name] = value;
    },
  };
}
