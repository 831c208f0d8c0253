import { validatePack } from '../../src/domain/policy/validate';

describe('policy pack schema', () => {
  it('names the offending field', () => {
    const r = validatePack({ schemaVersion: 1, id: 'Bad Id' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith('id:'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('staffGroups:'))).toBe(true);
    }
  });
});
