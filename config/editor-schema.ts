import { fleetSchema } from './schema';
import { toEditorSchema } from './schema-builder';

/** The text of fleet.schema.json. */
export function fleetSchemaDocument(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'fleet.schema.json',
    title: 'fleet.yaml',
    ...(toEditorSchema(fleetSchema) as object),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
