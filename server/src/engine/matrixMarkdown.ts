/**
 * The Responsibility Matrix as GitHub-flavoured Markdown, for a pull request comment or a file: a summary line, one
 * table per provider (rows are services, columns are layers), then the open findings and the responsibility gaps
 * with their file and line, and the inventory folded away.
 *
 * Invariant: every text that comes from a scanned file (addresses, names in messages, paths) is escaped, so a
 * resource name cannot break a table or inject markup.
 */
import { escapeMarkdown } from '../text/markdown';
import { MatrixData, type MatrixCell, type MatrixService } from './matrixData';

/** The marker of each cell state, readable without colour. */
const STATE_MARK: Record<MatrixCell['state'], string> = {
  open: '🔴',
  gap: '🟠',
  secure: '🟢',
  unchecked: '⚪',
  provider: '☁️',
};


/** Text as an inline code span, safe in a table cell (a backtick in it becomes a quote, so it cannot end the span). */
function code(text: string): string {
  return `\`${text.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** The words of a layer id for a column header. */
function layerTitle(layer: string): string {
  return layer === 'os' ? 'OS' : layer[0]!.toUpperCase() + layer.slice(1);
}

/** One cell's text: the owner and, for the customer's side, the state. */
function cellText(cell: MatrixCell): string {
  return `${cell.owner} · ${STATE_MARK[cell.state]} ${MatrixData.stateLabel(cell)}`;
}

/** Renders the matrix as Markdown. */
export function renderMatrixMarkdown(matrix: MatrixData): string {
  const out: string[] = [];
  const s = matrix.summary;
  out.push('## Responsibility Matrix', '');
  out.push(
    `${s.files} file${s.files === 1 ? '' : 's'} · ${s.services} service${s.services === 1 ? '' : 's'} · ${s.resources} resource${s.resources === 1 ? '' : 's'} · ` +
      `**${s.openFindings} open finding${s.openFindings === 1 ? '' : 's'}** · **${s.gaps} responsibility gap${s.gaps === 1 ? '' : 's'}**`,
    '',
  );
  out.push(
    `${STATE_MARK.open} open findings · ${STATE_MARK.gap} responsibility gap (a customer duty nothing in the code fulfils) · ` +
      `${STATE_MARK.secure} secure · ${STATE_MARK.unchecked} not checked by Onus · ${STATE_MARK.provider} the provider's`,
    '',
  );
  if (matrix.providers.length === 0) {
    out.push('No resource of a known cloud service was found.', '');
  }
  const header = `| Service | Model | Resources | ${matrix.layers.map(layerTitle).join(' | ')} |`;
  const rule = `|---|---|---:|${matrix.layers.map(() => '---').join('|')}|`;
  for (const provider of matrix.providers) {
    out.push(`### ${escapeMarkdown(provider.name)}`, '', header, rule);
    for (const service of provider.services) {
      out.push(
        `| ${escapeMarkdown(service.name)} ${code(service.id)} | ${escapeMarkdown(service.model)} | ${service.resources.length} | ${service.cells.map(cellText).join(' | ')} |`,
      );
    }
    out.push('');
  }
  const services = matrix.providers.flatMap((p) => p.services);
  const withFindings = services.filter((svc) => svc.cells.some((c) => c.findings.length > 0));
  if (withFindings.length > 0) {
    out.push('### Open findings', '');
    for (const service of withFindings) {
      for (const cell of service.cells) {
        for (const f of cell.findings) {
          out.push(
            `- ${code(`${f.file}:${f.line}`)} **${f.severity}** ${code(f.ruleId)} ${escapeMarkdown(f.message)} — ${escapeMarkdown(service.name)} · ${cell.layer}`,
          );
        }
      }
    }
    out.push('');
  }
  const withGaps = services.filter((svc) => svc.cells.some((c) => c.gaps.length > 0));
  if (withGaps.length > 0) {
    out.push('### Responsibility gaps', '');
    for (const service of withGaps) {
      for (const cell of service.cells) {
        for (const g of cell.gaps) {
          out.push(
            `- ${code(`${g.file}:${g.line}`)} ${code(g.resource)}: **${escapeMarkdown(g.duty)}** is not configured (${escapeMarkdown(service.name)} · ${cell.layer})${fulfilHint(g.fulfilledBy)}`,
          );
        }
      }
    }
    out.push('');
  }
  out.push(...inventory(services, matrix));
  return out.join('\n').trimEnd() + '\n';
}

/** "— set `logging` or add an `aws_s3_bucket_logging` resource" from a duty's `fulfilledBy`. */
function fulfilHint(ways: readonly string[]): string {
  if (ways.length === 0) {
    return '';
  }
  const settings = ways.filter((w) => !w.startsWith('resource:')).map(code);
  const companions = ways.filter((w) => w.startsWith('resource:')).map((w) => code(w.slice('resource:'.length)));
  const parts = [
    ...(settings.length > 0 ? [`set ${settings.join(' or ')}`] : []),
    ...(companions.length > 0 ? [`add a companion ${companions.join(' or ')} resource for it`] : []),
  ];
  return ` — ${parts.join(', or ')}`;
}

/** The inventory, folded: every resource of every service with its place. */
function inventory(services: readonly MatrixService[], matrix: MatrixData): string[] {
  if (services.length === 0 && matrix.unlisted.length === 0) {
    return [];
  }
  const out = ['<details><summary>Inventory</summary>', ''];
  for (const service of services) {
    out.push(`- **${escapeMarkdown(service.name)}** (${service.resources.length})`);
    for (const r of service.resources) {
      out.push(`  - ${code(r.address)} ${code(r.type)} ${code(`${r.file}:${r.line}`)}`);
    }
  }
  if (matrix.unlisted.length > 0) {
    out.push('', 'Not in the services catalog yet:', '');
    for (const u of matrix.unlisted) {
      out.push(`- ${code(u.type)} (${u.resources.length}): ${u.resources.map((r) => code(`${r.file}:${r.line}`)).join(', ')}`);
    }
  }
  out.push('', '</details>');
  return out;
}
