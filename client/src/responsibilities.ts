/**
 * The command behind each resource's code lens: lists the resource's customer-owned settings and duties in a quick
 * pick (open findings and gaps first) and reveals the one picked in the editor.
 */
import * as vscode from 'vscode';
import { SHOW_RESOURCE_RESPONSIBILITIES_COMMAND, type ResponsibilityItem, type ShowResponsibilitiesArgs } from '../../server/src/protocol';

/** The icon and order of each state: what needs the user's attention first. */
const STATES: Record<ResponsibilityItem['state'], { icon: string; word: string; order: number }> = {
  open: { icon: '$(error)', word: 'open', order: 0 },
  gap: { icon: '$(warning)', word: 'gap', order: 1 },
  unknown: { icon: '$(question)', word: 'unknown', order: 2 },
  accepted: { icon: '$(circle-slash)', word: 'accepted', order: 3 },
  secure: { icon: '$(pass)', word: 'secure', order: 4 },
  provider: { icon: '$(cloud)', word: 'provider default', order: 5 },
};

/** A quick pick entry that remembers its item. */
interface Entry extends vscode.QuickPickItem {
  item: ResponsibilityItem;
}

/** Registers the code lens command. */
export function registerResponsibilitiesCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_RESOURCE_RESPONSIBILITIES_COMMAND, async (args: ShowResponsibilitiesArgs | undefined) => {
    if (!args || !Array.isArray(args.items)) {
      return;
    }
    const entries: Entry[] = [...args.items]
      .sort((a, b) => STATES[a.state].order - STATES[b.state].order)
      .map((item) => ({
        label: `${STATES[item.state].icon} ${item.label}`,
        description: `${STATES[item.state].word} · ${item.description}`,
        detail: item.detail,
        item,
      }));
    const picked = await vscode.window.showQuickPick(entries, {
      title: `Customer-owned settings of ${args.resource}`,
      placeHolder: 'Pick one to go to it',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) {
      return;
    }
    const position = new vscode.Position(picked.item.line, picked.item.character);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  });
}
