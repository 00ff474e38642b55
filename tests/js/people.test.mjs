// Offline search at the gate: names match without accents, apostrophes or spaces, as the server's search does.
import assert from "node:assert/strict";
import { test } from "node:test";

import { searchTickets } from "../../static/js/scanner/people.js";

const tickets = [
  { full_name: "H'Nhi Niê", ticket_code: "T1" },
  { full_name: "H’Nhi Niê", ticket_code: "T2" },
  { full_name: "Nguyễn Văn Hùng", ticket_code: "T3" },
];

test("an apostrophe or a missing space does not hide a name", () => {
  for (const q of ["hnhi", "H'Nhi", "h nhi nie", "hnhinie"]) {
    assert.deepEqual(searchTickets(tickets, q).map((t) => t.ticket_code), ["T1", "T2"], q);
  }
  assert.deepEqual(searchTickets(tickets, "nguyen van hung").map((t) => t.ticket_code), ["T3"]);
});

test("punctuation alone matches nobody, a ticket code matches exactly", () => {
  assert.deepEqual(searchTickets(tickets, "?!"), []);
  assert.deepEqual(searchTickets(tickets, "T3").map((t) => t.ticket_code), ["T3"]);
});
