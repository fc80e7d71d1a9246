/**
 * The trace page's other views in a real workbench: the flame graph of a generated trace, shown from its
 * tab, and its trace graph, checked by the text the webview rendered (screenshots in test-results/screenshots/views-*.png).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseTraces } from '../../src/core/formats/parse';
import type { WaterfallPanel } from '../../src/vscode/waterfall/waterfallPanel';
import { generateTrace, toOtlpJson } from '../fixtures/generateTraces';
import { waitForWebviewText } from './waterfallFixtures';
import { workbench } from './workbench';

describe('Trace views', function () {
  this.timeout(90_000);

  before(async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('shows the flame graph of a 2,000-span trace from its tab, and zooms into the span clicked', async () => {
    const trace = parseTraces(toOtlpJson(generateTrace(2_000, 11)))[0]!;
    const root = trace.spans.find((s) => s.parentSpanId === undefined)!;
    const panel = await vscode.commands.executeCommand<WaterfallPanel>('traceLens.openWaterfall', trace);
    await panel.whenRendered();
    await waitForWebviewText('the waterfall', (t) => t.includes('2,000 spans'));
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    assert.ok(await workbench.clickInWebview('[role="tab"]:has-text("Flame graph")'), 'the Flame graph tab is there');
    const text = await waitForWebviewText('the flame graph', (t) => /^Whole trace$/m.test(t) && /^2,000 spans$/m.test(t));
    assert.match(text, /^Select a span to see its attributes, events and links\.$/m);
    await workbench.screenshot('views-flame-graph');

    // A click on the root's bar (the top band, across the width) selects it and zooms into it.
    assert.ok(await workbench.clickInWebview('.flame-canvas', { x: 30, y: 10 }), 'the canvas is there');
    const zoomed = await waitForWebviewText('the zoomed flame graph', (t) => / spans under /.test(t));
    assert.match(zoomed, new RegExp(`^Whole trace\\n${root.name.replace(/[/]/g, '\\/')}$`, 'm'));
    await workbench.screenshot('views-flame-graph-zoomed');

    // The trace graph of the same trace: its nodes, the root's first.
    assert.ok(await workbench.clickInWebview('[role="tab"]:has-text("Trace graph")'), 'the Trace graph tab is there');
    const graph = await waitForWebviewText('the trace graph', (t) => /^[\d,]+ nodes for 2,000 spans$/m.test(t));
    assert.ok(graph.split('\n').includes(root.name), 'the root is a node');
    await workbench.screenshot('views-trace-graph');
  });
});
