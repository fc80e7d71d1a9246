// Definitions in C/C++ and Elixir, and object-literal methods and Rust traits: hand-written sources.
import * as assert from 'node:assert/strict';
import { extractDefinitions, languageOf, languagesOfSdk, maskSource } from '../../../../src/core/codeLocation/definitions';

/** `line qualified.name[/arity]` for each definition. */
function defs(file: string, text: string): string[] {
  return extractDefinitions(file, text).map(
    (d) => `${d.line} ${[...d.qualifier, d.name].join('.')}${d.arity === undefined ? '' : `/${d.arity}`}`,
  );
}

describe('extractDefinitions: C/C++, Elixir and more', () => {
  it('knows C, C++ and Elixir files by extension', () => {
    for (const f of ['a.c', 'a.h', 'a.cc', 'a.cpp', 'a.cxx', 'a.hpp', 'a.hh', 'a.ipp']) assert.equal(languageOf(f), 'cpp', f);
    assert.equal(languageOf('lib/shop/cart.ex'), 'elixir');
    assert.equal(languageOf('test/cart_test.exs'), 'elixir');
  });

  it('says which languages each SDK’s spans come from', () => {
    assert.deepEqual(languagesOfSdk('erlang'), ['elixir']);
    assert.deepEqual(languagesOfSdk('cpp'), ['cpp']);
    assert.deepEqual(languagesOfSdk('java'), ['java', 'kotlin']);
    assert.equal(languagesOfSdk('cobol'), undefined);
    assert.equal(languagesOfSdk('constructor'), undefined);
  });

  describe('C and C++', () => {
    it('out-of-line member definitions in namespaces, GNU-style return types, constructors; not declarations', () => {
      const text = [
        '#include "inventory/stock_service.hpp"',
        '#define CHECK(x) if (!(x)) { throw std::runtime_error(#x); }',
        '',
        'namespace inventory::core {',
        '',
        'StockService::StockService(std::shared_ptr<Db> db)',
        '    : db_(std::move(db)), cache_{} {}',
        '',
        'int StockService::reserve(const std::string& sku,',
        '                          int qty) const {',
        '  CHECK(qty > 0);',
        '  auto it = cache_.find(sku);',
        '  if (it == cache_.end()) {',
        '    return db_->reserve(sku, qty);',
        '  }',
        '  return it->second;',
        '}',
        '',
        'std::vector<Item>',
        'StockService::list() {',
        '  return db_->all();',
        '}',
        '',
        'StockService::~StockService() = default;',
        'int helperCount(int a);',
        '',
        'static int helperCount(int a)',
        '{',
        '  return a + 1;',
        '}',
        '',
        '}  // namespace inventory::core',
      ].join('\n');
      assert.deepEqual(defs('src/stock_service.cpp', text), [
        '6 inventory.core.StockService.StockService',
        '9 inventory.core.StockService.reserve',
        '20 inventory.core.StockService.list',
        '27 inventory.core.helperCount',
      ]);
    });

    it('class bodies: inline methods and operators are definitions, declarations and macro blocks are not', () => {
      const text = [
        'namespace inventory {',
        'template <typename T>',
        'class SHOP_API Cache final : public Base<T> {',
        ' public:',
        '  explicit Cache(int size) : size_(size) {}',
        '  T get(const std::string& key) const;',
        '  bool operator==(const Cache& other) const { return size_ == other.size_; }',
        '  void clear() override {',
        '    items_.clear();',
        '  }',
        '  ENDPOINT("GET", "/items/{id}", getItem, PATH(Int32, id)) {',
        '    return createResponse(Status::CODE_200, "ok");',
        '  }',
        '  std::function<void(int)> onEvict_;',
        '  struct Entry { int hits; };',
        '  enum class Kind : uint8_t { Hot, Cold };',
        ' private:',
        '  int size_;',
        '};',
        'class Forward;',
        'struct Point { int x; int y; };',
        '}',
      ].join('\n');
      assert.deepEqual(defs('include/inventory/cache.hpp', text), [
        '3 inventory.Cache',
        '5 inventory.Cache.Cache',
        '7 inventory.Cache.operator==',
        '8 inventory.Cache.clear',
        '15 inventory.Cache.Entry',
        '16 inventory.Cache.Kind',
        '21 inventory.Point',
      ]);
    });

    it('C: free functions with the brace on the next line, anonymous namespaces and extern "C" blocks', () => {
      const text = [
        '#ifdef __cplusplus',
        'extern "C" {',
        '#endif',
        'int shop_total(const struct cart *c)',
        '{',
        '  return c->sum;',
        '}',
        'namespace {',
        'const char* kRaw = R"sql(SELECT } FROM t WHERE a = "{")sql";',
        'void flush() { }',
        '}',
        '#ifdef __cplusplus',
        '}',
        '#endif',
        'TEST(Cart, Totals) {',
        '  EXPECT_EQ(shop_total(nullptr), 0);',
        '}',
      ].join('\n');
      assert.deepEqual(defs('src/cart.c', text), ['4 shop_total', '10 flush']);
    });

    it('masks preprocessor lines and raw strings', () => {
      const masked = maskSource('#define OPEN {\nauto s = R"x(a "quoted" })x";\nchar c = \'{\';', 'cpp');
      assert.equal(masked.split('\n').length, 3);
      assert.ok(!masked.includes('{'), masked);
    });
  });

  describe('Elixir', () => {
    it('modules nested by defmodule, functions with their arity, one definition for several clauses', () => {
      const text = [
        'defmodule Shop.Orders do',
        '  @moduledoc """',
        '  Orders.',
        '      def not_code(x), do: x',
        '  """',
        '  alias Shop.Repo',
        '',
        '  def fetch_order!(id), do: Repo.get!(Order, id)',
        '',
        '  def total(%{items: items}) when is_list(items) do',
        '    Enum.reduce(items, 0, fn i, acc -> i.price + acc end)',
        '  end',
        '',
        '  def total(nil), do: 0',
        '',
        '  def total(order, currency) do',
        '    ~s(a "quoted" #{currency}) <> "#{order.id}"',
        '  end',
        '',
        '  defp valid?(<<a, b>>, [x, y]), do: a == b and x == y',
        '',
        '  defmodule Line do',
        '    defstruct [:sku, :qty]',
        '    def new(sku, qty \\\\ 1), do: %__MODULE__{sku: sku, qty: qty}',
        '  end',
        'end',
        '',
        'defimpl String.Chars, for: Shop.Orders.Line do',
        '  def to_string(line), do: line.sku',
        'end',
      ].join('\n');
      assert.deepEqual(defs('lib/shop/orders.ex', text), [
        '1 Shop.Orders',
        '8 Shop.Orders.fetch_order!/1',
        '10 Shop.Orders.total/1',
        '16 Shop.Orders.total/2',
        '20 Shop.Orders.valid?/2',
        '22 Shop.Orders.Line',
        '24 Shop.Orders.Line.new/2',
        '29 String.Chars.Shop.Orders.Line.to_string/1',
      ]);
    });

    it('reads a Phoenix controller action of arity 3 and zero-arity functions', () => {
      const text = [
        'defmodule ShopWeb.OrderController do',
        '  use ShopWeb, :controller',
        '  action_fallback ShopWeb.FallbackController',
        '',
        '  def action(conn, _) do',
        '    apply(__MODULE__, action_name(conn), [conn, conn.params, conn.assigns.current_user])',
        '  end',
        '',
        '  def cancel(conn, %{"id" => id}, user) do',
        '    with {:ok, order} <- Shop.Orders.cancel(id, user), do: render(conn, "show.json", order: order)',
        '  end',
        '',
        '  def version, do: "1"',
        'end',
      ].join('\n');
      assert.deepEqual(defs('lib/shop_web/controllers/order_controller.ex', text), [
        '1 ShopWeb.OrderController',
        '5 ShopWeb.OrderController.action/2',
        '9 ShopWeb.OrderController.cancel/3',
        '13 ShopWeb.OrderController.version/0',
      ]);
    });

    it('masks sigils, heredocs and character literals', () => {
      const masked = maskSource('x = ?" <> ~r/"#{a}/ <> ~w[a (b) c]\ny = """\n  def z\n"""', 'elixir');
      assert.ok(!/def z|a \(b\)|#\{a\}/.test(masked), masked);
      assert.equal(masked.split('\n').length, 4);
    });
  });

  it('JavaScript object literals bound to a name: methods and function-valued properties; not typed parameters', () => {
    const text = [
      'const orderService = {',
      '  async find(id) {',
      '    return db.orders.findOne({ where: { id } });',
      '  },',
      '  cancel: async (id) => {',
      '    await db.orders.update(id);',
      '  },',
      '  total: function (order) {',
      '    return order.items.length;',
      '  },',
      '  limit: 10,',
      '};',
      'module.exports = {',
      '  list(req, res) {',
      '    res.json([]);',
      '  },',
      '};',
      'class Patcher {',
      '  wrap(',
      '    name: string,',
      '    original: (...args: unknown[]) => void',
      '  ): void {}',
      '}',
    ].join('\n');
    assert.deepEqual(defs('src/orders/service.ts', text), [
      '2 src.orders.service.orderService.find',
      '5 src.orders.service.orderService.cancel',
      '8 src.orders.service.orderService.total',
      '14 src.orders.service.list',
      '18 src.orders.service.Patcher',
      '19 src.orders.service.Patcher.wrap',
    ]);
  });

  it('Rust traits: default methods are definitions, required ones are not', () => {
    const text = [
      'pub trait Store {',
      '    fn get(&self, key: &str) -> Option<String>;',
      '    fn get_or(&self, key: &str, default: &str) -> String {',
      '        self.get(key).unwrap_or_else(|| default.to_owned())',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(defs('shop-api/src/store.rs', text), ['1 shop_api.store.Store', '3 shop_api.store.Store.get_or']);
  });
});
