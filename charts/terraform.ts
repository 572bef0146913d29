import { Construct } from 'constructs';
import { Fleet } from '../config/fleet';
import { terraformFiles } from '../terraform/stacks';
import { JsonFile } from './file-chart';

/** dist/terraform/: the fleet's AWS side, a Terraform root module per account and per cluster (terraform/stacks.ts). */
export class TerraformFiles extends Construct {
  constructor(scope: Construct, id: string, fleet: Fleet) {
    super(scope, id);
    terraformFiles(fleet).forEach((file, index) => new JsonFile(this, `file-${index}`, file.path, file.json));
  }
}
