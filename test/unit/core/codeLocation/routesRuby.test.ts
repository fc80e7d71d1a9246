/**
 * Sinatra and Grape routes. Every snippet is HAND-WRITTEN in the style of the frameworks' own READMEs, with the
 * traps real Ruby files have: rack-test and RSpec calls that look like routes, comments, heredocs, methods.
 */
import * as assert from 'node:assert/strict';
import { RouteIndex } from '../../../../src/core/codeLocation/routes';
import { mountsOf, routesOf, src } from './routeSnippets';

describe('Sinatra routes', () => {
  it('reads classic top-level routes as served at the root', () => {
    const text = src(
      "require 'sinatra'",
      '',
      "get '/' do", // 3
      "  'Hello world!'",
      'end',
      '',
      "post '/orders' do", // 7
      '  order = Order.create(JSON.parse(request.body.read))',
      '  if order.valid?',
      '    status 201',
      '  end',
      'end',
      '',
      "get '/orders/:id' do |id|", // 14
      '  Order.find(id).to_json',
      'end',
      "# get '/old' do", // commented out
      "delete('/orders/:id') { Order.destroy(params[:id]) }", // 18
    );
    assert.deepEqual(routesOf('app.rb', text), [
      'DELETE /orders/{} → 18',
      'GET / → 3',
      'GET /orders/{} → 14',
      'POST /orders → 7',
    ]);
  });

  it('keys a modular app’s routes by its class, partial until something mounts it', () => {
    const text = src(
      "require 'sinatra/base'",
      "require 'sinatra/namespace'",
      '',
      'module Shop',
      '  class OrdersApi < Sinatra::Base',
      '    register Sinatra::Namespace',
      '',
      "    namespace '/v1' do",
      "      get '/orders/:id', provides: :json do", // 9
      '        Order.find(params[:id]).to_json',
      '      end',
      '',
      '      put Mustermann.new("/orders/:id", capture: { id: /\\d+/ }) do', // 13
      '        halt 204',
      '      end',
      '    end',
      '',
      "    get '/health' do", // 18
      "      'ok'",
      '    end',
      '',
      '    def helper_route',
      "      get '/not/a/route' do",
      '      end',
      '    end',
      '  end',
      'end',
    );
    assert.deepEqual(routesOf('lib/shop/orders_api.rb', text), [
      'GET /health → 18 (partial)',
      'GET /v1/orders/{} → 9 (partial)',
      'PUT /v1/orders/{} → 13 (partial)',
    ]);
  });

  it('does not take rack-test calls, RSpec examples or HTTP clients for routes', () => {
    const text = src(
      "describe 'GET /orders' do",
      "  it 'lists orders' do",
      "    get '/orders'",
      "    post '/orders', { sku: 'x' }.to_json",
      "    get '/orders', params: { page: 2 }",
      '    expect(last_response).to be_ok',
      '  end',
      'end',
      "response = HTTParty.get('/orders') do |chunk|",
      'end',
      'conn.get "/orders" do |req|',
      'end',
      'text = <<~DOC',
      "  get '/orders' do",
      'DOC',
    );
    assert.deepEqual(routesOf('spec/orders_spec.rb', text), []);
  });

  it('composes a Rack map with the app it runs', () => {
    const app = src('class Orders < Sinatra::Base', "  get '/:id' do", '    json Order.find(params[:id])', '  end', 'end');
    const rackup = src(
      "require './orders'",
      "map '/orders' do",
      '  run Orders',
      'end',
      "map('/admin') { run AdminApp }",
      'run Rack::URLMap.new("/legacy" => LegacyApp)',
    );
    assert.deepEqual(mountsOf('config.ru', rackup), [
      'ruby:AdminApp ← /admin:5',
      'ruby:LegacyApp ← /legacy:6',
      'ruby:Orders ← /orders:3',
    ]);
    const index = new RouteIndex();
    index.addFile('orders.rb', app);
    index.addFile('config.ru', rackup);
    const [hit] = index.match('GET', '/orders/{id}');
    assert.equal(hit?.file, 'orders.rb');
    assert.equal(hit?.line, 2);
    assert.equal(hit?.partial, undefined, 'served at a known prefix');
  });
});

describe('Grape routes', () => {
  it('joins prefix, path version, namespaces and route params', () => {
    const text = src(
      'module Store',
      '  class API < Grape::API',
      "    version 'v1', using: :path",
      '    format :json',
      '    prefix :api',
      '',
      '    resource :orders do',
      "      desc 'Return an order.'",
      '      params do',
      '        requires :id, type: Integer',
      '      end',
      '      route_param :id do',
      '        get do', // 13
      '          Order.find(params[:id])',
      '        end',
      '',
      "        put 'items' do", // 17
      '          Order.find(params[:id]).update_items(params[:items])',
      '        end',
      '      end',
      '',
      '      get do', // 22
      '        Order.recent',
      '      end',
      '    end',
      '',
      '    namespace :admin do',
      "      route [:get, :post], 'reports' do", // 28
      '        Report.all',
      '      end',
      '    end',
      '  end',
      'end',
    );
    assert.deepEqual(routesOf('app/api/store/api.rb', text), [
      'GET /api/v1/admin/reports → 28 (partial)',
      'GET /api/v1/orders → 22 (partial)',
      'GET /api/v1/orders/{} → 13 (partial)',
      'POST /api/v1/admin/reports → 28 (partial)',
      'PUT /api/v1/orders/{}/items → 17 (partial)',
    ]);
  });

  it('leaves header versioning out of the path and mounts APIs under the mounting one', () => {
    const root = src(
      'class RootAPI < Grape::API',
      "  version 'v2', using: :header, vendor: 'shop'",
      "  prefix 'api'",
      '  mount Payments::API',
      "  mount Refunds => '/refunds'",
      'end',
    );
    assert.deepEqual(mountsOf('app/api/root_api.rb', root), [
      'ruby:API ← /api (in ruby:RootAPI):4',
      'ruby:Refunds ← /api/refunds (in ruby:RootAPI):5',
    ]);
    const payments = src(
      'module Payments',
      '  class API < Grape::API',
      '    resources :payments do',
      "      get ':id' do", // 4
      '        Payment.find(params[:id])',
      '      end',
      '    end',
      '  end',
      'end',
    );
    const rails = src('Rails.application.routes.draw do', "  mount RootAPI => '/'", "  mount Sidekiq::Web, at: '/jobs'", 'end');
    assert.deepEqual(mountsOf('config/routes.rb', rails), ['ruby:RootAPI ← /:2', 'ruby:Web ← /jobs:3']);
    const index = new RouteIndex();
    index.addFile('app/api/payments/api.rb', payments);
    index.addFile('app/api/root_api.rb', root);
    index.addFile('config/routes.rb', rails);
    const [hit] = index.match('GET', '/api/payments/:id');
    assert.equal(hit?.file, 'app/api/payments/api.rb');
    assert.equal(hit?.line, 4);
    assert.equal(hit?.partial, undefined, 'mounted by the Rails routes at the root');
  });
});
