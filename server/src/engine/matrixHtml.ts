/**
 * The Responsibility Matrix as one self-contained HTML page: `onus matrix --format html` writes it, and the VS Code
 * webview shows the same page (with its script and export buttons), so both look alike. Colours come from VS Code's
 * theme variables inside the editor and from the fallbacks here elsewhere.
 *
 * Invariants:
 * - No network: inline CSS only, no fonts, images or scripts from anywhere; the page's Content-Security-Policy says
 *   so (`default-src 'none'`), and in the webview the only script is the inline one carrying the nonce.
 * - Everything that comes from scanned files (addresses, types, messages, paths) is HTML-escaped, in text and in
 *   attributes alike.
 */
import { MatrixData, type MatrixCell, type MatrixService } from './matrixData';

/** What the webview adds to the page. */
export interface MatrixWebviewOptions {
  /** The nonce of the inline style and script (the CSP allows only them). */
  nonce: string;
  /** Where the page came from, when shown: for the title line. */
  scannedLabel?: string;
  /** How a path is shown (the page keeps the path itself in `data-file` to open it); as given by default. */
  displayPath?: (file: string) => string;
}

/** Escapes text for HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STATE_TITLE: Record<MatrixCell['state'], string> = {
  open: 'Open findings',
  gap: 'Responsibility gap',
  secure: 'Secure',
  unchecked: 'Not checked by Onus',
  provider: "The provider's",
};

/** The words of a layer id for a column header. */
function layerTitle(layer: string): string {
  return layer === 'os' ? 'OS' : layer[0]!.toUpperCase() + layer.slice(1);
}

