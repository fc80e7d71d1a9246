/**
 * Span-to-source mapping on a generated 20,000-file multi-language workspace written to a temp dir:
 * how fast the workspace index is built from disk, and what one `locateSpan` costs once it is.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateSpan } from '../../src/core/codeLocation/locateSpan';
import { createWorkspaceIndex } from '../../src/core/codeLocation/nodeWorkspaceFiles';
import { setAttribute } from '../../src/core/model/attributes';
import type { Attributes, Span } from '../../src/core/model/types';

const FILES = 20_000;
const SPANS = 5_000;

type Template = (i: number) => [file: string, text: string];

/** One file per call, cycling through languages; every file defines functions, most start spans, some serve routes. */
const TEMPLATES: readonly Template[] = [
  (i) => [
    `services/svc${i % 50}/src/main/java/com/acme/m${i}/Service${i}.java`,
    `package com.acme.m${i};\n\npublic class Service${i} {\n    @WithSpan("java.op${i}")\n    public void handle${i}(String id) {\n        Span s = tracer.spanBuilder("java.step${i}").startSpan();\n        s.end();\n    }\n\n    public int helper${i}(int x) {\n        return x + ${i};\n    }\n}\n`,
  ],
  (i) => [
    `services/svc${i % 50}/app/m${i}/service.py`,
    `from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\n\n\nclass Handler${i}:\n    def run(self, item):\n        with tracer.start_as_current_span("py.op${i}"):\n            return item\n\n\n@app.get("/py/items${i}/{item_id}")\nasync def get_item${i}(item_id: str):\n    return {"id": item_id}\n`,
  ],
  (i) => [
    `services/svc${i % 50}/src/m${i}/handler.ts`,
    `import { trace } from '@opentelemetry/api';\n\nconst tracer = trace.getTracer('svc');\n\nexport class Handler${i} {\n  async run(id: string) {\n    return tracer.startActiveSpan('ts.op${i}', async (span) => {\n      span.end();\n      return id;\n    });\n  }\n}\n\napp.get('/ts/items${i}/:id', (req, res) => res.send('ok'));\n`,
  ],
  (i) => [
    `services/svc${i % 50}/internal/m${i}/service.go`,
    `package m${i}\n\nimport "context"\n\ntype Service struct{}\n\nfunc (s *Service) Run${i}(ctx context.Context, id string) error {\n\tctx, span := tracer.Start(ctx, "go.op${i}")\n\tdefer span.End()\n\treturn nil\n}\n\nfunc New${i}() *Service { return &Service{} }\n`,
  ],
  (i) => [
    `services/svc${i % 50}/src/Shop.M${i}/Worker${i}.cs`,
    `namespace Shop.M${i};\n\npublic sealed class Worker${i}\n{\n    public async Task RunAsync(string id)\n    {\n        using var activity = Source.StartActivity("cs.op${i}");\n        await Task.CompletedTask;\n    }\n}\n`,
  ],
];

function generate(root: string): void {
  for (let i = 0; i < FILES; i++) {
    const [file, text] = TEMPLATES[i % TEMPLATES.length]!(i);
    const abs = path.join(root, file);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

function span(name: string, kind: Span['kind'], entries: Record<string, string | number>): Span {
  const attributes: Attributes = {};
  for (const [k, v] of Object.entries(entries)) setAttribute(attributes, k, v);
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name,
    service: 'svc',
    kind,
    startUs: 1_700_000_000_000_000,
    durationUs: 1000,
    status: { code: 'unset' },
    attributes,
    resource: {},
    events: [],
    links: [],
  };
}

/** A mix of every kind of evidence, including spans nothing matches. */
function spans(): Span[] {
  const out: Span[] = [];
  const per = FILES / TEMPLATES.length;
  /** the k-th file made by template t */
  const nth = (t: number, k: number): number => TEMPLATES.length * ((k * 7919) % per) + t;
  for (let k = 0; k < SPANS; k++) {
    switch (k % 6) {
      case 0: {
        const i = nth(3, k);
        out.push(span('x', 'internal', { 'code.file.path': `/app/internal/m${i}/service.go`, 'code.line.number': 8 }));
        break;
      }
      case 1: {
        const i = nth(0, k);
        out.push(span('x', 'internal', { 'code.function.name': `com.acme.m${i}.Service${i}.helper${i}` }));
        break;
      }
      case 2:
        out.push(span(`py.op${nth(1, k)}`, 'internal', {}));
        break;
      case 3: {
        const i = nth(2, k);
        out.push(span(`GET /ts/items${i}/{id}`, 'server', { 'http.route': `/ts/items${i}/:id`, 'http.request.method': 'GET' }));
        break;
      }
      case 4:
        out.push(span(`cs.op${nth(4, k)}`, 'internal', {}));
        break;
      default:
        out.push(span(`SELECT orders ${k}`, 'client', { 'db.system': 'postgresql' }));
    }
  }
  return out;
}

export async function benchMapping(): Promise<{ name: string; value: number; unit: string }[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-mapping-bench-'));
  try {
    generate(root);
    const started = performance.now();
    const index = await createWorkspaceIndex(root);
    const indexMs = performance.now() - started;
    const input = spans();
    for (const s of input.slice(0, 500)) locateSpan(s, index); // warm-up
    const t0 = performance.now();
    let answered = 0;
    for (const s of input) if (locateSpan(s, index).length > 0) answered++;
    const locateMs = performance.now() - t0;
    if (answered < (input.length * 4) / 6) throw new Error(`only ${answered} of ${input.length} spans were mapped`);
    return [
      { name: 'mapping.index.files_per_s', value: Math.round(FILES / (indexMs / 1000)), unit: 'files/s' },
      { name: 'mapping.locate.us_per_span', value: Math.round((locateMs * 1000 * 10) / input.length) / 10, unit: 'us' },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchMapping().then(
    (figures) => {
      for (const f of figures) console.log(`${f.name} ${f.value} ${f.unit}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
