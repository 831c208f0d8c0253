/**
 * A throw-away TLS certificate for 127.0.0.1, made with openssl when the
 * simulator starts. MSAL refuses a login authority that is not https, and the
 * app's public URL must be https in tenant mode, so the simulator and the front
 * door it puts before the app speak TLS. The app process trusts the
 * certificate through NODE_EXTRA_CA_CERTS; nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SimTls {
  key: string;
  cert: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  dir: string;
}

export function makeLocalCertificate(): SimTls {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365sim-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
    '-keyout', keyFile, '-out', certFile,
    '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'basicConstraints=critical,CA:TRUE',
  ], { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile, dir };
}
