/** Latency statistics and CodeLens figures (see statsBench.ts): ingest rate and the provider's work per file. */
import type { BenchGroup } from './registry';
import { benchStats } from './statsBench';

export const statsGroup: BenchGroup = {
  name: 'stats',
  description: 'stats.ingest.spans_per_s and codelens.provide.2000_lines.1m_spans.p95_ms (1M spans over 5,000 locations)',
  cases: ['stats', 'codelens'],
  async run(selected, report) {
    for (const figure of await benchStats()) {
      if (selected.some((c) => figure.name.startsWith(c))) report(figure);
    }
  },
};
