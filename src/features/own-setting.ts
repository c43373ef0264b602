/**
 * Reads a per-column setting from a Map or a plain object without touching its prototype.
 *
 * @example
 * ownSetting({ id: "string" }, "id") // => "string"
 * ownSetting({}, "constructor")    // => undefined
 */
export function ownSetting<T>(
  settings: ReadonlyMap<string, T> | Readonly<Record<string, T>> | undefined,
  name: string,
): T | undefined {
  if (!settings) return undefined;
  if (settings instanceof Map) return settings.get(name);
  return Object.prototype.hasOwnProperty.call(settings, name) ? (settings as Record<string, T>)[name] : undefined;
}
