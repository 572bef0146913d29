// Writes fleet.schema.json, the JSON Schema editors use to complete and check fleet.yaml,
// from the same definition the loader validates with. Usage: npm run schema
import { writeFileSync } from 'fs';
import { join } from 'path';
import { fleetSchemaDocument } from '../config/editor-schema';

writeFileSync(join(__dirname, '..', 'fleet.schema.json'), fleetSchemaDocument());
