// The udev rules the deb installs: every line must be a rule udev accepts
// (a bad line is skipped by udev with only a log message, so a technician
// would just see "permission denied"), and they must reach the devices the
// console talks to, through logind's per-seat ACL rather than world access.
// Debian 12's udev (systemd 252) has no `udevadm verify` (systemd 254+), so
// the syntax is checked here against udev(7).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RULES_PATH = path.resolve(import.meta.dirname, '..', 'build', 'linux', '60-zte-update-console.rules');

interface UdevPair {
  key: string;
  operator: string;
  value: string;
}

const MATCH_KEYS = new Set(['SUBSYSTEM', 'SUBSYSTEMS', 'KERNEL', 'KERNELS', 'DRIVER', 'DRIVERS', 'ACTION']);
const ASSIGN_KEYS = new Set(['TAG', 'MODE', 'GROUP', 'OWNER', 'SYMLINK']);
const ATTR_KEY = /^(ATTRS|ATTR|ENV)\{[A-Za-z0-9_.-]+\}$/;
const MATCH_OPERATORS = new Set(['==', '!=']);
const ASSIGN_OPERATORS = new Set(['=', '+=', '-=', ':=']);
// key, operator, double-quoted value (udev allows no escapes we use), then a comma or the end.
const PAIR = /^\s*([A-Z]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/;

/** Splits one rule line into its key/operator/value pairs; throws on anything udev would reject. */
function parseRuleLine(line: string): UdevPair[] {
  const pairs: UdevPair[] = [];
  let rest = line;
  while (rest.trim() !== '') {
    const match = PAIR.exec(rest);
    if (!match) throw new Error(`not a key/operator/"value" pair: ${rest.trim()}`);
    const [whole, key, operator, value, separator] = match as unknown as [string, string, string, string, string];
    const isMatchKey = MATCH_KEYS.has(key) || key.startsWith('ATTRS{');
    const isAssignKey = ASSIGN_KEYS.has(key);
    const isEither = ATTR_KEY.test(key) && !key.startsWith('ATTRS{');
    if (!isMatchKey && !isAssignKey && !isEither) throw new Error(`unknown key ${key}`);
    if (MATCH_OPERATORS.has(operator) && !isMatchKey && !isEither) throw new Error(`${key} cannot be matched with ${operator}`);
    if (ASSIGN_OPERATORS.has(operator) && !isAssignKey && !isEither) throw new Error(`${key} cannot be assigned with ${operator}`);
    pairs.push({ key, operator, value });
    rest = rest.slice(whole.length);
    if (separator === ',' && rest.trim() === '') throw new Error('trailing comma');
  }
  if (pairs.length === 0) throw new Error('empty rule');
  return pairs;
}

async function ruleLines(): Promise<string[]> {
  const text = await readFile(RULES_PATH, 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

function vendorsGranted(rules: UdevPair[][], subsystem: string): Set<string> {
  const vendors = new Set<string>();
  for (const rule of rules) {
    const grants = rule.some((p) => p.key === 'TAG' && p.operator === '+=' && p.value === 'uaccess');
    const forSubsystem = rule.some((p) => p.key === 'SUBSYSTEM' && p.operator === '==' && p.value === subsystem);
    const vendor = rule.find((p) => p.key === 'ATTRS{idVendor}' && p.operator === '==');
    if (grants && forSubsystem && vendor) vendors.add(vendor.value);
  }
  return vendors;
}

describe('udev rules parser', () => {
  it('accepts a well-formed rule and splits it into pairs', () => {
    expect(parseRuleLine('SUBSYSTEM=="tty", ATTRS{idVendor}=="0403", TAG+="uaccess"')).toEqual([
      { key: 'SUBSYSTEM', operator: '==', value: 'tty' },
      { key: 'ATTRS{idVendor}', operator: '==', value: '0403' },
      { key: 'TAG', operator: '+=', value: 'uaccess' },
    ]);
  });

  it.each([
    ['SUBSYSTEM=="tty" TAG+="uaccess"', /pair/],
    ['SUBSYSTEM=="tty", ATTRS{idVendor}==0403', /pair/],
    ['SUBSYSTEM=="tty", TAG+="uaccess",', /trailing comma/],
    ['SUBSYTEM=="tty"', /unknown key/],
    ['TAG=="uaccess"', /cannot be matched/],
    ['ATTRS{idVendor}="0403"', /cannot be assigned/],
  ])('rejects %s', (line, reason) => {
    expect(() => parseRuleLine(line)).toThrow(reason);
  });
});

describe('60-zte-update-console.rules', () => {
  it('has only syntactically valid rule lines', async () => {
    const lines = await ruleLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => parseRuleLine(line), line).not.toThrow();
  });

  it('gives the seat user ZTE terminals, as USB devices and as serial ports', async () => {
    const rules = (await ruleLines()).map(parseRuleLine);
    expect(vendorsGranted(rules, 'usb')).toContain('19d2');
    expect(vendorsGranted(rules, 'tty')).toContain('19d2');
  });

  it('gives the seat user the FTDI, Prolific, CP210x and CH340 serial adapters', async () => {
    const rules = (await ruleLines()).map(parseRuleLine);
    const serial = vendorsGranted(rules, 'tty');
    for (const vendor of ['0403', '067b', '10c4', '1a86']) expect(serial, vendor).toContain(vendor);
  });

  it('grants through uaccess, never by opening devices to everyone', async () => {
    const rules = (await ruleLines()).map(parseRuleLine);
    for (const rule of rules) {
      expect(rule.some((p) => p.key === 'TAG' && p.value === 'uaccess')).toBe(true);
      const mode = rule.find((p) => p.key === 'MODE');
      if (mode) expect(Number.parseInt(mode.value, 8) & 0o006, `MODE="${mode.value}" lets every account in`).toBe(0);
    }
  });

  it('sorts before 73-seat-late.rules, which turns the uaccess tag into an ACL', () => {
    const order = Number.parseInt(path.basename(RULES_PATH), 10);
    expect(order).toBeLessThan(73);
  });
});
