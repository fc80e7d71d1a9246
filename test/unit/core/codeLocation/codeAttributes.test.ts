import * as assert from 'node:assert/strict';
import {
  exceptionFromAttributes,
  readCodeAttributes,
  readDatadogCodeOrigin,
  spanExceptions,
} from '../../../../src/core/codeLocation/codeAttributes';
import { attrs, exceptionEvent, span } from './spans';

describe('codeAttributes', () => {
  describe('readCodeAttributes', () => {
    it('reads the stable code.* attributes', () => {
      assert.deepEqual(
        readCodeAttributes(
          attrs({
            'code.file.path': '/app/src/cart.py',
            'code.line.number': 42,
            'code.column.number': 5,
            'code.function.name': 'cart.service.CartService.add_item',
          }),
        ),
        {
          fileKey: 'code.file.path',
          filePath: '/app/src/cart.py',
          line: 42,
          column: 5,
          function: 'cart.service.CartService.add_item',
        },
      );
    });

    it('falls back to the deprecated names and joins code.namespace with code.function', () => {
      assert.deepEqual(
        readCodeAttributes(
          attrs({
            'code.filepath': '/app/CartController.java',
            'code.lineno': '31',
            'code.column': 7,
            'code.namespace': 'com.example.cart.CartController',
            'code.function': 'add',
          }),
        ),
        {
          fileKey: 'code.filepath',
          filePath: '/app/CartController.java',
          line: 31,
          column: 7,
          function: 'com.example.cart.CartController.add',
          namespace: 'com.example.cart.CartController',
        },
      );
    });

    it('prefers the stable name when a span carries both', () => {
      const code = readCodeAttributes(
        attrs({ 'code.file.path': '/new/x.py', 'code.filepath': '/old/x.py', 'code.line.number': 3, 'code.lineno': 9 }),
      );
      assert.equal(code?.filePath, '/new/x.py');
      assert.equal(code?.line, 3);
    });

    it('drops lines and columns that are not positive integers, and empty strings', () => {
      assert.deepEqual(readCodeAttributes(attrs({ 'code.filepath': '/a.py', 'code.lineno': 0, 'code.column': -1 })), {
        fileKey: 'code.filepath',
        filePath: '/a.py',
      });
      assert.equal(readCodeAttributes(attrs({ 'code.lineno': 1.5, 'code.filepath': '  ' })), undefined);
      assert.equal(readCodeAttributes(attrs({ 'code.file.path': true, 'code.line.number': 'forty' })), undefined);
    });

    it('reads code.stacktrace, and nothing from a span without code attributes', () => {
      assert.deepEqual(readCodeAttributes(attrs({ 'code.stacktrace': 'at x (/a.js:1:1)' })), { stacktrace: 'at x (/a.js:1:1)' });
      assert.equal(readCodeAttributes(attrs({ 'http.route': '/cart', ['__proto__']: 'x' })), undefined);
    });
  });

  describe('spanExceptions', () => {
    it('finds OpenTelemetry exception events, OpenTracing error logs with a stack, and a stack in span attributes', () => {
      const s = span({ 'error.stack': 'Error: x\n    at f (/a.js:1:1)', 'error.type': 'Error' }, [
        exceptionEvent('KeyError trace', 'KeyError'),
        { name: 'cache miss', timeUs: 1, attributes: attrs({ key: 'cart:7' }) },
        { name: 'error', timeUs: 2, attributes: attrs({ event: 'error', 'error.kind': 'IOException', stack: 'java trace' }) },
      ]);
      assert.deepEqual(spanExceptions(s), [
        { stacktrace: 'KeyError trace', origin: 'exception event', type: 'KeyError', message: 'boom' },
        { stacktrace: 'java trace', origin: 'event "error"', type: 'IOException' },
        { stacktrace: 'Error: x\n    at f (/a.js:1:1)', origin: 'span attribute error.stack', type: 'Error' },
      ]);
    });

    it('ignores exception events without a stack trace', () => {
      const s = span({}, [
        { name: 'exception', timeUs: 1, attributes: attrs({ 'exception.type': 'Timeout', 'exception.stacktrace': '' }) },
      ]);
      assert.deepEqual(spanExceptions(s), []);
      assert.equal(exceptionFromAttributes(attrs({ 'exception.message': 'no stack' }), 'log'), undefined);
    });
  });

  describe('readDatadogCodeOrigin', () => {
    it('reads _dd.code_origin.frames.N in order, stopping at the first gap', () => {
      const a = attrs({
        '_dd.code_origin.type': 'entry',
        '_dd.code_origin.frames.0.file': '/usr/src/app/src/routes/cart.js',
        '_dd.code_origin.frames.0.line': '10',
        '_dd.code_origin.frames.0.column': '5',
        '_dd.code_origin.frames.0.method': 'addItem',
        '_dd.code_origin.frames.0.type': 'CartRouter',
        '_dd.code_origin.frames.1.file': '/usr/src/app/src/app.js',
        '_dd.code_origin.frames.1.line': 3,
        '_dd.code_origin.frames.3.file': '/usr/src/app/src/unreached.js',
      });
      assert.deepEqual(readDatadogCodeOrigin(a), [
        { index: 0, file: '/usr/src/app/src/routes/cart.js', line: 10, column: 5, method: 'addItem', type: 'CartRouter' },
        { index: 1, file: '/usr/src/app/src/app.js', line: 3 },
      ]);
      assert.deepEqual(readDatadogCodeOrigin(attrs({ '_dd.code_origin.type': 'entry' })), []);
    });
  });
});
