// A throwaway certificate authority and one leaf certificate per host name, made with the openssl CLI in a
// fresh temp dir for each test run: the browsers trust this CA only in their own throwaway profiles.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createHash, X509Certificate } from "node:crypto";

const run = promisify(execFile);
const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** → { dir, caPem (path), caSpki (base64 SHA-256 of the CA's public key), leaf: host → { key, cert } (PEM text) } */
export async function makeCertificates(hosts) {
  const dir = await mkdtemp(join(tmpdir(), "lucs-ca-"));
  const ca = { key: join(dir, "ca.key"), pem: join(dir, "ca.pem") };
  await run("openssl", ["req", "-x509", ...EC, "-keyout", ca.key, "-out", ca.pem, "-days", "2",
    "-subj", `/O=LUCS test run/CN=LUCS throwaway test CA ${process.pid}-${Date.now()}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  const leaf = {};
  await Promise.all(hosts.map(async (host) => {
    const base = join(dir, host);
    await writeFile(`${base}.ext`, [
      `subjectAltName=DNS:${host}`, "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth", ""].join("\n"));
    await run("openssl", ["req", ...EC, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${host}`]);
    await run("openssl", ["x509", "-req", "-in", `${base}.csr`, "-CA", ca.pem, "-CAkey", ca.key, "-set_serial",
      `0x${createHash("sha1").update(host + Math.random()).digest("hex").slice(0, 16)}`, "-days", "2",
      "-extfile", `${base}.ext`, "-out", `${base}.pem`]);
    leaf[host] = { key: await readFile(`${base}.key`, "utf8"), cert: await readFile(`${base}.pem`, "utf8") };
  }));
  const caCert = new X509Certificate(await readFile(ca.pem));
  const spki = caCert.publicKey.export({ type: "spki", format: "der" });
  return { dir, caPem: ca.pem, caSpki: createHash("sha256").update(spki).digest("base64"), leaf };
}
