// Draft forms: choosing a point's option writes the agenda's wording of that option into
// the point's text box, unless the author has already changed the words there.
"use strict";
document.querySelectorAll("select[data-text-box]").forEach((select) => {
  const box = document.getElementById(select.dataset.textBox);
  if (!box) return;
  const wordingOf = () => select.selectedOptions[0]?.dataset.wording ?? "";
  let shown = wordingOf();
  if (box.value.trim() === "") box.value = shown;
  select.addEventListener("change", () => {
    const untouched = box.value.trim() === "" || box.value === shown;
    shown = wordingOf();
    if (untouched) box.value = shown;
  });
});
