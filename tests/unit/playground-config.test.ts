import fs from 'node:fs';
import path from 'node:path';
import { PLAYGROUND_PEOPLE, playgroundYaml } from '../../src/runtime/playgroundConfig';
import { SEED_PEOPLE } from '../../src/seed/organisation';

describe('Agents Playground configuration', () => {
  it('the committed .m365agentsplayground.yml is the generated one for Sam Patel', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '..', '..', '.m365agentsplayground.yml'), 'utf8');
    expect(committed).toBe(playgroundYaml('sam-patel'));
  });

  it('has a current user and five users, all seed people with matching Entra object ids', () => {
    for (const id of PLAYGROUND_PEOPLE) {
      const yml = playgroundYaml(id);
      const ids = [...yml.matchAll(/aadObjectId: (\S+)/g)].map((m) => m[1]);
      expect(ids).toHaveLength(6);
      expect(ids[0]).toBe(SEED_PEOPLE.find((p) => p.id === id)!.aadObjectId);
      for (const aad of ids) expect(SEED_PEOPLE.some((p) => p.aadObjectId === aad)).toBe(true);
    }
  });

  it('refuses someone who is not in the Playground', () => {
    expect(() => playgroundYaml('amira-hussain')).toThrow(/not one of the Playground's people/);
  });
});
