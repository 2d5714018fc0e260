// Generates nkeys-jwt-vectors.json with the official NATS JavaScript tooling, so our NKey and
// JWT code is checked against keys, signatures and tokens that we did not make ourselves.
//
// It is documentation of how the checked-in vectors were made, not part of the build. To run it
// again (the output changes every time: keys are random and iat is "now"):
//
//   mkdir -p /tmp/nkv && cd /tmp/nkv && npm init -y && npm install @nats-io/nkeys @nats-io/jwt
//   node /path/to/Broker.Tests/Security/Vectors/generate-vectors.js > nkeys-jwt-vectors.json
//
// Modules are resolved from the current directory (the npm folder above), not from the repo.
"use strict";
const { createRequire } = require("node:module");
const path = require("node:path");
const load = createRequire(path.join(process.cwd(), "noop.js"));
const nkeys = load("@nats-io/nkeys");
const jwt = load("@nats-io/jwt");

const te = new TextEncoder();
const td = new TextDecoder();
const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const b64 = (bytes) => Buffer.from(bytes).toString("base64");

// The nonce a server would put in INFO; clients sign its text (UTF-8 bytes), not decoded bytes.
const NONCE = "PXoWU7zWAMt75FY";
// Arbitrary binary data, to check signatures over bytes that are not text.
const DATA = Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255]);

function describe(type, kp) {
  const entry = {
    type,
    seed: td.decode(kp.getSeed()),
    public_key: kp.getPublicKey(),
  };
  if (type !== "curve") {
    const nonceSig = kp.sign(te.encode(NONCE));
    entry.nonce_sig_base64url = b64url(nonceSig);
    entry.nonce_sig_base64 = b64(nonceSig);
    entry.data_sig_base64url = b64url(kp.sign(DATA));
  }
  return entry;
}

async function main() {
  const now = Math.floor(Date.now() / 1000);

  const operator = nkeys.createOperator();
  const operatorSigner = nkeys.createOperator();
  const system = nkeys.createAccount();
  const account = nkeys.createAccount();
  const accountSigner = nkeys.createAccount();
  const scopedSigner = nkeys.createAccount();
  const other = nkeys.createAccount();
  const user = nkeys.createUser();
  const signedUser = nkeys.createUser();
  const scopedUser = nkeys.createUser();
  const expiredUser = nkeys.createUser();
  const futureUser = nkeys.createUser();
  const revokedUser = nkeys.createUser();
  const permUser = nkeys.createUser();
  const server = nkeys.createServer();
  const cluster = nkeys.createCluster();
  const curve = nkeys.createCurve();

  const operatorJwt = await jwt.encodeOperator("vector-operator", operator, {
    signing_keys: [operatorSigner.getPublicKey()],
    system_account: system.getPublicKey(),
    account_server_url: "http://localhost:9090/jwt/v1",
    operator_service_urls: ["nats://localhost:4222"],
    tags: ["vectors"],
  });

  const systemJwt = await jwt.encodeAccount("SYS", system, {}, { signer: operator });

  // Users made before the account JWT, so a revocation time taken after them covers revokedUser.
  const userJwt = await jwt.encodeUser("alice", user, account);
  const signedUserJwt = await jwt.encodeUser("bob", signedUser, account, {}, { signer: accountSigner });
  const scopedUserJwt = await jwt.encodeUser("carol", scopedUser, account, {}, {
    signer: scopedSigner,
    scopedUser: true,
  });
  const expiredUserJwt = await jwt.encodeUser("dave", expiredUser, account, {}, { exp: now - 3600 });
  const futureUserJwt = await jwt.encodeUser("erin", futureUser, account, {}, {
    nbf: now + 3600,
    exp: now + 7200,
  });
  const revokedUserJwt = await jwt.encodeUser("frank", revokedUser, account);
  const permUserJwt = await jwt.encodeUser("grace", permUser, account, {
    pub: { allow: ["foo.>", "bar"], deny: ["foo.secret"] },
    sub: { allow: ["_INBOX.>", "q.* workers"], deny: ["private.>"] },
    resp: { max: 1, ttl: 5000000000 },
    subs: 10,
    data: 1048576,
    payload: 1024,
    src: ["127.0.0.1/32", "10.0.0.0/8"],
    times: [{ start: "08:00:00", end: "17:00:00" }],
    times_location: "UTC",
    bearer_token: true,
    allowed_connection_types: ["STANDARD", "WEBSOCKET"],
    tags: ["team:a"],
  }, { exp: now + 10 * 365 * 24 * 3600 });

  const revokedAt = now + 60;
  const accountJwt = await jwt.encodeAccount("vector-account", account, {
    signing_keys: [
      accountSigner.getPublicKey(),
      jwt.newScopedSigner(scopedSigner, "readers", { sub: { allow: ["read.>"] } }),
    ],
    revocations: {
      [revokedUser.getPublicKey()]: revokedAt,
      // The wildcard revokes every user JWT issued before this time: none of ours.
      "*": now - 86400,
    },
    limits: {
      subs: 100,
      data: -1,
      payload: 65536,
      conn: 10,
      leaf: -1,
      imports: -1,
      exports: -1,
      wildcards: true,
    },
    default_permissions: {
      pub: { allow: ["default.>"] },
      sub: { deny: ["nope"] },
    },
    exports: [
      { name: "svc", subject: "svc.echo", type: "service", token_req: true, response_type: "Singleton" },
      { name: "feed", subject: "feed.>", type: "stream" },
    ],
    imports: [
      { name: "other-feed", subject: "other.feed", account: other.getPublicKey(), type: "stream" },
    ],
    description: "account made for test vectors",
  }, { signer: operatorSigner });

  // The account lets `other` import its service export that requires a token.
  const activationJwt = await jwt.encodeActivation("svc-activation", other, account, "service", {
    subject: "svc.echo",
  });
  const signedActivationJwt = await jwt.encodeActivation("svc-activation-sk", other, account, "service", {
    subject: "svc.echo",
  }, { signer: accountSigner });

  const creds = td.decode(jwt.fmtCreds(userJwt, user));

  const output = {
    generated_by: "generate-vectors.js with @nats-io/nkeys " + nkeys.version +
      " and @nats-io/jwt " + require(load.resolve("@nats-io/jwt/package.json")).version,
    generated_at: now,
    nonce: NONCE,
    data_base64: b64(DATA),
    keys: {
      operator: describe("operator", operator),
      operator_signer: describe("operator", operatorSigner),
      system: describe("account", system),
      account: describe("account", account),
      account_signer: describe("account", accountSigner),
      scoped_signer: describe("account", scopedSigner),
      other_account: describe("account", other),
      user: describe("user", user),
      signed_user: describe("user", signedUser),
      scoped_user: describe("user", scopedUser),
      expired_user: describe("user", expiredUser),
      future_user: describe("user", futureUser),
      revoked_user: describe("user", revokedUser),
      perm_user: describe("user", permUser),
      server: describe("server", server),
      cluster: describe("cluster", cluster),
      curve: describe("curve", curve),
    },
    revoked_at: revokedAt,
    jwts: {
      operator: operatorJwt,
      system_account: systemJwt,
      account: accountJwt,
      user: userJwt,
      signed_user: signedUserJwt,
      scoped_user: scopedUserJwt,
      expired_user: expiredUserJwt,
      future_user: futureUserJwt,
      revoked_user: revokedUserJwt,
      perm_user: permUserJwt,
      activation: activationJwt,
      signed_activation: signedActivationJwt,
    },
    creds,
  };
  process.stdout.write(JSON.stringify(output, null, 2) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
