/**
 * gRPC spans to the method implementing the service: one service implemented in several languages, each in
 * its own spelling, beside generated stubs and clients that must never be the answer. Sources hand-written
 * the way grpc-go, tonic, grpc-dotnet, grpc-java, grpcio and grpc-js examples write servers.
 */
import * as assert from 'node:assert/strict';
import { explainSpan, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { isGeneratedFile } from '../../../../src/core/codeLocation/generatedCode';
import { rpcName } from '../../../../src/core/codeLocation/locate/rpcMethods';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

const FILES = {
  'go/server/main.go': src(
    'package main',
    '',
    'type inventoryServer struct {',
    '\tpb.UnimplementedInventoryServer',
    '}',
    '',
    'func (s *inventoryServer) ReserveItem(ctx context.Context, req *pb.ReserveRequest) (*pb.ReserveReply, error) {', // 7
    '\treturn &pb.ReserveReply{}, nil',
    '}',
  ),
  'go/proto/inventory_grpc.pb.go': src(
    'package proto',
    'func (c *inventoryClient) ReserveItem(ctx context.Context, in *ReserveRequest, opts ...grpc.CallOption) (*ReserveReply, error) {',
    '\treturn nil, nil',
    '}',
    'func (UnimplementedInventoryServer) ReserveItem(context.Context, *ReserveRequest) (*ReserveReply, error) {',
    '\treturn nil, nil',
    '}',
  ),
  'go/client/main.go': src(
    'package main',
    '',
    'type inventoryClient struct{}',
    '',
    'func (c *inventoryClient) ReserveItem() error {',
    '\treturn nil',
    '}',
  ),
  'rust/src/server.rs': src(
    'pub struct InventoryService {}',
    '',
    '#[tonic::async_trait]',
    'impl Inventory for InventoryService {',
    '    async fn reserve_item(&self, request: Request<ReserveRequest>) -> Result<Response<ReserveReply>, Status> {', // 5
    '        Ok(Response::new(ReserveReply::default()))',
    '    }',
    '}',
  ),
  'dotnet/Services/InventoryService.cs': src(
    'namespace Shop.Inventory;',
    '',
    'public class InventoryService : Inventory.InventoryBase',
    '{',
    '    public override Task<ReserveReply> ReserveItem(ReserveRequest request, ServerCallContext context)', // 5
    '    {',
    '        return Task.FromResult(new ReserveReply());',
    '    }',
    '}',
  ),
  'java/src/main/java/shop/InventoryImpl.java': src(
    'package shop;',
    '',
    'public class InventoryImpl extends InventoryGrpc.InventoryImplBase {',
    '  @Override',
    '  public void reserveItem(ReserveRequest req, StreamObserver<ReserveReply> out) {', // 5
    '    out.onCompleted();',
    '  }',
    '}',
  ),
  'python/inventory_server.py': src(
    'import inventory_pb2_grpc',
    '',
    '',
    'class InventoryServicer(inventory_pb2_grpc.InventoryServicer):',
    '    def ReserveItem(self, request, context):', // 5
    '        return None',
  ),
  'python/inventory_pb2_grpc.py': src(
    'class InventoryServicer(object):',
    '    def ReserveItem(self, request, context):',
    '        raise NotImplementedError()',
  ),
};

describe('RPC spans', () => {
  const index = memoryIndex(FILES);
  const rpc = (language: string, kind: 'server' | 'client' = 'server') =>
    sdkSpan('shop.inventory.Inventory/ReserveItem', kind, `inventory-${language}`, language, {
      'rpc.system': 'grpc',
      'rpc.service': 'shop.inventory.Inventory',
      'rpc.method': 'ReserveItem',
      'rpc.grpc.status_code': 0,
    });
  const at = (language: string) => {
    const m = locateSpan(rpc(language), index)[0];
    return m ? `${m.file}:${m.line}` : 'nothing';
  };

  it('finds the implementation in each language’s spelling of the method', () => {
    assert.equal(at('go'), 'go/server/main.go:7');
    assert.equal(at('rust'), 'rust/src/server.rs:5');
    assert.equal(at('dotnet'), 'dotnet/Services/InventoryService.cs:5');
    assert.equal(at('java'), 'java/src/main/java/shop/InventoryImpl.java:5');
    assert.equal(at('python'), 'python/inventory_server.py:5');
  });

  it('never answers with generated stubs or client code', () => {
    const { steps } = explainSpan(rpc('go'), index);
    assert.equal(steps.at(-1)!.outcome, 'mapped');
    assert.doesNotMatch(steps.at(-1)!.detail, /pb\.go|client/);
    const onlyStubs = memoryIndex({ 'go/proto/inventory_grpc.pb.go': FILES['go/proto/inventory_grpc.pb.go'] });
    const r = explainSpan(rpc('go'), onlyStubs);
    assert.deepEqual(r.matches, []);
    assert.match(r.steps.at(-1)!.detail, /only generated code defines ReserveItem/);
  });

  it('answers nothing for a method no service implements', () => {
    const span = sdkSpan('shop.inventory.Inventory/DeleteItem', 'server', 'inventory-go', 'go', {
      'rpc.system': 'grpc',
      'rpc.service': 'shop.inventory.Inventory',
      'rpc.method': 'DeleteItem',
    });
    assert.deepEqual(locateSpan(span, index), []);
  });

  it('reads the service and method from the span name or route when rpc.* attributes are absent', () => {
    assert.deepEqual(rpcName(sdkSpan('shop.inventory.Inventory/ReserveItem', 'server', 's', 'go')), {
      service: 'shop.inventory.Inventory',
      method: 'ReserveItem',
      evidence: 'span name "shop.inventory.Inventory/ReserveItem"',
    });
    const aspnet = sdkSpan('POST', 'server', 's', 'dotnet', { 'http.route': '/shop.inventory.Inventory/ReserveItem' });
    assert.equal(rpcName(aspnet)?.method, 'ReserveItem');
    assert.equal(rpcName(sdkSpan('GET /api/items', 'server', 's', 'go')), undefined);
    assert.equal(rpcName(sdkSpan('Inventory/ReserveItem', 'internal', 's', 'go')), undefined, 'no package, no rpc.system');
  });

  it('maps a client span to the server’s implementation, in the server’s language, picked by the host it called', () => {
    const client = (host: string) =>
      sdkSpan('shop.inventory.Inventory/ReserveItem', 'client', 'checkout', 'go', {
        'rpc.system': 'grpc',
        'rpc.service': 'shop.inventory.Inventory',
        'rpc.method': 'ReserveItem',
        'server.address': host,
      });
    const two = memoryIndex({
      'src/inventory/Services/InventoryService.cs': FILES['dotnet/Services/InventoryService.cs'],
      'src/inventory-legacy/server.rs': FILES['rust/src/server.rs'],
      'src/checkout/client.go': FILES['go/client/main.go'],
    });
    const m = locateSpan(client('inventory'), two)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'src/inventory/Services/InventoryService.cs:5');
    assert.match(m!.reason, /picked by service name "inventory"/);
    assert.deepEqual(locateSpan(client('10.0.0.7:8080'), two), [], 'two implementations and nothing to pick one');
  });

  it('knows a type named for the service without its role word, and grpc-js handlers registered by name', () => {
    const index2 = memoryIndex({
      'src/checkout/main.go': src(
        'package main',
        '',
        'type checkout struct{}',
        '',
        'func (cs *checkout) PlaceOrder(ctx context.Context, req *pb.PlaceOrderRequest) (*pb.PlaceOrderResponse, error) {', // 5
        '\treturn nil, nil',
        '}',
      ),
      'src/payment/index.js': src(
        "const grpc = require('@grpc/grpc-js');",
        "const charge = require('./charge');",
        '',
        'async function chargeServiceHandler(call, callback) {', // 4
        '  callback(null, await charge(call.request));',
        '}',
        '',
        'const server = new grpc.Server();',
        'server.addService(proto.shop.PaymentService.service, { charge: chargeServiceHandler });',
      ),
    });
    const span = (service: string, method: string, language: string) =>
      sdkSpan(`shop.${service}/${method}`, 'server', 'x', language, {
        'rpc.system': 'grpc',
        'rpc.service': `shop.${service}`,
        'rpc.method': method,
      });
    const at = (s: ReturnType<typeof span>) => {
      const m = locateSpan(s, index2)[0];
      return m ? `${m.file}:${m.line}` : 'nothing';
    };
    assert.equal(at(span('CheckoutService', 'PlaceOrder', 'go')), 'src/checkout/main.go:5');
    assert.equal(at(span('PaymentService', 'Charge', 'nodejs')), 'src/payment/index.js:4');
  });

  it('takes a type the file registers as the service’s server, and passes over code a generator wrote', () => {
    const index3 = memoryIndex({
      'src/cart/main.go': src(
        'package main',
        '',
        'type server struct{}',
        '',
        'func (s *server) AddItem(ctx context.Context, req *pb.AddItemRequest) (*pb.Empty, error) {', // 5
        '\treturn &pb.Empty{}, nil',
        '}',
        '',
        'func main() {',
        '\tpb.RegisterCartServiceServer(grpc.NewServer(), &server{})',
        '}',
      ),
      'src/web/gen/cart.ts': src(
        '// Code generated by protoc-gen-ts_proto. DO NOT EDIT.',
        'export class CartServiceClientImpl {',
        '  AddItem(request: AddItemRequest): Promise<Empty> { return this.rpc.request("AddItem", request); }',
        '}',
        'export class CartServiceImpl {',
        '  AddItem(request: AddItemRequest): Promise<Empty> { throw new Error(); }',
        '}',
      ),
    });
    const span = (language: string) =>
      sdkSpan('shop.CartService/AddItem', 'server', 'cart', language, {
        'rpc.system': 'grpc',
        'rpc.service': 'shop.CartService',
        'rpc.method': 'AddItem',
      });
    assert.equal(locateSpan(span('go'), index3)[0]?.line, 5);
    assert.deepEqual(locateSpan(span('nodejs'), index3), [], 'only generated code defines it in TypeScript');
  });

  it('leaves library services and cloud SDK calls alone', () => {
    const index4 = memoryIndex({
      'src/checkout/main.go': src(
        'package main',
        'type checkout struct{}',
        'func (cs *checkout) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {',
        '\treturn nil, nil',
        '}',
      ),
      'src/orders/repo.py': src('class DynamoDbRepository:', '    def get_item(self, key):', '        return None'),
    });
    const health = sdkSpan('grpc.health.v1.Health/Check', 'server', 'checkout', 'go', {
      'rpc.system': 'grpc',
      'rpc.service': 'grpc.health.v1.Health',
      'rpc.method': 'Check',
    });
    assert.deepEqual(locateSpan(health, index4), [], 'a type of the app that also answers health checks is not named for them');
    const aws = sdkSpan('DynamoDB.GetItem', 'client', 'orders', 'python', {
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'GetItem',
    });
    assert.deepEqual(locateSpan(aws, index4), []);
  });

  it("takes Go methods shaped like a server's of the service's package, and never a client adapter named for the service", () => {
    const index = memoryIndex({
      'ledger/ports/grpc.go': src(
        'package ports',
        '',
        'type GrpcServer struct{ app app.Application }',
        '',
        'func (g GrpcServer) PostEntry(ctx context.Context, req *ledger.PostEntryRequest) (*empty.Empty, error) {', // 5
        '\treturn &empty.Empty{}, nil',
        '}',
        '',
        'func (g GrpcServer) Watch(req *ledger.WatchRequest, stream ledger.LedgerService_WatchServer) error {', // 9
        '\treturn nil',
        '}',
      ),
      'billing/adapters/ledger_grpc.go': src(
        'package adapters',
        '',
        'type LedgerGrpc struct{ client ledger.LedgerServiceClient }',
        '',
        'func (s LedgerGrpc) PostEntry(ctx context.Context, amount int) error {',
        '\t_, err := s.client.PostEntry(ctx, &ledger.PostEntryRequest{Amount: int64(amount)})',
        '\treturn err',
        '}',
      ),
    });
    const span = (method: string) =>
      sdkSpan(`ledger.LedgerService/${method}`, 'server', 'ledger', 'go', {
        'rpc.system': 'grpc',
        'rpc.service': 'ledger.LedgerService',
        'rpc.method': method,
      });
    for (const [method, line] of [
      ['PostEntry', 5],
      ['Watch', 9],
    ] as const) {
      const m = locateSpan(span(method), index)[0];
      assert.equal(`${m?.file}:${m?.line}`, `ledger/ports/grpc.go:${line}`, method);
    }
  });

  it('knows the files code generators write', () => {
    for (const f of [
      'a/b.pb.go',
      'a/b_grpc.pb.go',
      'a/b_pb2.py',
      'a/b_pb2_grpc.py',
      'a/BGrpc.java',
      'obj/Debug/B.g.cs',
      'a/b_services_pb.rb',
      'a/b.grpc.pb.cc',
      'a/b_grpc_pb.js',
      'src/generated/b.rs',
    ]) {
      assert.equal(isGeneratedFile(f), true, f);
    }
    for (const f of ['a/server.go', 'a/grpc_server.py', 'a/GrpcService.java', 'a/pb.go.md'])
      assert.equal(isGeneratedFile(f), false, f);
  });
});