/** An anchor id for a service's details. */
function anchorOf(service: MatrixService): string {
  return `svc-${service.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** How a path is shown. */
type PathLabel = (file: string) => string;

/** A clickable place in a file (the webview opens it; the standalone page shows it). */
function location(file: string, line: number, column: number, label: PathLabel): string {
  return `<a class="loc" href="#" data-file="${escapeHtml(file)}" data-line="${line}" data-column="${column}">${escapeHtml(`${label(file)}:${line}`)}</a>`;
}

/** One cell of the table. */
function cellHtml(service: MatrixService, cell: MatrixCell): string {
  const label = MatrixData.stateLabel(cell);
  const title = [STATE_TITLE[cell.state], cell.note].filter(Boolean).join(' — ');
  const body =
    cell.state === 'open' || cell.state === 'gap'
      ? `<a class="badge" href="#${anchorOf(service)}">${escapeHtml(label)}</a>`
      : `<span class="badge">${escapeHtml(label)}</span>`;
  return (
    `<td class="cell state-${cell.state} owner-${cell.owner}" data-layer="${cell.layer}" data-state="${cell.state}" ` +
    `data-owner="${cell.owner}" title="${escapeHtml(title)}"><span class="owner">${cell.owner}</span>${body}</td>`
  );
}

/** The details of one service: open findings, gaps, resources. */
function serviceDetails(service: MatrixService, label: PathLabel): string {
  const findings = service.cells.flatMap((c) => c.findings.map((f) => ({ f, layer: c.layer })));
  const gaps = service.cells.flatMap((c) => c.gaps.map((g) => ({ g, layer: c.layer })));
  const parts: string[] = [];
  const summary = [
    `${service.resources.length} resource${service.resources.length === 1 ? '' : 's'}`,
    ...(findings.length > 0 ? [`${findings.length} open`] : []),
    ...(gaps.length > 0 ? [`${gaps.length} gap${gaps.length === 1 ? '' : 's'}`] : []),
  ].join(' · ');
  parts.push(
    `<details class="service-details" id="${anchorOf(service)}" data-service="${escapeHtml(service.id)}"${findings.length + gaps.length > 0 ? ' open' : ''}>`,
    `<summary><strong>${escapeHtml(service.name)}</strong> <span class="muted">${escapeHtml(service.id)} · ${escapeHtml(summary)}</span></summary>`,
  );
  if (findings.length > 0) {
    parts.push('<h4>Open findings</h4><ul class="findings">');
    for (const { f, layer } of findings) {
      parts.push(
        `<li class="finding" data-rule="${escapeHtml(f.ruleId)}" data-layer="${layer}">${location(f.file, f.line, f.column, label)} ` +
          `<span class="sev sev-${f.severity}">${f.severity}</span> <code>${escapeHtml(f.ruleId)}</code> ${escapeHtml(f.message)} ` +
          `<span class="muted">(${layer})</span></li>`,
      );
    }
    parts.push('</ul>');
  }
  if (gaps.length > 0) {
    parts.push('<h4>Responsibility gaps</h4><ul class="gaps">');
    for (const { g, layer } of gaps) {
      const ways = g.fulfilledBy.map((w) => `<code>${escapeHtml(w.replace(/^resource:/, 'resource '))}</code>`).join(' or ');
      parts.push(
        `<li class="gap" data-duty="${escapeHtml(g.dutyId)}" data-layer="${layer}">${location(g.file, g.line, g.column, label)} ` +
          `<span class="gap-mark">gap</span> <code>${escapeHtml(g.resource)}</code>: <strong>${escapeHtml(g.duty)}</strong> is not configured` +
          `${ways ? ` <span class="muted">— fulfilled by ${ways}</span>` : ''}${g.note ? ` <span class="muted">${escapeHtml(g.note)}</span>` : ''}</li>`,
      );
    }
    parts.push('</ul>');
  }
  parts.push('<h4>Resources</h4><ul class="resources">');
  for (const r of service.resources) {
    parts.push(`<li class="resource">${location(r.file, r.line, r.column, label)} <code>${escapeHtml(r.address)}</code> <span class="muted">${escapeHtml(r.type)}</span></li>`);
  }
  parts.push('</ul>');
  if (service.sources.length > 0) {
    parts.push(`<p class="muted sources">Ownership per layer from ${service.sources.map((s) => escapeHtml(s)).join(', ')}</p>`);
  }
  parts.push('</details>');
  return parts.join('\n');
}

const STYLE = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); font-size: var(--vscode-font-size, 14px);
  color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #ffffff); margin: 0; padding: 16px 24px; }
h1 { font-size: 1.4em; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 1.1em; margin: 20px 0 8px; }
h4 { margin: 10px 0 4px; font-size: 0.95em; }
.muted { color: var(--vscode-descriptionForeground, #59636e); }
.summary { margin: 0 0 12px; }
.summary strong { font-weight: 600; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; flex-wrap: wrap; }
.actions button { font: inherit; color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, #0969da);
  border: none; padding: 4px 12px; border-radius: 2px; cursor: pointer; margin-left: 6px; }
.actions button:hover { background: var(--vscode-button-hoverBackground, #0550ae); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0 16px; font-size: 0.9em; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 2px; display: inline-block; }
table.matrix { border-collapse: collapse; width: 100%; }
.matrix th, .matrix td { border: 1px solid var(--vscode-panel-border, #d0d7de); padding: 6px 8px; text-align: left; vertical-align: top; }
.matrix thead th { background: var(--vscode-editorWidget-background, #f6f8fa); font-weight: 600; }
.matrix tr.provider th { background: var(--vscode-sideBarSectionHeader-background, #eaeef2); font-size: 1.05em; }
.matrix th.service-name .id { font-weight: normal; font-size: 0.85em; }
.matrix td.count { text-align: right; }
.cell .owner { display: block; font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em; opacity: 0.8; }
.cell .badge { display: inline-block; margin-top: 2px; padding: 1px 6px; border-radius: 10px; font-size: 0.85em; font-weight: 600; text-decoration: none; color: inherit; }
.state-open { background: rgba(209, 36, 47, 0.14); }
.state-open .badge, .swatch.open { background: #d1242f; color: #fff; }
.state-gap { background: rgba(188, 76, 0, 0.14); }
.state-gap .badge, .swatch.gap { background: #bc4c00; color: #fff; }
.state-secure { background: rgba(26, 127, 55, 0.12); }
.state-secure .badge, .swatch.secure { background: #1a7f37; color: #fff; }
.state-unchecked .badge, .swatch.unchecked { background: rgba(128, 128, 128, 0.25); }
.state-provider { background: rgba(128, 128, 128, 0.08); }
.state-provider .badge, .swatch.provider { background: transparent; border: 1px dashed rgba(128, 128, 128, 0.7); }
ul { margin: 4px 0 8px; padding-left: 20px; }
li { margin: 2px 0; }
code { font-family: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, monospace); font-size: 0.92em; }
a.loc { font-family: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, monospace); font-size: 0.92em;
  color: var(--vscode-textLink-foreground, #0969da); text-decoration: none; }
a.loc:hover { text-decoration: underline; }
.sev { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 0.8em; font-weight: 600; text-transform: uppercase; }
.sev-critical, .sev-high { background: #d1242f; color: #fff; }
.sev-medium { background: #bc4c00; color: #fff; }
.sev-low { background: rgba(128, 128, 128, 0.3); }
.gap-mark { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 0.8em; font-weight: 600; background: #bc4c00; color: #fff; text-transform: uppercase; }
details.service-details { border: 1px solid var(--vscode-panel-border, #d0d7de); border-radius: 4px; padding: 6px 10px; margin: 8px 0; }
details.service-details summary { cursor: pointer; }
.sources { font-size: 0.85em; word-break: break-all; }
`;

/** The webview's script: opens a file at a line, and asks the extension to export. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('a.loc, button[data-export]') : null;
  if (!target) { return; }
  event.preventDefault();
  if (target.matches('button[data-export]')) {
    vscode.postMessage({ command: 'export', format: target.getAttribute('data-export') });
  } else {
    vscode.postMessage({ command: 'open', file: target.getAttribute('data-file'), line: Number(target.getAttribute('data-line')), column: Number(target.getAttribute('data-column')) });
  }
});
`;

/** Renders the matrix as a self-contained page; with `webview`, the page the VS Code view shows. */
export function renderMatrixHtml(matrix: MatrixData, webview?: MatrixWebviewOptions): string {
  const s = matrix.summary;
  const label: PathLabel = webview?.displayPath ?? ((file) => file);
  const nonce = webview ? escapeHtml(webview.nonce) : undefined;
  const csp = nonce
    ? `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`
    : `default-src 'none'; style-src 'unsafe-inline';`;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const rows: string[] = [];
  for (const provider of matrix.providers) {
    rows.push(`<tr class="provider" data-provider="${provider.id}"><th colspan="${3 + matrix.layers.length}">${escapeHtml(provider.name)}</th></tr>`);
    for (const service of provider.services) {
      rows.push(
        `<tr class="service" data-service="${escapeHtml(service.id)}"><th scope="row" class="service-name"><a class="name" href="#${anchorOf(service)}">${escapeHtml(service.name)}</a>` +
          `<div class="id muted">${escapeHtml(service.id)}</div></th><td class="model">${escapeHtml(service.model)}</td>` +
          `<td class="count">${service.resources.length}</td>${service.cells.map((c) => cellHtml(service, c)).join('')}</tr>`,
      );
    }
  }
  const services = matrix.providers.flatMap((p) => p.services);
  const unlisted =
    matrix.unlisted.length > 0
      ? `<h2>Not in the services catalog yet</h2><ul class="unlisted">${matrix.unlisted
          .map((u) => `<li><code>${escapeHtml(u.type)}</code> (${u.resources.length}): ${u.resources.map((r) => location(r.file, r.line, r.column, label)).join(', ')}</li>`)
          .join('')}</ul>`
      : '';
  const legend = (['open', 'gap', 'secure', 'unchecked', 'provider'] as const)
    .map((state) => `<span><i class="swatch ${state}"></i>${escapeHtml(STATE_TITLE[state])}</span>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Onus — Responsibility Matrix</title>
<style${nonce ? ` nonce="${nonce}"` : ''}>${STYLE}</style>
</head>
<body>
<header>
<div>
<h1>Responsibility Matrix</h1>
<p class="summary" id="summary">${plural(s.files, 'file')} · ${plural(s.services, 'service')} · ${plural(s.resources, 'resource')} · <strong>${plural(s.openFindings, 'open finding')}</strong> · <strong>${plural(s.gaps, 'responsibility gap')}</strong>${webview?.scannedLabel ? ` <span class="muted">in ${escapeHtml(webview.scannedLabel)}</span>` : ''}</p>
</div>
${webview ? '<div class="actions"><button type="button" data-export="markdown">Export to Markdown</button><button type="button" data-export="csv">Export to CSV</button></div>' : ''}
</header>
<div class="legend">${legend}</div>
${
  rows.length > 0
    ? `<table class="matrix">
<thead><tr><th>Service</th><th>Model</th><th>Resources</th>${matrix.layers.map((l) => `<th data-layer="${l}">${layerTitle(l)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p class="empty">No resource of a known cloud service was found.</p>'
}
${services.length > 0 ? `<h2>Findings, gaps and resources per service</h2>\n${services.map((svc) => serviceDetails(svc, label)).join('\n')}` : ''}
${unlisted}
${nonce ? `<script nonce="${nonce}">${SCRIPT}</script>` : ''}
</body>
</html>
`;
}
