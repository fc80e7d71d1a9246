import * as assert from 'node:assert/strict';
import { extractSpanStarts, extractTracerNames, type SpanStart } from '../../../../src/core/codeLocation/spanStarts';

/** `line name-or-pattern [api] function (via)` per span start. */
function starts(file: string, text: string): string[] {
  return extractSpanStarts(file, text).map((s: SpanStart) => {
    const name = s.name ?? `~${s.pattern!.display}`;
    return `${s.line} ${name} [${s.api}] ${s.function ?? '-'}${s.via === undefined ? '' : ` (${s.via})`}`;
  });
}

describe('extractSpanStarts', () => {
  it('Python: context managers, decorators, name= and f-strings; not strings or comments', () => {
    const text = [
      'class OrderService:',
      '    @tracer.start_as_current_span("orders.cancel")',
      '    def cancel(self):',
      '        with tracer.start_as_current_span(f"orders.{op}.run") as span:',
      '            pass',
      '        with tracer.start_as_current_span(name="orders.place"):',
      '            s = "tracer.start_span(\'in a string\')"',
      '        # tracer.start_span("in a comment")',
      '        span = tracer.start_span("orders.%s" % kind)',
    ].join('\n');
    assert.deepEqual(starts('orders/service.py', text), [
      '2 orders.cancel [@start_as_current_span] OrderService.cancel',
      '4 ~orders.{}.run [start_as_current_span] OrderService.cancel',
      '6 orders.place [start_as_current_span] OrderService.cancel',
      '9 ~orders.{} [start_span] OrderService.cancel',
    ]);
  });

  it('TypeScript: startActiveSpan, startSpan with templates, nestjs-otel @Span()', () => {
    const text = [
      'export class OrdersService {',
      '  async find(id: string) {',
      "    return tracer.startActiveSpan('orders.find', async (span) => {});",
      '  }',
      '  @Span()',
      '  async place() {',
      '    tracer.startSpan(`orders.${kind}.place`);',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(starts('src/orders.service.ts', text), [
      '3 orders.find [startActiveSpan] OrdersService.find',
      '5 OrdersService.place [@Span] OrdersService.place (class and method name)',
      '7 ~orders.{}.place [startSpan] OrdersService.place',
    ]);
  });

  it('Go: tracer.Start with any context expression, constants and Sprintf', () => {
    const text = [
      'package catalog',
      'const spanName = "catalog.const"',
      'func (s *Service) Find(ctx context.Context, id string) {',
      '\tctx, span := tracer.Start(ctx, "catalog.find")',
      '\tctx, span = otel.Tracer("x").Start(r.Context(), fmt.Sprintf("catalog.%s", id))',
      '\tctx, span = tracer.Start(ctx, spanName, trace.WithSpanKind(trace.SpanKindServer))',
      '\tctx, span = tracer.Start(ctx, name)',
      '}',
    ].join('\n');
    assert.deepEqual(starts('internal/catalog/service.go', text), [
      '4 catalog.find [tracer.Start] Service.Find',
      '5 ~catalog.{} [tracer.Start] Service.Find',
      '6 catalog.const [tracer.Start] Service.Find (constant spanName)',
    ]);
  });

  it('C#: StartActivity with a name, an interpolated name, nameof, and none (the calling method)', () => {
    const text = [
      'public sealed class InvoiceService {',
      '    public async Task<Invoice> CreateAsync(Order order) {',
      '        using var a1 = Source.StartActivity("invoice.create", ActivityKind.Internal);',
      '        using var a2 = Source.StartActivity($"invoice.{order.Kind}");',
      '        using var a3 = Source.StartActivity(nameof(CreateAsync));',
      '    }',
      '    public void Reconcile() {',
      '        using var a4 = Source.StartActivity(ActivityKind.Consumer);',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(starts('Services/InvoiceService.cs', text), [
      '3 invoice.create [StartActivity] InvoiceService.CreateAsync',
      '4 ~invoice.{} [StartActivity] InvoiceService.CreateAsync',
      '5 CreateAsync [StartActivity] InvoiceService.CreateAsync',
      '8 Reconcile [StartActivity] InvoiceService.Reconcile (method name)',
    ]);
  });

  it('Java and Kotlin: spanBuilder with literals, constants and concatenation; @WithSpan with and without a value', () => {
    const java = [
      'public class CartService {',
      '    private static final String SPAN = "cart.checkout";',
      '    @WithSpan(value = "cart.addItem")',
      '    public Cart addItem(String id) {',
      '        tracer.spanBuilder("cart.add " + id).startSpan();',
      '        tracer.spanBuilder(SPAN).startSpan();',
      '    }',
      '    @WithSpan',
      '    public void clear() {}',
      '}',
    ].join('\n');
    assert.deepEqual(starts('CartService.java', java), [
      '3 cart.addItem [@WithSpan] CartService.addItem',
      '5 ~cart.add {} [spanBuilder] CartService.addItem',
      '6 cart.checkout [spanBuilder] CartService.addItem (constant SPAN)',
      '8 CartService.clear [@WithSpan] CartService.clear (class and method name)',
    ]);
    const kotlin =
      'class Inv {\n    fun restock(sku: String) {\n        tracer.spanBuilder("inventory.restock ${sku}").startSpan()\n    }\n}';
    assert.deepEqual(starts('Inv.kt', kotlin), ['3 ~inventory.restock {} [spanBuilder] Inv.restock']);
  });

  it('Ruby and PHP: in_span with and without parentheses, interpolation; spanBuilder', () => {
    const ruby =
      'class CartBuilder\n  def build\n    tracer.in_span("cart.build") do |s|\n    end\n    tracer.in_span "cart.#{kind}", kind: :internal do\n    end\n  end\nend';
    assert.deepEqual(starts('cart_builder.rb', ruby), [
      '3 cart.build [in_span] CartBuilder.build',
      '5 ~cart.{} [in_span] CartBuilder.build',
    ]);
    const php =
      '<?php\nclass R {\n    public function publish() {\n        $this->tracer->spanBuilder(\'reviews.publish\')->startSpan();\n        $this->tracer->spanBuilder("reviews.$kind")->startSpan();\n    }\n}';
    assert.deepEqual(starts('R.php', php), [
      '4 reviews.publish [spanBuilder] R.publish',
      '5 ~reviews.{} [spanBuilder] R.publish',
    ]);
  });

  it('Rust: span macros, #[instrument] with and without a name', () => {
    const text = [
      'impl Index {',
      '    #[instrument(skip(self), name = "index.query")]',
      '    pub async fn query(&self) {',
      '        let s = info_span!("index.scan", q = q);',
      '        let t = tracing::span!(tracing::Level::INFO, "index.merge");',
      '        let u = debug_span!(target: "x", "index.debug");',
      '    }',
      '    #[tracing::instrument(skip_all)]',
      '    fn rebuild(&mut self) {}',
      '}',
    ].join('\n');
    assert.deepEqual(starts('src/index.rs', text), [
      '2 index.query [#[instrument]] Index.query',
      '4 index.scan [info_span] Index.query',
      '5 index.merge [span!] Index.query',
      '6 index.debug [debug_span] Index.query',
      '8 rebuild [#[instrument]] Index.rebuild (method name)',
    ]);
  });

  it('follows a name held in a variable to its nearest assignment in the same function', () => {
    const text = [
      'public sealed class MessageSender', // 1
      '{',
      '    public void Send(string queue)',
      '    {',
      '        var activityName = $"{queue} send";', // 5
      '        using var activity = Source.StartActivity(activityName, ActivityKind.Producer);', // 6
      '    }',
      '',
      '    public void Receive()',
      '    {', // 10
      '        var activityName = "orders receive";',
      '        using var activity = Source.StartActivity(activityName);', // 12
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(starts('Messaging/MessageSender.cs', text), [
      '6 ~{} send [StartActivity] MessageSender.Send (variable activityName)',
      '12 orders receive [StartActivity] MessageSender.Receive (variable activityName)',
    ]);
    const go = [
      'package orders',
      '',
      'func (s *Service) Place(ctx context.Context, kind string) {',
      '\tname := fmt.Sprintf("orders.place.%s", kind)',
      '\tctx, span := tracer.Start(ctx, name)', // 5
      '\tdefer span.End()',
      '}',
    ].join('\n');
    assert.deepEqual(starts('orders/service.go', go), ['5 ~orders.place.{} [tracer.Start] Service.Place (variable name)']);
  });

  it('reads the OpenTracing APIs still in use (Jaeger clients): StartSpan, StartSpanFromContext, buildSpan, start_active_span', () => {
    const go = [
      'package dispatch', // 1
      'func process(parent ot.Span) {',
      '\tspan := tracer.StartSpan("process.sale", ot.ChildOf(parent.Context()))',
      '\tdefer span.Finish()',
      '\tchild, ctx := opentracing.StartSpanFromContext(ctx, "process.charge")', // 5
      '}',
    ].join('\n');
    assert.deepEqual(starts('dispatch/main.go', go), [
      '3 process.sale [StartSpan] dispatch.process',
      '5 process.charge [StartSpanFromContext] dispatch.process',
    ]);
    const java = 'class Quotes {\n  void quote() {\n    Span span = tracer.buildSpan("quote.compute").start();\n  }\n}';
    assert.deepEqual(starts('Quotes.java', java), ['3 quote.compute [buildSpan] Quotes.quote']);
    const py = 'def quote():\n    with tracer.start_active_span("quote.compute") as scope:\n        pass';
    assert.deepEqual(starts('quotes.py', py), ['2 quote.compute [start_active_span] quotes.quote']);
  });

  it('takes no constant for a name that is a parameter, nor a keyword argument for an assignment', () => {
    const py = [
      'def audit(span_name):', // 1
      '    with tracer.start_as_current_span(span_name):',
      '        pass',
      '',
      'def report():', // 5
      '    send(span_name="report.sent")',
      '    with tracer.start_as_current_span(span_name):',
      '        pass',
    ].join('\n');
    assert.deepEqual(starts('jobs/audit.py', py), []);
    const java = [
      'public class Jobs {', // 1
      '    static final String NAME = "jobs.run";',
      '    void run() { tracer.spanBuilder(NAME).startSpan(); }',
      '    void audit(String NAME) { tracer.spanBuilder(NAME).startSpan(); }',
      '}',
    ].join('\n');
    assert.deepEqual(starts('Jobs.java', java), ['3 jobs.run [spanBuilder] Jobs.run (constant NAME)']);
  });

  it('drops names it cannot know and patterns with nothing literal', () => {
    assert.deepEqual(
      starts(
        'a.py',
        'with tracer.start_as_current_span(f"{name}"):\n    pass\nwith tracer.start_as_current_span(get_name()):\n    pass',
      ),
      [],
    );
    assert.deepEqual(starts('a.ts', 'tracer.startSpan(name);'), []);
  });
});

describe('extractTracerNames', () => {
  it('reads the instrumentation scope names a file creates tracers under', () => {
    assert.deepEqual(extractTracerNames('svc/orders/cache.py', 'tracer = trace.get_tracer(__name__)'), ['svc.orders.cache']);
    assert.deepEqual(extractTracerNames('a.go', 'var tracer = otel.Tracer("github.com/acme/catalog")'), [
      'github.com/acme/catalog',
    ]);
    assert.deepEqual(extractTracerNames('a.cs', 'static readonly ActivitySource S = new ActivitySource("Shop.Billing");'), [
      'Shop.Billing',
    ]);
    assert.deepEqual(extractTracerNames('a.ts', "// trace.getTracer('old')\nconst t = trace.getTracer('web');"), ['web']);
  });
});
