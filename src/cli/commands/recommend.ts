import { resolve } from 'node:path';
import { recommendCategories, type CategoryRecommendation, type CustomerFormInput } from '../../category/index.js';
import { InputError } from '../../errors.js';
import { loadBundle } from '../../node/load-bundle.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { defaultBundleDir } from './bundle-dir.js';
import { readNamedFile } from '../system-error.js';

const usage = `usage: retail-ml recommend [--bundle <dir>] --customer <json | file.json> [--json]
         [--match-categories exact|normalized]
  Scores one customer form through a category-recommender bundle (default: the shipped
  models/category-recommender) and prints the top categories with probabilities.
  The customer JSON has customer_id, name, email, location, age, last_login_days and
  prefers_discount (true/false or "Yes"/"No"). With --json prints {"top":[{"label","probability"},...],
  "unknownCategories":[...],"normalizedCategories":[...],"conflicts":[...],"missingFeatures":[...]},
  the notes the text form prints. --match-categories normalized matches a category ignoring case
  and spaces ("delhi" finds "Delhi"); the default, exact, reports it as unknown.`;

export const recommendCommand: Command = {
  summary: 'top product categories for one customer form, from a model bundle',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['bundle', 'customer', 'match-categories'], flags: ['json'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const bundleDir = resolve(io.cwd, option(args, 'bundle') ?? defaultBundleDir(io.cwd));
    const customer = await readCustomer(requireOption(args, 'customer'), io.cwd);
    const bundle = await loadBundle(bundleDir);
    const matchCategories = option(args, 'match-categories') ?? 'exact';
    if (matchCategories !== 'exact' && matchCategories !== 'normalized') throw new UsageError(`--match-categories must be exact or normalized, got '${matchCategories}'`);
    // The form is untrusted JSON: recommendCategories validates it at run time, whatever its static type.
    const result = recommendCategories(customer as CustomerFormInput, bundle, { matchCategories });
    if (args.flags.has('json')) {
      const { top, unknownCategories, normalizedCategories, conflicts, missingFeatures } = result;
      io.stdout(JSON.stringify({ top, unknownCategories, normalizedCategories, conflicts, missingFeatures }) + '\n');
    }
    else io.stdout(formatRecommendation(result));
    return 0;
  },
};

async function readCustomer(value: string, cwd: string): Promise<unknown> {
  const text = value.trimStart().startsWith('{') ? value : await readNamedFile(resolve(cwd, value));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`--customer is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The "Top Recommendations" block the seed app showed, plus what the result reports.
 *
 * @example
 * formatRecommendation(recommendCategories(form, bundle))
 */
export function formatRecommendation(r: CategoryRecommendation): string {
  const width = Math.max(...r.top.map((t) => String(t.label).length));
  const lines = ['Top Recommendations:'];
  r.top.forEach((t, i) => lines.push(`  ${i + 1}. ${String(t.label).padEnd(width)}  ${(t.probability * 100).toFixed(2).padStart(6)}%`));
  if (r.tablesWithoutRow.length) lines.push(`  note: no stored row for this customer in: ${r.tablesWithoutRow.join(', ')}`);
  if (r.missingFeatures.length) lines.push(`  note: features nobody provided (filled): ${r.missingFeatures.join(', ')}`);
  for (const m of r.normalizedCategories) lines.push(`  note: ${m.feature} ${JSON.stringify(m.value)} matched the known ${JSON.stringify(m.category)}`);
  for (const u of r.unknownCategories) lines.push(`  note: unknown ${u.feature} ${JSON.stringify(u.value)} (encoded as none of the known ones)`);
  for (const c of r.conflicts) {
    const others = c.overridden.map((o) => `${o.source}=${o.value}`).join(', ');
    lines.push(`  note: ${c.column}: used ${c.used.source}=${c.used.value} over ${others}`);
  }
  return lines.join('\n') + '\n';
}
