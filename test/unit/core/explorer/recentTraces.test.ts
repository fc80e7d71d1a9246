import * as assert from 'node:assert/strict';
import { BackendHttpError, BackendQueryError } from '../../../../src/core/backends/backendErrors';
import type { TraceBackend } from '../../../../src/core/backends/types';
import type { TraceQuery } from '../../../../src/core/model/traceQuery';
import { loadRecentTraces } from '../../../../src/core/explorer/recentTraces';
import type { TraceSummary } from '../../../../src/core/model/types';

const T0 = 1_700_000_000_000_000;

function summary(traceId: string, rootService: string, startUs: number): TraceSummary {
  return { traceId, rootService, rootName: 'op', startUs, durationUs: 1 };
}

/** A backend that answers searches from `byService`; `needsService` makes it refuse searches without one. */
function backend(byService: Record<string, TraceSummary[] | Error>, needsService: boolean) {
  const queries: TraceQuery[] = [];
  const b: TraceBackend = {
    type: 'jaeger',
    capabilities: { summaries: false, traceQl: false, tagSearch: false, spanFiltering: false },
    listServices: async () => Object.keys(byService),
    listOperations: async () => [],
    searchTraces: async (query) => {
      queries.push(query);
      if (query.service === undefined) {
        if (needsService) throw new BackendQueryError('choose a service first', { backend: 'Jaeger' });
        return Object.values(byService).flatMap((v) => (v instanceof Error ? [] : v));
      }
      const found = byService[query.service] ?? [];
      if (found instanceof Error) throw found;
      return found;
    },
    getTrace: async () => assert.fail('the list must not fetch whole traces'),
    tagKeys: async () => [],
    tagValues: async () => [],
  };
  return { backend: b, queries };
}

describe('loadRecentTraces', () => {
  it('asks once when the backend searches across services, passing the filter on', async () => {
    const { backend: b, queries } = backend({ api: [summary('1', 'api', T0)], web: [summary('2', 'web', T0 + 1)] }, false);
    const result = await loadRecentTraces(b, { filter: { errorsOnly: true, minDurationUs: 5 }, limit: 10 });
    assert.deepEqual(
      result.summaries.map((s) => s.traceId),
      ['2', '1'],
    );
    assert.deepEqual(queries, [{ limit: 10, errorsOnly: true, minDurationUs: 5 }]);
  });

  it('searches service by service when the backend needs one, merging traces seen from several', async () => {
    const shared = summary('s', 'api', T0 + 5);
    const { backend: b, queries } = backend({ api: [shared, summary('1', 'api', T0)], db: [shared] }, true);
    const result = await loadRecentTraces(b, { limit: 10 });
    assert.deepEqual(
      result.summaries.map((s) => s.traceId),
      ['s', '1'],
    );
    assert.deepEqual(
      queries.map((q) => q.service),
      [undefined, 'api', 'db'],
    );
    assert.deepEqual(result.notes, []);
  });

  it('notes the services it skipped or could not search, and fails only when all fail', async () => {
    const down = new BackendHttpError('Jaeger is unavailable (HTTP 503)', { backend: 'Jaeger' }, 503);
    const partly = backend({ api: [summary('1', 'api', T0)], db: down, web: [] }, true);
    const result = await loadRecentTraces(partly.backend, { maxServices: 2 });
    assert.deepEqual(
      result.summaries.map((s) => s.traceId),
      ['1'],
    );
    assert.deepEqual(result.notes, [
      '1 more service was not searched — filter by service to see theirs',
      '1 of 2 services could not be searched: Jaeger is unavailable (HTTP 503)',
    ]);
    const all = backend({ db: down }, true);
    await assert.rejects(loadRecentTraces(all.backend), /HTTP 503/);
  });
});
