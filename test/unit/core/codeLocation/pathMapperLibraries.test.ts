// Library, build-output and generated code beyond the basics: Elixir/Erlang deps and _build, C/C++ system
// headers and package managers, Cargo/Maven/Gradle build output, and code-generator output.
import * as assert from 'node:assert/strict';
import { isGeneratedFile, isLibraryPath, normalizeForeignPath, PathMapper } from '../../../../src/core/codeLocation/pathMapper';

const lib = (p: string): boolean => isLibraryPath(normalizeForeignPath(p)!);
const generated = (p: string): boolean => isGeneratedFile(normalizeForeignPath(p)!);

describe('PathMapper: library and generated code of more runtimes', () => {
  it('treats Mix and rebar3 dependencies and build output as library code', () => {
    assert.ok(lib('/app/deps/ecto/lib/ecto/repo/queryable.ex'));
    assert.ok(lib('/app/_build/prod/lib/cowboy/src/cowboy_handler.erl'));
    assert.ok(lib('deps/plug/lib/plug/conn.ex'));
    assert.ok(!lib('/app/lib/shop/deps.ex'), 'a file named deps is not a dependency folder');
    assert.ok(!lib('/app/lib/shop/deps/resolver.ex'), 'an app folder named deps without lib/src below is the app');
  });

  it('treats C and C++ system headers, toolchains and package managers as library code', () => {
    assert.ok(lib('/usr/include/c++/13/bits/stl_vector.h'));
    assert.ok(lib('/usr/local/include/boost/asio/impl/write.hpp'));
    assert.ok(lib('/usr/lib/gcc/x86_64-linux-gnu/13/include/stddef.h'));
    assert.ok(lib('/build/_deps/fmt-src/include/fmt/format.h'));
    assert.ok(lib('/src/vcpkg_installed/x64-linux/include/grpcpp/server.h'));
    assert.ok(lib('/root/.conan2/p/b/spdlb/p/include/spdlog/logger.h'));
    assert.ok(!lib('/usr/src/app/src/stock_service.cpp'), '/usr/src/app is a common container root');
    assert.ok(!lib('/usr/local/src/inventory/main.cpp'));
  });

  it('treats build output as library code', () => {
    assert.ok(lib('/app/target/release/build/shop-api-1f2e3d/out/orders.rs'));
    assert.ok(lib('/app/target/generated-sources/protobuf/java/com/acme/OrdersGrpc.java'));
    assert.ok(lib('/app/build/generated/source/proto/main/java/com/acme/Orders.java'));
    assert.ok(!lib('/app/src/target/planner.rs'));
  });

  it('recognises files written by code generators', () => {
    for (const f of [
      '/app/gen/orders.pb.go',
      '/app/gen/orders_grpc.pb.go',
      '/app/gen/orders.pb.gw.go',
      '/app/shop/gen/orders_pb2.py',
      '/app/shop/gen/orders_pb2_grpc.py',
      '/app/src/main/java/com/acme/OrdersGrpc.java',
      '/app/Protos/obj/Debug/net8.0/Protos/OrdersGrpc.cs',
      '/app/obj/Debug/net8.0/Shop.Api.GlobalUsings.g.cs',
      '/app/lib/orders_pb.rb',
      '/app/lib/orders_services_pb.rb',
      '/app/src/gen/orders_grpc_pb.js',
      '/app/src/gen/orders.pb.cc',
      '/app/pkg/apis/v1/zz_generated.deepcopy.go',
    ])
      assert.ok(generated(f), f);
    for (const f of ['/app/internal/orders/server.go', '/app/shop/orders/grpc_service.py', '/app/src/OrderService.java'])
      assert.ok(!generated(f), f);
  });

  it('keeps the dynamic segments of file-system routers, but not synthetic names in brackets', () => {
    assert.ok(!lib('/app/pages/article/[pid].tsx'));
    assert.ok(!lib('/app/app/(marketing)/blog/[...slug]/page.tsx'));
    assert.ok(!lib('/app/app/docs/[[...slug]]/page.tsx'));
    assert.ok(!lib('/app/src/routes/blog/[slug=word]/+page.ts'));
    assert.ok(lib('[eval]'));
    assert.ok(lib('[eval]-wrapper'));
    assert.ok(lib('/app/[native code]'));
    const mapper = new PathMapper({
      folders: [{ name: 'web', root: '/home/dev/web' }],
      files: ['pages/article/[pid].tsx', 'app/(marketing)/blog/[...slug]/page.tsx'],
    });
    const r = mapper.map('/usr/src/app/pages/article/[pid].tsx');
    assert.ok(r !== undefined && 'file' in r && r.file === 'pages/article/[pid].tsx');
  });

  it('reads the webpack-internal:/// URLs of Next.js and webpack dev servers, with or without a layer', () => {
    assert.deepEqual(normalizeForeignPath('webpack-internal:///(rsc)/./app/api/cart/route.ts'), {
      absolute: false,
      segments: ['app', 'api', 'cart', 'route.ts'],
    });
    assert.deepEqual(normalizeForeignPath('webpack-internal:///./pages/index.js')?.segments, ['pages', 'index.js']);
    assert.equal(normalizeForeignPath('webpack-internal:///../../etc/passwd'), undefined);
  });

  it('keeps vendored and dependency files out of suffix matching even when they are in the workspace', () => {
    const mapper = new PathMapper({
      folders: [{ name: 'shop', root: '/home/dev/shop' }],
      files: ['orders/deps/plug/lib/plug/conn.ex', 'orders/lib/shop/orders.ex', 'inventory/third_party/fmt/format.cc'],
    });
    assert.equal(mapper.map('/app/deps/plug/lib/plug/conn.ex'), undefined);
    assert.equal(mapper.map('/x/third_party/fmt/format.cc'), undefined);
    const r = mapper.map('lib/shop/orders.ex');
    assert.ok(r !== undefined && 'file' in r && r.file === 'orders/lib/shop/orders.ex');
  });
});
