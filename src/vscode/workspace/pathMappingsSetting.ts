/**
 * `traceLens.pathMappings` as the core's PathMappings: user and workspace values, then each folder's own
 * (a folder's `.vscode/settings.json` in a multi-root workspace), where `${workspaceFolder}` means that
 * folder. Pure: the controller passes the values `inspect()` gives; anything malformed is reported, not thrown.
 */
import type { PathMappings } from '../../core/codeLocation/pathMapper';

export interface FolderSettingValue {
  /** the folder's name as `${workspaceFolder:name}` knows it */
  name: string;
  value: unknown;
}

export interface PathMappingsSetting {
  mappings: PathMappings;
  /** for the log: entries ignored and keys that two scopes map differently */
  warnings: string[];
}

const PLAIN_FOLDER_VARIABLE = /\$\{workspaceFolder\}/g;

/** `general` is the user/workspace value, `folders` each folder's own; a later scope wins a key. */
export function readPathMappings(general: unknown, folders: readonly FolderSettingValue[] = []): PathMappingsSetting {
  const mappings: Record<string, string> = Object.create(null) as Record<string, string>;
  const warnings: string[] = [];
  const read = (value: unknown, scope: string, folder: string | undefined): void => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      warnings.push(`traceLens.pathMappings (${scope}) must be an object of "foreign prefix": "local path"; it is ignored`);
      return;
    }
    for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
      if (typeof to !== 'string' || to.trim() === '' || from.trim() === '') {
        warnings.push(`traceLens.pathMappings (${scope}): "${from}" needs a local path as a string; it is ignored`);
        continue;
      }
      const local = folder === undefined ? to.trim() : to.trim().replace(PLAIN_FOLDER_VARIABLE, `\${workspaceFolder:${folder}}`);
      const key = from.trim();
      const before = mappings[key];
      if (before !== undefined && before !== local)
        warnings.push(`traceLens.pathMappings: "${key}" is mapped to "${before}" and "${local}"; "${local}" (${scope}) wins`);
      mappings[key] = local;
    }
  };
  read(general, 'settings', undefined);
  for (const f of folders) read(f.value, `folder ${f.name}`, f.name);
  return { mappings: { ...mappings }, warnings };
}
