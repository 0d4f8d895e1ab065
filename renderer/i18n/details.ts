// Error details that are OOM Lab's own sentences (main's UserError messages,
// the SSH layer's connect failures) arrive in English; this table turns them
// into the current language. Anything else (the kernel's, sshd's or a system
// call's own words) is shown as it came. The parts captured by name (hosts,
// paths, a system's reason) are kept verbatim.

import type { MessageKey } from './messages';
import type { Translate } from './i18n';

const DETAILS: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^Connection cancelled\.$/, 'detail.cancelled'],
  [/^Connect to (?<host>.+) first\.$/, 'detail.connectFirst'],
  [/^Already connecting to (?<host>.+)\.$/, 'detail.alreadyConnecting'],
  [/^A run is already going on this host; stop it first\.$/, 'detail.runGoing'],
  [/^That question is no longer open \(the connection attempt ended\)\.$/, 'detail.promptGone'],
  [/^No scenario with id (?<id>.+)\.$/, 'detail.noScenario'],
  [/^No bundled recording named (?<name>.+)\.$/, 'detail.noDemo'],
  [/^Cannot open (?<path>.+): no such file\.$/, 'detail.noSuchFile'],
  [/^(?<path>.+) is (?<mib>\d+) MiB; recordings larger than 512 MiB are not opened\.$/, 'detail.tooLarge'],
  [/^(?<host>[^\s:]+): the kernel log cannot be read \(no \/dev\/kmsg, dmesg or journalctl access\), so OOM kills would go unseen\.$/, 'detail.noKernelLog'],
  [/^(?<host>[^\s:]+): cannot create memory cgroups \((?<why>.*)\)\.$/, 'detail.noCgroups'],
  [/^connection to (?<host>\S+) timed out after (?<s>[\d.]+) s$/, 'detail.timedOut'],
  [/^connection to (?<host>\S+) closed during setup$/, 'detail.closedSetup'],
  [/^connection to (?<host>\S+) lost: (?<why>.+)$/, 'detail.lost'],
  [/^connection to (?<host>\S+) was closed$/, 'detail.closed'],
  [/^cannot connect to (?<host>\S+): (?<why>.+)$/, 'detail.cannotConnect'],
  [/^authentication failed for (?<host>\S+): tried (?<tried>.+)$/, 'detail.authFailed'],
];

export interface Detail {
  text: string;
  /** false: not one of ours, shown in the words it came in. */
  translated: boolean;
}

export function translateDetail(message: string, t: Translate): Detail {
  for (const [re, key] of DETAILS) {
    const m = re.exec(message);
    if (m) return { text: t(key, { ...m.groups }), translated: true };
  }
  return { text: message, translated: false };
}

/** For tests: every pattern with the key it maps to. */
export const detailPatterns = DETAILS;
