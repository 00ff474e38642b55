import assert from "node:assert/strict";
import { test } from "node:test";

import { codeOf, ticketCodeIn } from "../../static/js/scanner/verify.js";
import { ticketSigner } from "./fakes.mjs";

const signer = ticketSigner();

test("a genuine payload gives its ticket code", async () => {
  assert.equal(await ticketCodeIn(signer.payload("TK7Q2M9X"), signer.publicKey), "TK7Q2M9X");
});

test("a payload whose signature belongs to another code is forged", async () => {
  const stolen = signer.payload("OTHER123").split(".")[2];
  assert.equal(await ticketCodeIn(`EH1.TK7Q2M9X.${stolen}`, signer.publicKey), false);
});

test("a payload signed with another key is forged", async () => {
  assert.equal(await ticketCodeIn(ticketSigner().payload("TK7Q2M9X"), signer.publicKey), false);
});

test("a damaged signature is forged, not an error", async () => {
  assert.equal(await ticketCodeIn("EH1.TK7Q2M9X.not-base64!", signer.publicKey), false);
  assert.equal(await ticketCodeIn("EH1.TK7Q2M9X.", signer.publicKey), false);
});

test("what is no ticket payload is told apart from a forgery", async () => {
  for (const text of ["TK7Q2M9X", "https://example.vn/", "EH2.TK7Q2M9X.sig", "EH1..sig", "EH1.a.b.c"]) {
    assert.equal(await ticketCodeIn(text, signer.publicKey), null, text);
  }
});

test("the code of a scan is the payload's middle part or the typed code", () => {
  assert.equal(codeOf(signer.payload("TK7Q2M9X")), "TK7Q2M9X");
  assert.equal(codeOf("TK7Q2M9X"), "TK7Q2M9X");
});

test("one spelling per ticket: other last characters carrying the same bits are forged", async () => {
  const payload = signer.payload("TK7Q2M9X");
  const signature = payload.split(".")[2];
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const index = alphabet.indexOf(signature.at(-1));
  const twins = [1, 2, 15].map((extra) => signature.slice(0, -1) + alphabet[(index & ~15) + extra]);
  const answers = await Promise.all(twins.map((twin) => ticketCodeIn(`EH1.TK7Q2M9X.${twin}`, signer.publicKey)));
  assert.deepEqual(answers, [false, false, false]);
  assert.equal(await ticketCodeIn(`${payload}=`, signer.publicKey), false);
});
