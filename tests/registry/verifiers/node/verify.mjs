// An independent check of Maharat credentials with Digital Bazaar's libraries.
// Input (a JSON file named on the command line):
//   {"credential": {...}, "didDocument": {...}, "statusLists": {"<url>": {...}}}
// Output (stdout, JSON): {"verified", "error", "revoked", "statusVerified",
//   "safeExpansion"}. Every JSON-LD context comes from ../contexts (index.json);
// the document loader refuses anything else: no network.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import jsonld from 'jsonld';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextDir = path.join(here, '..', 'contexts');
const index = JSON.parse(
  fs.readFileSync(path.join(contextDir, 'index.json'), 'utf8'));
const contexts = new Map(Object.entries(index).map(([url, entry]) => [
  url, JSON.parse(fs.readFileSync(path.join(contextDir, entry.file), 'utf8'))
]));

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const didDocument = input.didDocument;
const statusLists = new Map(Object.entries(input.statusLists || {}));

function documentLoader(url) {
  const found = (document) =>
    ({contextUrl: null, documentUrl: url, document: structuredClone(document)});
  if(contexts.has(url)) {
    return found(contexts.get(url));
  }
  if(statusLists.has(url)) {
    return found(statusLists.get(url));
  }
  if(didDocument && url === didDocument.id) {
    return found(didDocument);
  }
  if(didDocument && url.startsWith(didDocument.id + '#')) {
    const method = (didDocument.verificationMethod || []).find(
      m => m.id === url);
    if(method) {
      return found({
        '@context': 'https://w3id.org/security/multikey/v1', ...method
      });
    }
  }
  throw new Error(`refused to load ${url} (no network in this verifier)`);
}

// The Controlled Identifiers spec: a method with `revoked` must not be used
// after that time. Digital Bazaar's DataIntegrityProof 2.5 does not read it,
// so this wrapper refuses a proof created at or after a method's `revoked`.
function assertNotRevoked(credential) {
  const proofs = [].concat(credential.proof || []);
  for(const proof of proofs) {
    const method = (didDocument?.verificationMethod || []).find(
      m => m.id === proof.verificationMethod);
    if(method?.revoked &&
      new Date(proof.created) >= new Date(method.revoked)) {
      throw new Error(
        `verification method ${method.id} was revoked at ${method.revoked}`);
    }
  }
}

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const out = {
  verified: false, error: null, revoked: null, statusVerified: null,
  safeExpansion: null
};

try {
  await jsonld.expand(structuredClone(input.credential),
    {documentLoader, safe: true});
  out.safeExpansion = true;
} catch(e) {
  out.safeExpansion = false;
  out.safeExpansionError = e.message + ' ' + JSON.stringify(e.details || {});
}

try {
  assertNotRevoked(input.credential);
  const result = await vc.verifyCredential({
    credential: input.credential,
    suite,
    documentLoader,
    checkStatus: async ({credential}) => {
      const status = await checkStatus({
        credential, documentLoader, suite,
        verifyBitstringStatusListCredential: true,
        verifyMatchingIssuers: true
      });
      out.statusVerified = status.verified;
      if(status.verified) {
        out.revoked = status.results.some(r => r.status === true);
      } else {
        out.statusError = String(status.error?.message || status.error);
      }
      return status;
    }
  });
  out.verified = result.verified && out.revoked === false;
  if(!result.verified) {
    const errors = [].concat(result.error?.errors || result.error || []);
    out.error = errors.map(e => e?.message || String(e)).join('; ');
  } else if(out.revoked) {
    out.error = 'revoked';
  }
} catch(e) {
  out.error = e.message;
}
process.stdout.write(JSON.stringify(out) + '\n');
