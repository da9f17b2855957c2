// The settings modules of the workspace, summarized, with each entry point's effective settings computed on
// demand and kept until a settings module changes.
import { evaluateSettings, type EffectiveSettings } from './settings-eval';
import { resolveStarImport, type SettingsModule } from './settings';

export class SettingsIndex {
  private readonly modules = new Map<string, SettingsModule>();
  private readonly effective = new Map<string, EffectiveSettings>();
  private importedCache?: Set<string>;
  private changes = 0;

  get size(): number {
    return this.modules.size;
  }

  /** Grows whenever a module is set or removed: what was worked out from the index before is stale. */
  get generation(): number {
    return this.changes;
  }

  set(path: string, module: SettingsModule | undefined): void {
    if (module) this.modules.set(path, module);
    else if (!this.modules.delete(path)) return;
    this.changes++;
    this.effective.clear();
    this.importedCache = undefined;
  }

  module(path: string): SettingsModule | undefined {
    return this.modules.get(path);
  }

  /** `from .base import *` inside the workspace: only to modules we know as settings modules. */
  resolveImport = (fromPath: string, module: string): string | undefined => resolveStarImport(fromPath, module, (path) => this.modules.has(path));

  private imported(): Set<string> {
    if (!this.importedCache) {
      this.importedCache = new Set();
      for (const module of this.modules.values()) {
        for (const statement of module.statements) {
          if (statement.kind !== 'star-import') continue;
          const target = this.resolveImport(module.path, statement.module);
          if (target && target !== module.path) this.importedCache.add(target);
        }
      }
    }
    return this.importedCache;
  }

  /**
   * Settings modules no other workspace settings module star-imports (SPEC §3), and those the project names in
   * DJANGO_SETTINGS_MODULE (`saleor/settings.py`, which its `tests/settings.py` star-imports, is what runs).
   */
  entryPoints(): string[] {
    const imported = this.imported();
    return [...this.modules].filter(([path, module]) => !imported.has(path) || module.namedByProject).map(([path]) => path).sort();
  }

  evaluate(entryPoint: string): EffectiveSettings {
    let found = this.effective.get(entryPoint);
    if (!found) {
      found = evaluateSettings(entryPoint, (path) => this.modules.get(path), this.resolveImport);
      this.effective.set(entryPoint, found);
    }
    return found;
  }

  /** The entry points whose settings include `path` (itself when it is one). */
  entryPointsIncluding(path: string): EffectiveSettings[] {
    return this.entryPoints().map((entry) => this.evaluate(entry)).filter((settings) => settings.modules.includes(path));
  }
}
