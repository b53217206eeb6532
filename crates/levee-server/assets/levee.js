// Levee web UI: the one script of every page (served from the binary; the Content-Security-Policy
// allows no other). Pages work without it except the upload form, which sends the file's bytes
// with XMLHttpRequest so the browser can show the upload's progress.
"use strict";

(function () {
  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  function say(box, text, isError) {
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "notice " + (isError ? "error" : "ok");
    p.setAttribute("role", isError ? "alert" : "status");
    p.textContent = text;
    box.appendChild(p);
    return p;
  }

  function problemText(xhr) {
    try {
      var p = JSON.parse(xhr.responseText);
      var text = p.detail || p.title || ("HTTP " + xhr.status);
      var extra = p.extra || {};
      var more = [];
      (extra.diagnostics || []).slice(0, 5).forEach(function (d) {
        more.push(d.file + ":" + d.line + ":" + d.column + ": " + d.message);
      });
      (extra.errors || []).slice(0, 5).forEach(function (e) { more.push(String(e)); });
      return more.length ? text + " — " + more.join("; ") : text;
    } catch (e) {
      return "the server answered HTTP " + xhr.status;
    }
  }

  function setupUpload(form) {
    var file = form.querySelector("#u-file");
    var kind = form.querySelector("#u-kind");
    var asset = form.querySelector("#u-asset");
    var bar = form.querySelector("#u-progress");
    var box = form.querySelector("#u-status");
    var button = form.querySelector('button[type="submit"]');
    var limit = parseInt(form.getAttribute("data-limit"), 10) || 0;
    var project = form.getAttribute("data-project");

    function assetNeeded() {
      var needs = kind.value !== "capture";
      asset.required = needs;
      asset.disabled = !needs;
    }
    kind.addEventListener("change", assetNeeded);
    assetNeeded();

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = file.files && file.files[0];
      if (!f) {
        say(box, "Choose a file to upload.", true);
        file.focus();
        return;
      }
      if (limit && f.size > limit) {
        say(box, "The file is " + Math.ceil(f.size / 1048576) + " MiB; this server accepts at most " +
          Math.floor(limit / 1048576) + " MiB. Nothing was uploaded.", true);
        return;
      }
      if (kind.value !== "capture" && !asset.value) {
        say(box, "Choose the asset the file belongs to.", true);
        asset.focus();
        return;
      }
      var q = "kind=" + encodeURIComponent(kind.value) + "&name=" + encodeURIComponent(f.name) +
        "&etag=" + encodeURIComponent(form.getAttribute("data-etag") || "");
      if (kind.value !== "capture") {
        q += "&asset=" + encodeURIComponent(asset.value);
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") + "?" + q);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((e.loaded / e.total) * 100);
          bar.value = pct;
          bar.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          var r = {};
          try { r = JSON.parse(xhr.responseText); } catch (e) { r = {}; }
          var rev = r.project ? r.project.revision : "?";
          if (r.project && r.project.etag) {
            form.setAttribute("data-etag", r.project.etag);
          }
          var p = say(box, "Uploaded " + f.name + ": revision " + rev + ", assessment " + r.assessment +
            ". ", false);
          var a = document.createElement("a");
          a.href = "/projects/" + encodeURIComponent(project) + "/findings";
          a.textContent = "See the findings";
          a.id = "u-findings";
          p.appendChild(a);
        } else {
          bar.value = 0;
          say(box, "Upload refused: " + problemText(xhr), true);
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        bar.value = 0;
        say(box, "The upload failed: the server could not be reached. Nothing was stored.", true);
      });
      button.disabled = true;
      bar.value = 0;
      say(box, "Uploading " + f.name + "…", false);
      xhr.send(f);
    });
  }

  function setupDiagram() {
    // Zone boxes of the diagram open the zone's page (the heat map's links do the same by keyboard).
    var svg = document.getElementById("zone-diagram");
    if (!svg) { return; }
    var base = window.location.pathname.replace(/\/$/, "");
    svg.addEventListener("click", function (ev) {
      var g = ev.target.closest ? ev.target.closest("g.zone") : null;
      if (g && g.getAttribute("data-zone")) {
        window.location.href = base + "/zones/" + encodeURIComponent(g.getAttribute("data-zone"));
      }
    });
  }

  function setupTriage() {
    // A justification is only asked for "not affected": say so next to the field at once.
    document.querySelectorAll("form.triage").forEach(function (form) {
      var state = form.querySelector('select[name="state"]');
      var just = form.querySelector('select[name="justification"]');
      if (!state || !just) { return; }
      function sync() { just.required = state.value === "not-affected"; }
      state.addEventListener("change", sync);
      sync();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload");
    if (form) { setupUpload(form); }
    setupDiagram();
    setupTriage();
  });
})();
