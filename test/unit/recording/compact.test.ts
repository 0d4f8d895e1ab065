// The compact reader's field checks (compact.ts FIELD_TYPES) agree with the
// schema every other event is checked with (event-schema.ts), field by field.
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, fieldProblem } from '../../../electron/lab/recording/compact';
import { LabEventSchema, describeIssue } from '../../../electron/lab/recording/event-schema';
import { sample } from './fixtures';

const VALUES: unknown[] = [0, 12.5, -1, null, 'x', '12', true, false, [], [1, 2], {}, { someAvg10: 1, fullAvg10: 2 }, { someAvg10: '1', fullAvg10: 2 }];

describe('compact sample checks', () => {
  it.each(Object.keys(FIELD_TYPES) as Array<keyof typeof FIELD_TYPES>)('%s: refuses exactly what the schema refuses, in its words', (field) => {
    for (const v of VALUES) {
      const event = { ...sample(1, 4096), [field]: v };
      const r = LabEventSchema.safeParse(event);
      expect(fieldProblem(field, v), `${field} = ${JSON.stringify(v)}`).toBe(r.success ? null : describeIssue(r.error, event));
    }
  });

  it('covers every field of a sample but its series', () => {
    const { kind: _k, t: _t, cgroup: _c, ...fields } = sample(1, 1) as unknown as Record<string, unknown>;
    expect(Object.keys(FIELD_TYPES).sort()).toEqual(Object.keys(fields).sort());
  });
});
