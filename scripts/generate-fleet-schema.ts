// Writes fleet.schema.json, the JSON Schema editors use to complete and check fleet.yaml,
// from the same definition the loader validates with. Usage: npm run schema
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { fleetSchemaDocument } from '../config/editor-schema';

const file = join(__dirname, '..', 'fleet.schema.json');
const text = fleetSchemaDocument();
if (existsSync(file) && readFileSync(file, 'utf8') === text) {
  console.log('fleet.schema.json is up to date');
} else {
  writeFileSync(file, text);
  console.log('wrote fleet.schema.json');
}
