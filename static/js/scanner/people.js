// Finding people by name when the ticket is lost (online through the API, offline in the stored tickets) and
// registering walk-ins at the door.
import { errorMessages, Revoked } from "./api.js";

const OFFLINE_MATCHES = 20;

// Vietnamese names match without their accents, apostrophes or spaces: "Nguyễn Đức" is found by "nguyen duc",
// "H'Nhi Niê" by "hnhi" (as the server's search does).
export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
    .toLowerCase();
}

function compact(text) {
  return fold(text).replace(/[^a-z0-9]+/g, "");
}

export function searchTickets(tickets, q) {
  const wanted = fold(q);
  const squeezed = compact(q);
  return tickets.filter((t) => fold(t.full_name).includes(wanted) || (squeezed && compact(t.full_name).includes(squeezed))
    || t.ticket_code === q).slice(0, OFFLINE_MATCHES);
}

// Walk-ins are offered when the offline data names the list's categories.
export function walkInCategories(offlineData) {
  return (offlineData && (offlineData.categories || (offlineData.list && offlineData.list.categories))) || [];
}

export function createPeople({ state, ui, t, call, online, scanning, queueOffline = null }) {
  const { $ } = ui;
  const checkIn = (person) => scanning.submit({ registration_id: person.registration_id }, person.ticket_code || "");

  async function search(event) {
    event.preventDefault();
    const q = $("sc-q").value.trim();
    if (!q) {
      return;
    }
    if (online()) {
      try {
        const response = await call(`search?q=${encodeURIComponent(q)}`);
        if (response.ok) {
          ui.renderPeople((await response.json()).items, "", checkIn);
          return;
        }
      } catch (error) {
        if (error instanceof Revoked) {
          return;
        }
      }
    }
    const found = state.offlineData ? searchTickets(state.offlineData.tickets, q) : [];
    ui.renderPeople(found.map((ticket) => ({ ...ticket, checked_in_at: null })), t("searchOffline"), checkIn);
  }

  async function walkIn(event) {
    event.preventDefault();
    const fullName = $("sc-walkin-name").value.trim();
    if (!fullName) {
      ui.showWalkInErrors([t("required")]);
      return;
    }
    const body = { full_name: fullName, category_id: parseInt($("sc-walkin-category").value, 10) };
    const phone = $("sc-walkin-phone").value.trim();
    if (phone) {
      body.phone = phone;
    }
    if (!online()) {
      if (queueOffline) { // a provisional ticket now, the registration on reconnection (see walkins.js)
        queueOffline(body);
        ui.showWalkInErrors([]);
        $("sc-walkin").reset();
        return;
      }
      ui.showWalkInErrors([t("walkInNeedsNetwork")]);
      return;
    }
    let response;
    try {
      response = await call("walk-ins", { method: "POST", body });
    } catch (error) {
      if (!(error instanceof Revoked)) {
        ui.showWalkInErrors([t("walkInNeedsNetwork")]);
      }
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const messages = errorMessages(data);
      ui.showWalkInErrors(messages.length ? messages : [t("serverError")]);
      return;
    }
    ui.showWalkInErrors([]);
    $("sc-walkin").reset();
    scanning.answered(data, body);
  }

  return { search, walkIn };
}
