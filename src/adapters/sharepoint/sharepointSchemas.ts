/**
 * The fields the SharePoint adapter reads from Graph responses, and nothing
 * else (as graphSchemas.ts does for the calendar): a renamed or retyped field
 * fails loudly with the call named. The contract tests check every field named
 * here exists on its Graph type in the v1.0 CSDL, and parse the fixtures
 * modelled on the reference pages with these schemas.
 *
 * Pages: api/site-getbypath.md (site), api/list-list.md and api/list-create.md
 * (list), api/list-list-columns.md and api/list-post-columns.md
 * (columnDefinition), api/listitem-list.md, api/listitem-get.md and
 * api/listitem-create.md (listItem; its `fields` is a fieldValueSet, an open
 * type whose keys are the list's column names).
 */
import { z } from 'zod';

/** GET /sites/{hostname}:/{path} → site. */
export const site = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  webUrl: z.string().nullish(),
});

/** GET /sites/{site-id}/lists, POST /sites/{site-id}/lists → list. */
export const list = z.object({
  id: z.string(),
  name: z.string().nullish(),
  displayName: z.string().nullish(),
  list: z.object({ template: z.string().nullish() }).nullish(),
});

/** GET /sites/{site-id}/lists/{list-id}/columns → columnDefinition. */
export const column = z.object({
  id: z.string(),
  name: z.string(),
  indexed: z.boolean().nullish(),
  enforceUniqueValues: z.boolean().nullish(),
  readOnly: z.boolean().nullish(),
  text: z.object({ allowMultipleLines: z.boolean().nullish(), maxLength: z.number().nullish() }).nullish(),
  number: z.object({ decimalPlaces: z.string().nullish() }).nullish(),
  dateTime: z.object({ format: z.string().nullish() }).nullish(),
  boolean: z.object({}).nullish(),
});
export type GraphColumn = z.infer<typeof column>;

/** A list item with its column values ($select=id,eTag&$expand=fields(...)). */
export const listItem = z.object({
  id: z.string(),
  eTag: z.string().nullish(),
  // The same value as the annotation Graph puts on every entity (OData JSON format, odata.etag).
  '@odata.etag': z.string().nullish(),
  fields: z.record(z.string(), z.unknown()).nullish(),
});
export type GraphListItem = z.infer<typeof listItem>;

/** PATCH /items/{id}/fields → fieldValueSet (api/listitem-update.md). */
export const fieldValueSet = z.record(z.string(), z.unknown());
