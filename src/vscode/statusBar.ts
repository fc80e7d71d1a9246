/**
 * One status bar item for the active trace source: "$(pulse) Local :4318 · 12 traces", "$(pulse) Jaeger ✓",
 * "$(warning) Jaeger ✗". The tooltip has the URL, the health and the local store's counters (evicted and
 * rejected included); a click opens Select Backend….
 */
import * as vscode from 'vscode';
import { backendTypeLabel } from '../core/backends/backendSettings';
import { markdownText } from '../core/markdownText';
import { plural } from './backends/addBackend';
import type { ActiveBackendService } from './backends/activeBackendService';
import { Commands } from './contributions';
import type { ReceiverController } from './receiver/receiverController';
import { storeLines } from './receiver/storeSummary';
import { Disposable } from './disposable';

export const STATUS_BAR_ID = 'traceLens.backend';

export class BackendStatusBar extends Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 10);

  constructor(
    private readonly service: ActiveBackendService,
    private readonly receiver: ReceiverController,
  ) {
    super();
    this.item.name = 'Trace Lens Backend';
    this.item.command = Commands.selectBackend;
    this.registerAll(
      this.item,
      service.onDidChange(() => this.update()),
      service.onDidChangeHealth(() => this.update()),
      receiver.onDidChange(() => this.update()),
      receiver.onDidReceive(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  private update(): void {
    const { info, health } = this.service;
    const stats = this.receiver.store?.stats();
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.supportThemeIcons = true;
    let text: string;
    let warning = false;

    if (!info) {
      text = '$(pulse) Trace Lens';
      tooltip.appendMarkdown('**Trace Lens**: no trace backend selected.');
      if (this.service.problem) tooltip.appendMarkdown(`\n\n$(warning) ${escape(this.service.problem)}`);
    } else if (info.type === 'local') {
      const port = this.receiver.port;
      text =
        port !== undefined
          ? `$(pulse) Local :${port} · ${plural(stats?.traces ?? 0, 'trace')}`
          : '$(debug-disconnect) Local (stopped)';
      tooltip.appendMarkdown(
        port !== undefined
          ? `**Trace Lens**: local receiver on ${escape(this.receiver.url ?? '')}`
          : '**Trace Lens**: local receiver, stopped',
      );
    } else {
      const label = info.name;
      switch (health.status) {
        case 'ok':
          text = `$(pulse) ${label} ✓`;
          break;
        case 'failed':
          text = `$(warning) ${label} ✗`;
          warning = true;
          break;
        case 'checking':
          text = `$(sync~spin) ${label}`;
          break;
        default:
          text = `$(pulse) ${label}`;
      }
      tooltip.appendMarkdown(
        `**Trace Lens**: ${escape(info.name)} (${backendTypeLabel(info.type)})\n\n${escape(info.url ?? '')}`,
      );
      if (health.status === 'ok') {
        tooltip.appendMarkdown(
          `\n\n$(check) ${plural(health.services, 'service')}, checked ${health.checkedAt.toLocaleTimeString()}`,
        );
      } else if (health.status === 'failed') {
        tooltip.appendMarkdown(`\n\n$(error) ${escape(health.message)}`);
      } else if (health.status === 'checking') {
        tooltip.appendMarkdown('\n\nChecking…');
      }
    }

    const store = this.receiver.store;
    if (stats && store && (info?.type === 'local' || this.receiver.running)) {
      tooltip.appendMarkdown(
        `\n\n---\n\n${storeLines(stats, store, this.receiver.running && info?.type !== 'local' ? escape(this.receiver.url ?? '') : undefined).join('  \n')}`,
      );
    }
    tooltip.appendMarkdown('\n\n---\n\nClick to select a backend.');

    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Trace Lens backend: ${text.replace(/\$\([\w~-]+\)\s*/g, '')}` };
  }
}

/** Text from settings and servers, shown literally in the Markdown tooltip. */
function escape(text: string): string {
  return markdownText(text);
}
