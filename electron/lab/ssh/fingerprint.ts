// Host key helpers on the raw SSH wire-format key blob ssh2 hands us.
import { createHash } from 'node:crypto';

/** OpenSSH's SHA256 fingerprint: base64 of sha256(blob), no padding. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a wire-format blob (its first string field). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new Error('host key blob too short');
  const n = blob.readUInt32BE(0);
  if (n > 64 || 4 + n > blob.length) throw new Error('host key blob has a bad type field');
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** "ED25519", "ECDSA", "RSA" as OpenSSH names key kinds in its messages. */
export function keyKindLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type.startsWith('ecdsa-')) return 'ECDSA';
  if (type === 'ssh-rsa' || type.startsWith('rsa-')) return 'RSA';
  if (type === 'ssh-dss') return 'DSA';
  return type.toUpperCase();
}

/** Signature algorithms a key of this type can sign with (what PubkeyAcceptedAlgorithms lists). */
export function signatureAlgorithms(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}

/** Modulus size of an ssh-rsa blob (string type, mpint e, mpint n), for RequiredRSASize. */
export function rsaBits(blob: Buffer): number {
  let at = 0;
  const field = () => {
    const n = blob.readUInt32BE(at);
    const f = blob.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return f;
  };
  field();
  field();
  const n = field();
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}
