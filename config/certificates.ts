/**
 * caData: what Argo CD checks the EKS API server's certificate against. It must be the cluster's
 * CA, public PEM certificates and nothing else, so that no key ever reaches dist/.
 */
import { X509Certificate } from 'crypto';

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Problems of caData values already seen: a fleet often gives many clusters the same CA. */
const seen = new Map<string, string | undefined>();

/** Why caData (base64) is not one or more PEM certificates, as a sentence that never quotes it; undefined when it is. */
export function caDataProblem(caData: string): string | undefined {
  if (!seen.has(caData)) seen.set(caData, certificatesProblem(Buffer.from(caData, 'base64').toString('latin1')));
  return seen.get(caData);
}

function certificatesProblem(pem: string): string | undefined {
  const fix = 'expected the certificateAuthority.data of aws eks describe-cluster, which is base64 of the cluster\'s PEM CA certificate';
  let certificates = 0;
  let rest = '';
  let end = 0;
  for (const block of pem.matchAll(pemBlock)) {
    rest += pem.slice(end, block.index);
    end = block.index + block[0].length;
    if (block[1] !== 'CERTIFICATE') {
      // The label alone is named: the block may be a private key, which must not be printed.
      return `decodes to a PEM block of type ${block[1]}, not a CERTIFICATE: caData is public, so a key must never be put there; ${fix}`;
    }
    try {
      new X509Certificate(block[0]);
    } catch {
      return `decodes to a PEM CERTIFICATE block that is not a valid X.509 certificate: ${fix}`;
    }
    certificates++;
  }
  rest += pem.slice(end);
  if (!certificates) return `does not decode to a PEM certificate: ${fix}`;
  if (rest.trim()) return `decodes to PEM certificates with other text around them: ${fix}`;
  return undefined;
}
