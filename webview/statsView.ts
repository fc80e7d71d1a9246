/**
 * The statistics tab: two sortable tables (per service, per service and operation). A hostile trace can
 * have 100,000 distinct operations, so only the first MAX_TABLE_ROWS of each are built.
 */
import { serviceColor } from './colors';
import { h } from './dom';
import type { AppState } from './state';
import { computeStatistics, type StatRow, type TraceStatistics } from './statistics';
import { formatDuration } from './timeScale';
import type { TraceView } from './viewSwitcher';

const MAX_TABLE_ROWS = 500;

type Column = { key: keyof StatRow; label: string; numeric: boolean; format?: (v: number) => string };

const COLUMNS: Column[] = [
  { key: 'service', label: 'Service', numeric: false },
  { key: 'operation', label: 'Operation', numeric: false },
  { key: 'count', label: 'Spans', numeric: true, format: (v) => v.toLocaleString('en-US') },
  { key: 'errors', label: 'Errors', numeric: true, format: (v) => (v === 0 ? '' : v.toLocaleString('en-US')) },
  { key: 'totalUs', label: 'Total', numeric: true, format: formatDuration },
  { key: 'selfUs', label: 'Self time', numeric: true, format: formatDuration },
  { key: 'avgUs', label: 'Average', numeric: true, format: formatDuration },
  { key: 'p95Us', label: 'p95', numeric: true, format: formatDuration },
  { key: 'maxUs', label: 'Max', numeric: true, format: formatDuration },
];

export class StatsView implements TraceView {
  readonly id = 'statistics';
  readonly label = 'Statistics';
  readonly showsDetail = false;
  readonly tools = 'all';
  readonly root: HTMLElement;
  private stats: TraceStatistics | undefined;
  private scope = '';
  private sortKey: keyof StatRow = 'totalUs';
  private descending = true;

  constructor(private readonly state: AppState) {
    this.root = h('div', { className: 'stats', attrs: { 'aria-label': 'Statistics' } });
  }

  shown(): void {
    this.refresh();
  }

  /** The statistics of the focused subtree, or of every span received. */
  refresh(): void {
    const { data, focusRow: focus } = this.state;
    if (!data) return;
    if (focus >= 0) {
      const rows = new Int32Array(Math.min(data.subtreeEnd[focus]!, data.loaded) - focus).map((_, i) => focus + i);
      this.show(computeStatistics(data, rows), `Spans under ${data.nameOf(focus)} (${rows.length.toLocaleString('en-US')})`);
    } else {
      this.show(computeStatistics(data), `All ${data.loaded.toLocaleString('en-US')} spans`);
    }
  }

  focus(): void {
    this.root.querySelector<HTMLElement>('button.sort')?.focus();
  }

  private show(stats: TraceStatistics, scope: string): void {
    this.stats = stats;
    this.scope = scope;
    this.render();
  }

  private render(): void {
    const stats = this.stats;
    if (!stats) return;
    this.root.replaceChildren(
      h('p', { className: 'stats-scope', text: this.scope }),
      h('h3', { text: 'By service' }),
      this.table(
        stats.byService,
        COLUMNS.filter((c) => c.key !== 'operation'),
      ),
      h('h3', { text: 'By service and operation' }),
      this.table(stats.byOperation, COLUMNS),
    );
  }

  private table(rows: StatRow[], columns: Column[]): HTMLElement {
    const key = this.sortKey;
    const sign = this.descending ? -1 : 1;
    const sorted = [...rows].sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
      return sign * String(x ?? '').localeCompare(String(y ?? ''));
    });
    const head = h(
      'tr',
      {},
      columns.map((c) => {
        const th = h('th', {
          className: c.numeric ? 'num' : '',
          attrs: { scope: 'col', 'aria-sort': c.key === key ? (this.descending ? 'descending' : 'ascending') : 'none' },
        });
        const button = h('button', { className: 'sort', text: c.label + (c.key === key ? (this.descending ? ' ▾' : ' ▴') : '') });
        button.addEventListener('click', () => {
          if (this.sortKey === c.key) this.descending = !this.descending;
          else {
            this.sortKey = c.key;
            this.descending = c.numeric;
          }
          this.render();
        });
        th.appendChild(button);
        return th;
      }),
    );
    const body = h('tbody');
    for (const row of sorted.slice(0, MAX_TABLE_ROWS)) {
      body.appendChild(
        h(
          'tr',
          { className: row.errors > 0 ? 'has-error' : '' },
          columns.map((c) => {
            const v = row[c.key];
            if (c.key === 'service') {
              const swatch = h('span', { className: 'swatch' });
              swatch.style.background = serviceColor(this.state.data?.header.services.indexOf(row.service) ?? 0);
              return h('td', { title: row.service }, [swatch, document.createTextNode(row.service)]);
            }
            const text = typeof v === 'number' ? (c.format ? c.format(v) : String(v)) : String(v ?? '');
            return h('td', { className: c.numeric ? 'num' : '', text, title: c.numeric ? '' : text });
          }),
        ),
      );
    }
    const table = h('table', { className: 'stats-table' }, [h('thead', {}, [head]), body]);
    if (sorted.length <= MAX_TABLE_ROWS) return table;
    return h('div', {}, [
      table,
      h('p', { className: 'detail-none', text: `${sorted.length - MAX_TABLE_ROWS} more rows not shown` }),
    ]);
  }
}
