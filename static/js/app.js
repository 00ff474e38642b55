// Small page behaviours, no framework: confirmation before destructive buttons.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = button && button.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Phones: the header folds its links behind one menu button (without JavaScript they stay shown).
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".nav-toggle");
  if (!toggle) return;
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  toggle.closest(".nav").classList.toggle("open", open);
});

// Date fields read and write dd/mm/yyyy, whatever the browser's locale, and keep the 24-hour hh:mm typed after the
// date: a calendar button opens the browser's own date picker and writes its choice back in that form.
const pad = (n) => String(n).padStart(2, "0");
document.querySelectorAll("input[data-picker]").forEach((input) => {
  const native = document.createElement("input");
  native.type = "date";
  native.tabIndex = -1;
  native.className = "picker-native";
  native.setAttribute("aria-hidden", "true");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "picker-button secondary";
  button.textContent = "📅";
  button.title = input.dataset.pickerLabel;
  button.setAttribute("aria-label", input.dataset.pickerLabel);
  const box = document.createElement("span");
  box.className = "picker";
  input.replaceWith(box);
  box.append(input, button, native);
  button.addEventListener("click", () => {
    const typed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(input.value.trim());
    native.value = typed ? `${typed[3]}-${pad(typed[2])}-${pad(typed[1])}` : "";
    try {
      native.showPicker();
    } catch {
      native.focus();
    }
  });
  native.addEventListener("change", () => {
    if (!native.value) return;
    const [year, month, day] = native.value.split("-");
    const typedTime = /\s(\d{1,2}:\d{2})$/.exec(input.value.trim());
    const time = input.dataset.picker === "datetime" ? ` ${typedTime ? typedTime[1] : "08:00"}` : "";
    input.value = `${day}/${month}/${year}${time}`;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
});
