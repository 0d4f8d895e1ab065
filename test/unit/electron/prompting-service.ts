// A LabService with the real engine pointed at test ssh files, whose prompts
// are answered by a function and recorded (used with the FAKE electron module's
// safeStorage and dialog: test/unit/electron/fake-electron.ts).
import { join } from 'node:path';
import fake from './fake-electron';
import { createEngine } from '../../../electron/app/engine';
import { LabService } from '../../../electron/app/lab-service';
import { setupDialogs } from '../../../electron/app/dialogs';
import type { Prompt, PromptAnswer } from '../../../electron/ipc';

const root = new URL('../../../', import.meta.url).pathname;

/** A LabService whose prompts are answered by `answer` (and recorded). */
export function promptingService(dir: string, sshConfigFile: string, knownHostsFile: string, answer: (p: Prompt) => PromptAnswer) {
  const asked: Prompt[] = [];
  const svc: LabService = new LabService({
    engine: createEngine({ appVersion: '0.1.0-test', scenarioDirs: [join(root, 'scenarios')], connect: { sshConfigFile, knownHostsFile, useAgent: false } }),
    dialogs: setupDialogs(fake.dialog, () => null, join(dir, 'docs')),
    push: (name, payload) => {
      if (name !== 'prompt') return;
      const p = payload as Prompt;
      asked.push(p);
      setImmediate(() => void svc.handlers().answerPrompt({ promptId: p.promptId, answer: answer(p) }));
    },
    dataDir: join(dir, 'data'),
    demoDir: join(dir, 'demos'),
    systemLocale: 'en',
    cipher: fake.safeStorage,
    log: () => undefined,
  });
  return { svc, h: svc.handlers(), asked };
}

