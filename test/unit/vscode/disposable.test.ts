import * as assert from 'node:assert/strict';
import { Disposable } from '../../../src/vscode/disposable';

class Owner extends Disposable {
  constructor(readonly log: string[]) {
    super();
    this.registerAll({ dispose: () => log.push('subscription') }, { dispose: () => log.push('timer') });
  }

  readonly item = this.register({ dispose: () => this.log.push('item') });

  override dispose(): void {
    this.log.push('own state');
    super.dispose();
  }
}

describe('Disposable', () => {
  it('releases what it registered once, in the order registered, after the subclass released its own state', () => {
    const log: string[] = [];
    const owner = new Owner(log);
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['own state', 'item', 'subscription', 'timer', 'own state']);
  });
});
