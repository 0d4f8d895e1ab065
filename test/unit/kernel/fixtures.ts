// The kmsg fixtures and what each one shows, read off the logs by hand (not
// produced by the parser). Sources: test/fixtures/kmsg/SOURCES.md.

import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/kmsg/', import.meta.url));

export function readFixture(file: string): string {
  return readFileSync(FIXTURE_DIR + file, 'utf8');
}

export interface ExpectedKill {
  pid: number;
  comm: string;
  /** The limit's cgroup, "global", or "unknown" when the excerpt does not name it. */
  memcg: string;
  taskMemcg?: string | null;
  selectedPid?: number | null;
  anonRssKb?: number | null;
  oomScoreAdj?: number | null;
  containerId?: string | null;
  podUid?: string | null;
  qosClass?: 'guaranteed' | 'burstable' | 'besteffort' | null;
  /** An oom_reaper line for this pid follows. */
  reaped?: boolean;
  /** The kill line itself is missing from the excerpt. */
  truncated?: boolean;
  uptimeSec?: number | null;
  wall?: string | null;
}

export interface ExpectedIncomplete {
  memcg: string;
  taskMemcg?: string | null;
  invokerComm?: string | null;
}

export interface Fixture {
  file: string;
  source: string;
  kills: ExpectedKill[];
  incomplete?: ExpectedIncomplete[];
}

const LOCAL = 'captured on this machine, kernel 6.18.44, cgroup v1 (capture-local.sh)';

const plainKill = (memcgName: string): ExpectedKill => ({ pid: 20885, comm: 'stress', memcg: memcgName, taskMemcg: memcgName, anonRssKb: 32384, oomScoreAdj: 0 });

const KUBE_V1 = '/oomlab-fixture-3d4939fb/kubepods/burstable/pod7d3ab2b4-56c1-4c0e-9a0e-2f1d8c6b0a11';
const KUBE_SD = '/oomlab-fixture-3aa86ba4/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0e2c4f6a_8b1d_4e3f_a5c7_9d0b2e4f6a8c.slice';

