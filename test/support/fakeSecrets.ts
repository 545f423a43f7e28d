/**
 * Recognisable fake secrets, new for every test run: `zsec-<hex>` strings nothing else in the repository or in
 * the demo data can contain by chance, and RSA key pairs (a private key is a secret as a whole and in every
 * line of its PEM). Wrong secrets are secrets too: a user who mistypes a password must not find it in a log.
 */
import * as crypto from "node:crypto"

/** A `zsec-<hex>` string, unique to this call. */
export const fakeSecret = (): string => `zsec-${crypto.randomBytes(16).toString("hex")}`

export interface FakeKeyPair {
  readonly publicKeyPem: string
  /** Unencrypted PKCS#8 PEM: what the driver signs JWTs with (also what it makes of an encrypted key). */
  readonly privateKeyPem: string
  /** The same key as an encrypted PKCS#8 PEM, under `passphrase`. */
  readonly encryptedPem: string
  readonly passphrase: string
}

/** An RSA key pair, its private key given both plain and encrypted with a fresh `zsec-…` passphrase. */
export const fakeKeyPair = (): FakeKeyPair => {
  const passphrase = fakeSecret()
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 })
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    encryptedPem: privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }).toString(),
    passphrase
  }
}

export interface FakeSecrets {
  readonly zephyrToken: string
  readonly zephyrWrongToken: string
  readonly qtestToken: string
  readonly qtestWrongToken: string
  /** The API token of a second qTest sandbox, revoked before use: qTest's "expired" token. */
  readonly qtestRevokedToken: string
  readonly qtestPassword: string
  readonly qtestWrongPassword: string
  readonly snowflakePassword: string
  readonly snowflakeWrongPassword: string
  readonly snowflakeOauthToken: string
  readonly snowflakeWrongOauthToken: string
  /** Registered with the Snowflake sandbox (plain and encrypted forms of the one key). */
  readonly registeredKey: FakeKeyPair
  /** A passphrase that does not open `registeredKey.encryptedPem`. */
  readonly wrongPassphrase: string
  /** A key pair the Snowflake sandbox does not know. */
  readonly unregisteredKey: FakeKeyPair
  /** A token in a file given as a private key: what a mixed-up path looks like. */
  readonly notAKey: string
  /** A password written into a URL (`https://user:<it>@host`). */
  readonly urlPassword: string
}

export const fakeSecrets = (): FakeSecrets => ({
  zephyrToken: fakeSecret(),
  zephyrWrongToken: fakeSecret(),
  qtestToken: fakeSecret(),
  qtestWrongToken: fakeSecret(),
  qtestRevokedToken: fakeSecret(),
  qtestPassword: fakeSecret(),
  qtestWrongPassword: fakeSecret(),
  snowflakePassword: fakeSecret(),
  snowflakeWrongPassword: fakeSecret(),
  snowflakeOauthToken: fakeSecret(),
  snowflakeWrongOauthToken: fakeSecret(),
  registeredKey: fakeKeyPair(),
  wrongPassphrase: fakeSecret(),
  unregisteredKey: fakeKeyPair(),
  notAKey: fakeSecret(),
  urlPassword: fakeSecret()
})
