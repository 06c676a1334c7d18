/**
 * The user's settings as the server applies them: read through `workspace/configuration` (or from
 * `didChangeConfiguration`'s payload and `initializationOptions` for clients that cannot answer it), normalised so
 * that a malformed value falls back to its default instead of breaking analysis.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, type OnusSettings, type SeveritySetting } from '../protocol';

const SEVERITIES: readonly SeveritySetting[] = ['low', 'medium', 'high', 'critical'];

/** Turns whatever the client sent for the `onus` section into complete, valid settings. */
export function normalizeSettings(raw: unknown): OnusSettings {
  const section = isRecord(raw) ? raw : {};
  const enable = typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable;
  // Unset (null) leaves the minimum severity to the repository's `.onus.yaml`.
  const severity =
    typeof section.severity === 'string' && (SEVERITIES as readonly string[]).includes(section.severity)
      ? (section.severity as SeveritySetting)
      : DEFAULT_SETTINGS.severity;
  // VS Code sends `rules.disabled` nested; flat clients may send the dotted key.
  const rules = isRecord(section.rules) ? section.rules : {};
  const codeLens = isRecord(section.codeLens) ? section.codeLens.enable : section['codeLens.enable'];
  const maxFileSize =
    typeof section.maxFileSize === 'number' && Number.isFinite(section.maxFileSize) && section.maxFileSize > 0
      ? section.maxFileSize
      : DEFAULT_SETTINGS.maxFileSize;
  return {
    enable,
    severity,
    rules: { disabled: ruleIds(rules.disabled ?? section['rules.disabled']), enabled: ruleIds(rules.enabled ?? section['rules.enabled']) },
    codeLens: { enable: typeof codeLens === 'boolean' ? codeLens : DEFAULT_SETTINGS.codeLens.enable },
    maxFileSize,
  };
}

/** A list of rule ids from a setting: strings only, trimmed, without duplicates or empties. */
function ruleIds(raw: unknown): string[] {
  return Array.isArray(raw)
    ? [...new Set(raw.filter((id): id is string => typeof id === 'string').map((id) => id.trim()))].filter((id) => id.length > 0)
    : [];
}

/** Whether two settings values lead to the same analysis and publication. */
export function settingsEqual(a: OnusSettings, b: OnusSettings): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((id, i) => id === y[i]);
  return (
    a.enable === b.enable &&
    a.severity === b.severity &&
    a.codeLens.enable === b.codeLens.enable &&
    a.maxFileSize === b.maxFileSize &&
    same(a.rules.disabled, b.rules.disabled) &&
    same(a.rules.enabled, b.rules.enabled)
  );
}

/** Holds the current settings and refreshes them from the client; applied without restarting the server. */
export class SettingsStore {
  private current: OnusSettings = DEFAULT_SETTINGS;

  /** Set during `initialize`: whether the client answers `workspace/configuration`. */
  canPullConfiguration = false;

  /** The settings in force now. */
  get settings(): OnusSettings {
    return this.current;
  }

  /** Replaces the settings from an explicit payload (initialization options, a push-style configuration change). */
  applyPayload(raw: unknown): boolean {
    const isRoot = isRecord(raw) && SETTINGS_SECTION in raw;
    return this.replace(normalizeSettings(isRoot ? raw[SETTINGS_SECTION] : raw));
  }

  /**
   * Re-reads the settings: pulled from the client when it supports that, else from `pushed` (the
   * `didChangeConfiguration` payload). Returns whether anything changed.
   */
  async refresh(connection: Connection, pushed?: unknown): Promise<boolean> {
    if (this.canPullConfiguration) {
      const pulled: unknown = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
      return this.replace(normalizeSettings(pulled));
    }
    return pushed === undefined ? false : this.applyPayload(pushed);
  }

  private replace(next: OnusSettings): boolean {
    if (settingsEqual(this.current, next)) {
      return false;
    }
    this.current = next;
    return true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
