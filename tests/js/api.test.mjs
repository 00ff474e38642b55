import assert from "node:assert/strict";
import { test } from "node:test";

import { createApi, Revoked } from "../../static/js/scanner/api.js";
import { translator } from "../../static/js/scanner/i18n.js";
import { createState } from "../../static/js/scanner/state.js";

function api({ status = 200, gate = "", language = "en" } = {}) {
  const state = createState();
  state.config = { token: "ehd_secret", list: 7 };
  const requests = [];
  const revoked = [];
  const call = createApi({ base: "/api/v1/checkin/lists", state, gate: () => gate, language,
    onRevoked: () => revoked.push(true),
    fetch: async (url, options) => {
      requests.push({ url, ...options });
      return { ok: status < 400, status };
    } });
  return { call, requests, revoked };
}

test("the token travels in a header, never in the address, with the page's language", async () => {
  const { call, requests } = api({ gate: "Gate 2" });
  await call("scan", { method: "POST", body: { code: "EH1.A.b" } });
  const [request] = requests;
  assert.equal(request.url, "/api/v1/checkin/lists/7/scan");
  assert.equal(request.headers.Authorization, "Bearer ehd_secret");
  assert.equal(request.headers["Accept-Language"], "en");
  assert.equal(request.headers["X-Gate"], "Gate 2");
  assert.equal(request.credentials, "omit");
  assert.equal(request.body, '{"code":"EH1.A.b"}');
});

test("a gate name outside Latin-1 goes only in the body", async () => {
  const { call, requests } = api({ gate: "Cổng 2" });
  await call("counts");
  assert.equal("X-Gate" in requests[0].headers, false);
  assert.equal("Content-Type" in requests[0].headers, false);
});

test("a revoked device is told once and the call fails", async () => {
  for (const status of [401, 404]) {
    const { call, revoked } = api({ status });
    await assert.rejects(call("counts"), Revoked);
    assert.deepEqual(revoked, [true]);
  }
  const { call, revoked } = api({ status: 500 });
  assert.equal((await call("counts")).status, 500);
  assert.deepEqual(revoked, []);
});

test("texts fill their placeholders and an unknown key shows itself", () => {
  const t = translator({ queued: "Waiting to sync: %(count)s", conflict: "%(name)s: %(message)s" });
  assert.equal(t("queued", { count: 3 }), "Waiting to sync: 3");
  assert.equal(t("conflict", { name: "Y Khoa Niê", message: "Already checked in" }), "Y Khoa Niê: Already checked in");
  assert.equal(t("queued"), "Waiting to sync: %(count)s");
  assert.equal(t("missing"), "missing");
});
