/**
 * Whether this page or process may generate code, as far as can be told without trying.
 * Trying `new Function` where a Content-Security-Policy forbids it throws, and also files
 * a violation report (a `securitypolicyviolation` event, and a POST to the policy's
 * `report-uri`/`report-to`). So `compile: 'auto'` asks here first.
 *
 * What can be read without trying: policies delivered in `<meta http-equiv="Content-Security-Policy">`
 * tags, the policy of a browser-extension page (from its manifest, or Manifest V3's
 * default), and an earlier refusal in this realm. What cannot: a policy sent as an HTTP
 * header (the usual case), which script cannot read. There the first load tries once and
 * may file one report; later loads in the same realm remember the refusal and do not try.
 */

/** `true`: allowed; `false`: forbidden; `'unknown'`: only trying would tell. */
export type CodeGenerationAllowed = boolean | 'unknown';

/** What {@link codeGenerationPolicy} could find out. */
export interface CodeGenerationPolicy {
  /** `new Function` / `eval` ('unsafe-eval'). */
  readonly javascript: CodeGenerationAllowed;
  /** Compiling WebAssembly from bytes ('wasm-unsafe-eval' or 'unsafe-eval'). */
  readonly webassembly: CodeGenerationAllowed;
}

interface MetaElement {
  getAttribute(name: string): string | null;
}
interface ExtensionManifest {
  manifest_version?: number;
  content_security_policy?: string | { extension_pages?: string };
}
interface Realm {
  document?: { querySelectorAll?(selector: string): ArrayLike<MetaElement> };
  location?: { protocol?: string };
  chrome?: { runtime?: { getManifest?(): ExtensionManifest } };
  browser?: { runtime?: { getManifest?(): ExtensionManifest } };
}

/** Manifest V3's policy for extension pages when the manifest sets none. */
const MV3_DEFAULT_POLICY = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';";

let refused: { javascript: boolean; webassembly: boolean } = { javascript: false, webassembly: false };

/**
 * What the policies this code can see allow, combined with any refusal already met in
 * this realm (see {@link noteCodeGenerationRefused}).
 *
 * @example
 * // <meta http-equiv="Content-Security-Policy" content="script-src 'self' 'wasm-unsafe-eval'">
 * codeGenerationPolicy() // => { javascript: false, webassembly: true }
 */
export function codeGenerationPolicy(): CodeGenerationPolicy {
  let javascript: CodeGenerationAllowed = refused.javascript ? false : 'unknown';
  let webassembly: CodeGenerationAllowed = refused.webassembly ? false : 'unknown';
  for (const policy of visiblePolicies()) {
    const sources = scriptSources(policy);
    // A policy without script-src or default-src restricts neither.
    if (sources === null) continue;
    if (!sources.includes("'unsafe-eval'")) {
      javascript = false;
      if (!sources.includes("'wasm-unsafe-eval'")) webassembly = false;
    }
  }
  // Only a policy we can read can allow: an unreadable header may still forbid.
  return { javascript, webassembly };
}

/**
 * Remembers that generating code was refused here, so later loads need not try again
 * (and file another violation report).
 *
 * @example
 * try { new Function('') } catch (e) { if (e instanceof EvalError) noteCodeGenerationRefused('javascript'); }
 */
export function noteCodeGenerationRefused(kind: 'javascript' | 'webassembly'): void {
  refused = { ...refused, [kind]: true };
}

/** The policy texts this code can read: meta tags and, on an extension page, the manifest's. */
function visiblePolicies(): string[] {
  const realm = globalThis as Realm;
  const out: string[] = [];
  try {
    const metas = realm.document?.querySelectorAll?.('meta[http-equiv]') ?? [];
    for (let i = 0; i < metas.length; i++) {
      if ((metas[i].getAttribute('http-equiv') ?? '').toLowerCase() === 'content-security-policy') out.push(metas[i].getAttribute('content') ?? '');
    }
    if (/^(chrome|moz|safari-web|ms-browser)-extension:$/.test(realm.location?.protocol ?? '')) {
      const manifest = (realm.browser ?? realm.chrome)?.runtime?.getManifest?.();
      if (manifest?.manifest_version === 3) {
        const csp = manifest.content_security_policy;
        out.push((typeof csp === 'object' ? csp.extension_pages : undefined) ?? MV3_DEFAULT_POLICY);
      }
    }
  } catch {
    // A hostile or half-built DOM: read nothing rather than fail a model load.
  }
  return out;
}

/** The source list that governs scripts (script-src, else default-src), lower-cased, or null when neither is set. */
function scriptSources(policy: string): string[] | null {
  let fallback: string[] | null = null;
  for (const directive of policy.split(';')) {
    const [name, ...values] = directive.trim().toLowerCase().split(/\s+/);
    if (name === 'script-src') return values;
    if (name === 'default-src') fallback = values;
  }
  return fallback;
}
