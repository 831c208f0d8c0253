/** People and who manages whom: Entra ID users in a tenant, the embedded store locally. */
import type { Person } from '../domain/model';

export interface DirectoryPort {
  getPerson(id: string): Promise<Person | undefined>;
  findByAadObjectId(aadObjectId: string): Promise<Person | undefined>;
  listPeople(): Promise<Person[]>;
  getLineManager(personId: string): Promise<Person | undefined>;
}
