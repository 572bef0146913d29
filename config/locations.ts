/** Where synth reads and writes, from the environment as `npm run synth` and `cdk8s synth` set it. */
export interface SynthOptions {
  /** The fleet file; FLEET_CONFIG, default fleet.yaml. */
  readonly configFile: string;
  /** The output folder; CDK8S_OUTDIR, default dist. */
  readonly outdir: string;
}

export function synthOptionsFromEnv(env: NodeJS.ProcessEnv): SynthOptions {
  return { configFile: env.FLEET_CONFIG || 'fleet.yaml', outdir: env.CDK8S_OUTDIR || 'dist' };
}
