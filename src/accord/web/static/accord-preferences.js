// The preferences form: sliders beside the weights, rows added and removed in place, and a
// live preview. Every edit posts the form (as the Preview button would) to the live preview
// endpoint, which answers with the problems by field and the preview's HTML; the page works
// without this script, through its Preview and Save buttons.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("preferences-form");
  if (!form) { return; }
  var preview = document.getElementById("preview");
  var liveUrl = form.dataset.liveUrl;
  var timer = null;
  var sent = 0;      // number of the newest request sent
  var retries = 0;   // "still computing" answers in a row

  function weightInputs() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name^='weight:']"));
  }

  function parse(text) {
    var value = Number(String(text).trim());
    return String(text).trim() === "" || !isFinite(value) ? null : value;
  }

  function showShares() {
    var inputs = weightInputs();
    var total = 0;
    inputs.forEach(function (input) { total += Math.max(parse(input.value) || 0, 0); });
    inputs.forEach(function (input) {
      var share = form.querySelector("[data-share-for='" + CSS.escape(input.name) + "']");
      var value = parse(input.value);
      if (share) {
        share.textContent = value === null || total <= 0 ? "" : (100 * value / total).toFixed(1) + "%";
      }
    });
    var mode = form.querySelector("input[name='weight_mode']:checked");
    var budget = mode && mode.value === "budget";
    form.dataset.weightMode = budget ? "budget" : "sliders";
    var line = document.getElementById("weight-sum");
    var expected = form.querySelector("input[name='weight_total']");
    var text = "The weights sum to " + Number(total.toFixed(6)).toString();
    if (budget && expected) {
      var target = parse(expected.value);
      text += "; expected " + expected.value.trim();
      if (target !== null && Math.abs(total - target) > 1e-9) {
        var gap = Number(Math.abs(total - target).toFixed(6));
        text += total > target ? " (take away " + gap + ")" : " (give out " + gap + ")";
      }
    }
    line.textContent = text + ".";
  }

  function setUpSliders() {
    form.querySelectorAll("input.slider").forEach(function (slider) {
      var input = form.querySelector("input[name='" + CSS.escape(slider.dataset.sliderFor) + "']");
      if (!input) { return; }
      slider.hidden = false;
      var fromInput = function () {
        var value = parse(input.value);
        if (value !== null) {
          if (value > Number(slider.max)) { slider.max = String(Math.ceil(value)); }
          slider.value = String(Math.max(value, 0));
        }
      };
      fromInput();
      slider.addEventListener("input", function () {
        input.value = Number(Number(slider.value).toFixed(2)).toString();
        changed();
      });
      input.addEventListener("input", fromInput);
    });
  }

  function showProblems(problems) {
    form.querySelectorAll("[data-problem-for]").forEach(function (place) {
      var messages = problems[place.dataset.problemFor];
      place.textContent = messages ? messages.join("; ") : "";
    });
  }

  function body() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("action");
    return data;
  }

  function ask() {
    var number = ++sent;
    fetch(liveUrl, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (answer) { return {ok: response.ok, answer: answer}; });
    }).then(function (reply) {
      if (number !== sent) { return; }  // an edit came meanwhile: its answer will follow
      if (!reply.ok) {
        preview.innerHTML = "";
        var message = document.createElement("p");
        message.className = "error";
        message.id = "preview-message";
        message.textContent = reply.answer.detail || "No preview.";
        preview.appendChild(message);
        return;
      }
      showProblems(reply.answer.problems);
      preview.innerHTML = reply.answer.html;
      if (reply.answer.status === "computing" && retries < 60) {
        retries += 1;
        timer = setTimeout(ask, 1000);
      } else {
        retries = 0;
      }
    }).catch(function () { /* the server is away: the buttons still work */ });
  }

  function changed() {
    showShares();
    clearTimeout(timer);
    retries = 0;
    timer = setTimeout(ask, 350);
  }

  function addRow(kind) {
    var template = document.getElementById(kind + "-template");
    var rows = form.querySelector("tbody[data-rows='" + kind + "']");
    var taken = Array.prototype.map.call(form.querySelectorAll("tr[data-row]"), function (row) {
      return Number(row.dataset.row.split("-").pop());
    });
    var number = String(Math.max.apply(null, taken.concat([-1])) + 1);
    var html = template.innerHTML.split("__N__").join(number);
    rows.insertAdjacentHTML("beforeend", html);
    var added = rows.lastElementChild;
    if (added) { enhance(added); }
    var select = added && added.querySelector("select");
    if (select) { select.focus(); }
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add-row]");
    if (button) {
      event.preventDefault();
      addRow(button.dataset.addRow);
    }
  });
  // What a row's options mean, in words: "Point: option or option; Other point: option;".
  function describe(row) {
    var groups = [];
    var options = {};
    row.querySelectorAll("[data-chosen] input:checked").forEach(function (box) {
      var group = box.dataset.point || "";
      if (!(group in options)) { groups.push(group); options[group] = []; }
      options[group].push(box.dataset.label || box.value);
    });
    var meaning = row.querySelector("[data-meaning]");
    if (meaning) {
      meaning.textContent = groups.map(function (group) {
        return (group ? group + ": " : "") + options[group].join(" or ") + ";";
      }).join(" ");
    }
  }

  // Every option a row may name, from the page's one datalist: per point, its options.
  var points = [];
  (function readChoices() {
    var list = document.getElementById("term-options");
    if (!list) { return; }
    var byTitle = {};
    Array.prototype.forEach.call(list.options, function (option) {
      var title = option.dataset.point;
      if (!(title in byTitle)) {
        byTitle[title] = {title: title, id: option.value.split(":")[0], options: []};
        points.push(byTitle[title]);
      }
      byTitle[title].options.push({value: option.value, label: option.dataset.label});
    });
  })();

  function choice(text, value) {
    var option = document.createElement("option");
    option.value = value;
    option.textContent = text;
    return option;
  }

  // A row's entry for one more option becomes a choice of point, then of its option.
  function enhance(row) {
    var entry = row.querySelector("input[data-option-entry]");
    if (!entry || !points.length) { return; }
    var name = entry.name;
    var what = entry.getAttribute("aria-label");
    var pointChoice = document.createElement("select");
    pointChoice.dataset.pointChoice = "";
    pointChoice.setAttribute("aria-label", what + ": the point");
    pointChoice.appendChild(choice("Add an option: choose a point…", ""));
    points.forEach(function (point) { pointChoice.appendChild(choice(point.title, point.id)); });
    var optionChoice = document.createElement("select");
    optionChoice.dataset.optionChoice = "";
    optionChoice.setAttribute("aria-label", what + ": the option");
    optionChoice.disabled = true;
    function fill() {
      optionChoice.textContent = "";
      var point = points.filter(function (p) { return p.id === pointChoice.value; })[0];
      optionChoice.appendChild(choice(point ? "…then its option" : "", ""));
      optionChoice.disabled = !point;
      if (point) {
        point.options.forEach(function (o) { optionChoice.appendChild(choice(o.label, o.value)); });
      }
    }
    fill();
    pointChoice.addEventListener("change", fill);
    optionChoice.addEventListener("change", function () {
      var value = optionChoice.value;
      if (!value) { return; }
      var chosen = row.querySelector("[data-chosen]");
      var box = Array.prototype.filter.call(chosen.querySelectorAll("input"), function (input) {
        return input.value === value;
      })[0];
      if (!box) {
        var point = points.filter(function (p) { return p.id === pointChoice.value; })[0];
        var picked = point.options.filter(function (o) { return o.value === value; })[0];
        var item = document.createElement("li");
        var label = document.createElement("label");
        label.className = "check";
        box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.dataset.point = point.title;
        box.dataset.label = picked.label;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + point.title + ": " + picked.label));
        item.appendChild(label);
        chosen.appendChild(item);
      }
      box.checked = true;
      optionChoice.value = "";
      describe(row);
    });
    entry.hidden = true;
    entry.disabled = true;  // the choices add boxes; the text entry is for pages without script
    entry.insertAdjacentElement("afterend", optionChoice);
    entry.insertAdjacentElement("afterend", pointChoice);
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("[data-chosen] input")) { describe(event.target.closest("tr")); }
    if (event.target.matches("input[data-remove-row]") && event.target.checked) {
      event.target.closest("tr").remove();
    }
    changed();
  });
  form.addEventListener("input", changed);

  form.querySelectorAll("tbody[data-rows] tr").forEach(enhance);
  setUpSliders();
  showShares();
  // A preview the page could not wait for is fetched now; problems wait for an edit.
  var status = document.getElementById("preview-status");
  if (status && status.dataset.status === "computing") { ask(); }
});