export const FIXTURES: Fixture[] = [
  { file: 'local-6.18-plain.raw.log', source: `${LOCAL}, dmesg`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), uptimeSec: 472.033124 }] },
  { file: 'local-6.18-plain.ctime.log', source: `${LOCAL}, dmesg -T`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), wall: '2026-11-23T14:50:08' }] },
  { file: 'local-6.18-plain.iso.log', source: `${LOCAL}, dmesg --time-format iso`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), wall: '2026-11-23T14:50:08.033124+00:00' }] },
  { file: 'local-6.18-plain.level.log', source: `${LOCAL}, dmesg -r`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), uptimeSec: 472.033124 }] },
  { file: 'local-6.18-plain.decode.log', source: `${LOCAL}, dmesg -x`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), uptimeSec: 472.033124 }] },
  { file: 'local-6.18-plain.kmsg.log', source: `${LOCAL}, /dev/kmsg records`, kills: [{ ...plainKill('/oomlab-fixture-7ce5e987'), uptimeSec: 472.033124 }] },
  {
    file: 'local-6.18-score-adj.raw.log',
    source: `${LOCAL}, oom_score_adj 500`,
    kills: [{ pid: 21101, comm: 'stress', memcg: '/oomlab-fixture-b2019121', anonRssKb: 32384, oomScoreAdj: 500 }],
  },
  {
    file: 'local-6.18-two-workers.raw.log',
    source: `${LOCAL}, stress --vm 2`,
    kills: [
      { pid: 21202, comm: 'stress', memcg: '/oomlab-fixture-a5f0f579', anonRssKb: 20608 },
      { pid: 21201, comm: 'stress', memcg: '/oomlab-fixture-a5f0f579', anonRssKb: 11648 },
    ],
  },
  {
    file: 'local-6.18-two-workers.ctime.log',
    source: `${LOCAL}, stress --vm 2, dmesg -T`,
    kills: [
      { pid: 21202, comm: 'stress', memcg: '/oomlab-fixture-a5f0f579' },
      { pid: 21201, comm: 'stress', memcg: '/oomlab-fixture-a5f0f579' },
    ],
  },
  { file: 'local-6.18-oom-kill-disable.raw.log', source: `${LOCAL}, oom_control 1 then 0`, kills: [{ pid: 21309, comm: 'stress', memcg: '/oomlab-fixture-b640c0b6' }] },
  {
    file: 'local-6.18-kubepods.raw.log',
    source: `${LOCAL}, cgroupfs kubepods layout`,
    kills: [
      {
        pid: 21411,
        comm: 'stress',
        memcg: KUBE_V1,
        taskMemcg: `${KUBE_V1}/3f0b6c9d1e2a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678`,
        podUid: '7d3ab2b4-56c1-4c0e-9a0e-2f1d8c6b0a11',
        qosClass: 'burstable',
        containerId: '3f0b6c9d1e2a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      },
    ],
  },
  {
    file: 'local-6.18-kubepods-systemd.raw.log',
    source: `${LOCAL}, systemd kubepods layout`,
    kills: [
      {
        pid: 21515,
        comm: 'stress',
        memcg: KUBE_SD,
        taskMemcg: `${KUBE_SD}/cri-containerd-9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9.scope`,
        podUid: '0e2c4f6a-8b1d-4e3f-a5c7-9d0b2e4f6a8c',
        qosClass: 'besteffort',
        containerId: '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9',
      },
    ],
  },
  {
    file: 'local-6.18-docker-path.raw.log',
    source: `${LOCAL}, docker/<id> layout`,
    kills: [
      {
        pid: 21619,
        comm: 'stress',
        memcg: '/oomlab-fixture-26fcb31b/docker/c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5',
        containerId: 'c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5',
        podUid: null,
      },
    ],
  },
  { file: 'local-6.18-stress-ng.raw.log', source: `${LOCAL}, stress-ng`, kills: [{ pid: 21722, comm: 'stress-ng-vm', memcg: '/oomlab-fixture-b0be52de', oomScoreAdj: 1000 }] },
  ...(['ru_RU', 'fr_FR', 'zh_CN'] as const).map(
    (loc): Fixture => ({
      file: `local-6.18-ctime-${loc}.log`,
      source: `${LOCAL}: a lab run's kill as \`dmesg -T\` prints it in the ${loc} locale (weekday and month names localised)`,
      kills: [{ pid: 6128, comm: 'perl', memcg: '/oomlab/oomlab-test-wl-980c4a', taskMemcg: '/oomlab/oomlab-test-wl-980c4a/wl-ramp', wall: '2026-12-02T15:12:34' }],
    }),
  ),
  { file: 'local-6.18-odd-comm.raw.log', source: `${LOCAL}, renamed bash`, kills: [{ pid: 21815, comm: 'w/a (b) [c]', memcg: '/oomlab-fixture-7475d91d', anonRssKb: 31744 }] },

  ...(['raw', 'ctime', 'journal-short', 'journal-iso', 'journal-monotonic'] as const).map(
    (fmt): Fixture => ({
      file: `labvm-6.1-plain.${fmt}.log`,
      source: `captured on the lab VM, Debian 12 kernel 6.1, cgroup v2 (capture-labvm.ts), ${fmt}`,
      kills: [{ pid: 348, comm: 'stress', memcg: '/oomlab-fixture-216b5128', taskMemcg: '/oomlab-fixture-216b5128', anonRssKb: 32300, oomScoreAdj: 0 }],
    }),
  ),
  ...(['raw', 'journal-short'] as const).map(
    (fmt): Fixture => ({
      file: `labvm-6.1-oom-group.${fmt}.log`,
      source: `captured on the lab VM, Debian 12 kernel 6.1, cgroup v2, memory.oom.group=1 (capture-labvm.ts), ${fmt}`,
      kills: [
        { pid: 400, comm: 'stress', memcg: '/oomlab-fixture-8128b159', anonRssKb: 17996 },
        { pid: 399, comm: 'stress', memcg: '/oomlab-fixture-8128b159', anonRssKb: 96 },
        { pid: 401, comm: 'stress', memcg: '/oomlab-fixture-8128b159', anonRssKb: 14436 },
      ],
    }),
  ),

  {
    file: 'seed-000-docker-memcg-oneline.log',
    source: 'seeds/000_de550bb4547e4052.txt:102 (journalctl -k pasted as one line)',
    kills: [
      {
        pid: 11002,
        comm: 'mem_alloc',
        memcg: '/docker/9aa53161a9f95c6be87e448980332a151b0aeeb840ea4ca92dc96a64a03e3d33',
        anonRssKb: 1045716,
        oomScoreAdj: 0,
        containerId: '9aa53161a9f95c6be87e448980332a151b0aeeb840ea4ca92dc96a64a03e3d33',
        wall: 'Sep 13 20:05:55',
      },
    ],
  },
  {
    file: 'seed-001-k3s-pod-123mi.log',
    source: 'seeds/001_328c82e218572551.txt:47-88 (k3s, Ubuntu 4.15, dmesg -T)',
    kills: [
      {
        pid: 32308,
        comm: 'stress',
        memcg: '/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c',
        taskMemcg: '/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672',
        selectedPid: null,
        anonRssKb: 99620,
        oomScoreAdj: 939,
        podUid: 'bc001ffa-68fc-11e9-92d7-5ef9efd9374c',
        qosClass: 'burstable',
        containerId: 'a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672',
        reaped: true,
        wall: '2019-04-27T22:56:09',
      },
    ],
  },
  {
    file: 'seed-004-tke-kubepods.log',
    source: 'seeds/004_d3e6a7f345a2c2a5.txt:48-52 (TKE, dmesg | grep -A 20)',
    kills: [],
    incomplete: [
      {
        memcg: '/kubepods/burstable/pod0f5eb28f-6722-4cf5-ab0f-b62748c018d4',
        taskMemcg: '/kubepods/burstable/pod0f5eb28f-6722-4cf5-ab0f-b62748c018d4/0dc1822caf9e150de25daa1cf572418426ce6b72757b5efdff52acef348368a3',
      },
    ],
  },

  {
    file: 'pub-ltp-1080-rhel7-memcg-kills.log',
    source: 'https://github.com/linux-test-project/ltp/issues/1080',
    kills: [
      { pid: 42452, comm: 'memcg_test_1', memcg: 'unknown', anonRssKb: 96 },
      { pid: 42453, comm: 'memcg_test_1', memcg: 'unknown', selectedPid: null },
      { pid: 42474, comm: 'memcg_test_1', memcg: 'unknown' },
      { pid: 42471, comm: 'memcg_test_1', memcg: 'unknown' },
      { pid: 42468, comm: 'memcg_test_1', memcg: 'unknown' },
      { pid: 42469, comm: 'memcg_test_1', memcg: 'unknown', truncated: true },
    ],
  },
  {
    file: 'pub-ltp-1080-rhel7-task-in-cut.log',
    source: 'https://github.com/linux-test-project/ltp/issues/1080',
    kills: [],
    incomplete: [{ memcg: '/13', taskMemcg: '/13' }],
  },
  {
    file: 'pub-doris-3525-sacrificed-child.log',
    source: 'https://github.com/apache/doris/issues/3525',
    kills: [{ pid: 18177, comm: 'palo_be', memcg: 'unknown', selectedPid: 24984, anonRssKb: 45563572 }],
  },
  {
    // Older kernels' selection line with no "Killed process" after it: who was chosen, not a kill.
    file: 'pub-unixse-282155-selection-only.log',
    source: 'https://unix.stackexchange.com/questions/282155/what-is-the-out-of-memory-message-sacrifice-child',
    kills: [],
    incomplete: [{ memcg: 'global' }],
  },
  {
    file: 'pub-gpud-70-summary-lxc-kubepods.log',
    source: 'https://github.com/leptonai/gpud/pull/70',
    kills: [
      {
        pid: 461754,
        comm: 'pt_main_thread',
        memcg: '/lxc.payload....-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice',
        taskMemcg:
          '/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice/cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95.scope',
        podUid: 'eded8c65-6e8e-4c6e-a889-3e427565c740',
        qosClass: 'burstable',
        containerId: 'ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95',
        truncated: true,
      },
    ],
  },
  {
    file: 'pub-kubedirector-356-wrapped.log',
    source: 'https://github.com/bluek8s/kubedirector/issues/356',
    kills: [
      {
        pid: 62769,
        comm: 'cp', // the kill line is cut after "(": the name is the table's
        memcg: '/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
        taskMemcg: '/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
        selectedPid: 62685,
        oomScoreAdj: -998,
        podUid: '951f6bc5-c5a5-11ea-8707-80e455f266a2',
        qosClass: 'guaranteed',
        uptimeSec: 5193605.508964,
      },
    ],
  },
  {
    file: 'pub-kubernetes-56891-rhel7-dmesg-T.log',
    source: 'https://github.com/kubernetes/kubernetes/issues/56891',
    kills: [
      {
        pid: 28438,
        comm: 'java',
        // Only the stats block survived; it names the container's cgroup.
        memcg: '/kubepods/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/6895a3e13439535852d3184ac2aadd26d7363cc035f171545ec7d4ce74073b0b',
        selectedPid: 24572,
        anonRssKb: 466160,
        oomScoreAdj: -998,
        wall: '2017-12-07T00:05:15',
      },
    ],
    incomplete: [{ memcg: 'unknown', invokerComm: 'java' }],
  },
  {
    file: 'pub-docker-for-linux-1001-global-resolved.log',
    source: 'https://github.com/docker/for-linux/issues/1001',
    kills: [
      { pid: 15784, comm: 'python3', memcg: 'global', reaped: true, uptimeSec: 518.050606 },
      { pid: 15925, comm: '(resolved)', memcg: 'global', reaped: true },
      { pid: 15783, comm: 'python3', memcg: 'global', reaped: true },
      { pid: 15934, comm: '(resolved)', memcg: 'global', reaped: true },
    ],
  },
  {
    file: 'pub-docker-for-linux-1001-ratelimit-meminfo.log',
    source: 'https://github.com/docker/for-linux/issues/1001',
    kills: [],
    incomplete: [{ memcg: 'global', invokerComm: 'python3' }],
  },
  {
    file: 'pub-kubernetes-50632-quoted-rhel.log',
    source: 'https://github.com/kubernetes/kubernetes/issues/50632',
    kills: [799153, 799402, 799889, 799707, 799791, 800660, 800329, 801542].map((pid) => ({ pid, comm: 'node', memcg: 'unknown' })),
  },
  {
    file: 'pub-cpanel-76-rhel6.log',
    source: 'https://github.com/cPanelSSP/SSP/issues/76',
    kills: [{ pid: 11726, comm: 'mysqld', memcg: 'unknown', anonRssKb: 2539268, uptimeSec: 2858609.598568 }],
  },
  { file: 'pub-alicloud-duplicity-3-global.log', source: 'https://github.com/alibaba-archive/alicloud-duplicity/issues/3', kills: [{ pid: 21518, comm: 'python2', memcg: 'global', anonRssKb: 12721928 }] },
  { file: 'pub-pandora-49-journal-global.log', source: 'https://github.com/genular/pandora/issues/49', kills: [{ pid: 27438, comm: 'R', memcg: 'global' }] },
  {
    file: 'pub-relate-1383-debian-6.16-global.log',
    source: 'https://github.com/inducer/relate/issues/1383',
    kills: [{ pid: 3581527, comm: 'uwsgi', memcg: 'global', anonRssKb: 263092, oomScoreAdj: 0, wall: '2025-11-21T14:22:56' }],
  },
  {
    file: 'pub-py-autovod-7-global-commas.log',
    source: 'https://github.com/0jc1/py-autovod/issues/7',
    kills: [{ pid: 7899, comm: 'python', memcg: 'global', taskMemcg: '/init.scope', anonRssKb: 15370088, oomScoreAdj: 0 }],
  },
  {
    file: 'pub-cadvisor-3.13-memcg.log',
    source: 'https://github.com/google/cadvisor/blob/master/utils/oomparser/oomparser_test.go',
    kills: [{ pid: 13536, comm: 'memorymonster', memcg: '/mem2', taskMemcg: '/mem2', anonRssKb: 920, oomScoreAdj: 0 }],
  },
  {
    file: 'pub-cadvisor-3.13-global.log',
    source: 'https://github.com/google/cadvisor/blob/master/utils/oomparser/oomparser_test.go',
    kills: [{ pid: 1532, comm: 'badsysprogram', memcg: 'global', anonRssKb: 1595164 }],
  },
  {
    file: 'pub-cadvisor-4.8-docker-two-kills.log',
    source: 'https://github.com/google/cadvisor/blob/master/utils/oomparser/oomparser_test.go',
    kills: [
      {
        pid: 1381,
        comm: 'gunpowder-memho',
        memcg: '/docker/2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50',
        containerId: '2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50',
        anonRssKb: 18624,
        reaped: true,
      },
      {
        pid: 1667,
        comm: 'gunpowder-memho',
        memcg: '/docker/6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70',
        containerId: '6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70',
        anonRssKb: 248180,
        reaped: true,
      },
    ],
  },
  {
    file: 'pub-cadvisor-summary-line.log',
    source: 'https://github.com/google/cadvisor/blob/master/utils/oomparser/oomparser_test.go',
    kills: [
      {
        pid: 966,
        comm: 'manager',
        memcg: '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907 c-b2ec8e25d012',
        taskMemcg: '/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907c-b2ec8e25d012/ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8',
        podUid: 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012',
        containerId: 'ef807430361e6e82b45db92e2e9b6fbec98f419b12c591e655c1a725565e73a8',
        truncated: true,
      },
    ],
  },
  {
    file: 'pub-npd-oom-kill.log',
    source: 'https://github.com/kubernetes/node-problem-detector/blob/master/test/kernel_log_generator/problems/oom_kill',
    kills: [{ pid: 1012, comm: 'heapster', memcg: 'unknown', anonRssKb: 306328 }],
  },
  {
    file: 'pub-moby-33192-task-in-only.log',
    source: 'https://github.com/moby/moby/issues/33192',
    kills: [],
    incomplete: [
      {
        memcg: '/docker/0abce43b1fec97241cdf5374a881a08767a5a758a6590ed3c991ff5d73c6c896',
        taskMemcg: '/docker/0abce43b1fec97241cdf5374a881a08767a5a758a6590ed3c991ff5d73c6c896',
        invokerComm: 'runc:[2:INIT]',
      },
    ],
  },
  {
    file: 'pub-reportportal-203-5.4-memcg.log',
    source: 'https://github.com/reportportal/kubernetes/issues/203',
    kills: [{ pid: 63214, comm: 'uwsgi', memcg: 'unknown', oomScoreAdj: 986, reaped: true }],
    incomplete: [{ memcg: 'unknown', invokerComm: 'uwsgi' }],
  },
  { file: 'pub-kainstall-19-5.4-memcg-line.log', source: 'https://github.com/lework/kainstall/issues/19', kills: [{ pid: 897, comm: 'haproxy', memcg: 'unknown', anonRssKb: 41156 }] },
  {
    file: 'pub-programmerah-rhel6-syslog-nohost.log',
    source: 'https://programmerah.com/linux-c-running-error-killed-19654/',
    kills: [{ pid: 3080, comm: 'forward', memcg: 'global', anonRssKb: 1130444 }],
  },
  {
    file: 'pub-plumbr-kern-log.log',
    source: 'https://plumbr.io/blog/memory-leaks/out-of-memory-kill-process-or-sacrifice-child',
    kills: [{ pid: 29957, comm: 'java', memcg: 'global', anonRssKb: 1416508, uptimeSec: 70667120.897701 }],
  },
  {
    file: 'pub-alibabacloud-doc-task-in.log',
    source: 'https://alibabacloud.com/help/en/alinux/support/causes-of-and-solutions-to-the-issue-of-oom-killer-being-triggered',
    kills: [],
    incomplete: [
      { memcg: '/mm_test', taskMemcg: '/mm_test', invokerComm: 'test' },
      { memcg: '/mm_test', taskMemcg: '/mm_test/2', invokerComm: 'test' },
      { memcg: 'global', taskMemcg: '/user.slice', invokerComm: 'test' },
    ],
  },
  { file: 'pub-openrc-407-cgroup2-5.4-cut.log', source: 'https://github.com/OpenRC/openrc/issues/407', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'openrc-run.sh' }] },
  { file: 'pub-runc-5264-7.0-arm64-cut.log', source: 'https://github.com/opencontainers/runc/issues/5264', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'runc:[2:INIT]' }] },
  {
    file: 'pub-aws-efs-1218-cgroup2-stats-cut.log',
    source: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver/issues/1218',
    kills: [],
    incomplete: [
      {
        memcg: '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod06d44939_d15e_491f_84a3_2dbba9fc0440.slice/cri-containerd-f6b09caae6cfa22cd45491888e0e7001c0b690f8b3c9b47e1bc20d69315e722c.scope',
      },
    ],
  },
  { file: 'pub-juci-15-openwrt-4.1-wrapped-cut.log', source: 'https://github.com/mkschreder/juci/issues/15', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'hostapd' }] },
  { file: 'pub-runc-1980-kernel-tag-4.4-cut.log', source: 'https://github.com/opencontainers/runc/issues/1980', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'runc:[2:INIT]' }] },
  { file: 'pub-sysbox-30-5.3-cut.log', source: 'https://github.com/nestybox/sysbox/issues/30', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'runc:[1:CHILD]' }] },
  { file: 'pub-photon-1535-vmware-guest-prefix.log', source: 'https://github.com/vmware/photon/issues/1535', kills: [] },
  { file: 'pub-containerd-cgroups-74-4.19-cut.log', source: 'https://github.com/containerd/cgroups/issues/74', kills: [], incomplete: [{ memcg: 'unknown', invokerComm: 'thrash' }] },
];
