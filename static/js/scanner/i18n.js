// The scanner's texts come from the page, which renders them through the translation catalogue in the interface
// language; placeholders keep the catalogue's "%(name)s" form.

export function translator(texts) {
  return (key, values = {}) => {
    const text = Object.hasOwn(texts, key) ? texts[key] : key;
    return text.replace(/%\((\w+)\)s/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
  };
}

export function readTexts(doc, id = "scanner-texts") {
  const block = doc.getElementById(id);
  return block ? JSON.parse(block.textContent) : {};
}
