/** What the editor shows for one code location: the figures of a window, where they come from, and example traces. */
import type { CodeKey } from './codeKey';
import type { LatencySketch } from './sketch';

/** Where the numbers of a summary come from, for the hover. */
export type StatsSource =
  /** spans the embedded receiver stored, or files imported into it */
  | { readonly kind: 'local' }
  /** whole traces fetched from a remote backend within a budget */
  | { readonly kind: 'sampled'; readonly backend: string; readonly traces: number }
  /** the backend's own aggregation over every span it holds */
  | {
      readonly kind: 'metrics';
      /** the backend's name as the user gave it: "Production Tempo" */
      readonly backend: string;
      /** the kind of backend: "Tempo", "Jaeger" */
      readonly system: string;
      /** "TraceQL metrics", "SPM metrics" */
      readonly method: string;
      /** the counts are estimated from rates (Jaeger SPM), not counted */
      readonly estimated?: boolean;
    };

/** A span that can be opened in the waterfall: one of the slowest or most recent failing at a location. */
export interface TraceRef {
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  /** span name */
  readonly name: string;
  /** epoch microseconds */
  readonly startUs: number;
  /** microseconds */
  readonly durationUs: number;
  readonly error: boolean;
  /** the status message or exception message of a failed span */
  readonly message?: string;
}

export interface LocationSummary {
  readonly key: CodeKey;
  readonly id: string;
  /** calls in the window */
  readonly count: number;
  readonly errors: number;
  /** calls per minute over the part of the window that has data */
  readonly perMinute: number;
  /** microseconds; NaN when the source does not give them */
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly meanUs: number;
  /** epoch microseconds of the latest call's end; NaN when unknown */
  readonly lastSeenUs: number;
  /** 1-based lines spans were started at, most recent last */
  readonly lines: readonly number[];
  /** how the telemetry was mapped to this file, for a person */
  readonly reason: string;
  /** 0..1 */
  readonly confidence: number;
  readonly source: StatsSource;
  /** the window's distribution, for the histogram; absent for backend metrics */
  readonly sketch?: LatencySketch;
}
