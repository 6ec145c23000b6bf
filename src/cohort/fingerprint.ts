/**
 * SHA-256 of the bytes, as 64 lowercase hex digits, via Web Crypto (`crypto.subtle`, in browsers and in
 * Node ≥ 20 as `globalThis.crypto`). Identifies a dataset in the analysis spec and labels results.
 * @example await sha256Hex(new TextEncoder().encode("abc"))
 * // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("Web Crypto (crypto.subtle) is not available: a secure context (https or localhost) is needed");
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (let i = 0; i < digest.length; ++i) hex += digest[i].toString(16).padStart(2, "0");
  return hex;
}
