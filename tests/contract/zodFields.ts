/**
 * The field paths a zod response schema reads ("start.dateTime",
 * "attendees.emailAddress.address"), so the contract tests check exactly the
 * fields the adapters depend on against the Graph metadata, and a field added
 * to a schema is checked without anyone remembering to list it.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export function readFieldPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const paths: string[] = [];
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        // Annotations ("@odata.type", "x@odata.nextLink") are OData's, not properties of the type.
        if (key.includes('@')) continue;
        const at = prefix ? `${prefix}.${key}` : key;
        const nested = readFieldPaths(child, at);
        paths.push(...(nested.length > 0 ? nested : [at]));
      }
      return paths;
    }
    case 'optional':
    case 'nullable':
    case 'default':
      return readFieldPaths(def.innerType!, prefix);
    case 'array':
      return readFieldPaths(def.element!, prefix);
    case 'pipe':
      return readFieldPaths(def.in!, prefix);
    case 'union':
      return [...new Set((def.options ?? []).flatMap((o) => readFieldPaths(o, prefix)))];
    default:
      return [];
  }
}
