import { describe, expect, it } from 'vitest';
import { HelpRequested, parseArgs, rejectUnknownOptions, UsageError, wantsHelp } from '../../src/cli/args.js';

describe('parseArgs over node:util', () => {
  it('reads repeated options, =values, flags and positionals', () => {
    const a = parseArgs(['fit', '--user', 'a', '--user=b', '--json', '--k', '3', '--', '--not-an-option'], { options: ['user', 'k'], flags: ['json'] });
    expect(a.positionals).toEqual(['fit', '--not-an-option']);
    expect([...a.options]).toEqual([
      ['user', ['a', 'b']],
      ['k', ['3']],
    ]);
    expect([...a.flags]).toEqual(['json']);
  });
  it('lists the valid options for an unknown one, and throws HelpRequested for --help/-h', () => {
    expect(() => parseArgs(['--k', '3', '--kk', '4'], { options: ['k'], flags: ['json'] })).toThrow(new UsageError('unknown option --kk (valid: --json, --k)'));
    expect(() => parseArgs(['-x'], {})).toThrow(new UsageError('unknown option -x (this command takes no options)'));
    expect(() => parseArgs(['--k', '3', '-h'], { options: ['k'] })).toThrow(HelpRequested);
    expect(wantsHelp(['--', '-h'])).toBe(false);
  });
  it('keeps the older parseArgs(argv, flags) form working for commands written against it', () => {
    const a = parseArgs(['--model', 'm.json', '--json'], ['json']);
    expect(a.options.get('model')).toEqual(['m.json']);
    expect(a.flags.has('json')).toBe(true);
    expect(() => rejectUnknownOptions(parseArgs(['--modle', 'x'], []), ['model'])).toThrow(new UsageError('unknown option --modle (valid: --model)'));
  });
});
