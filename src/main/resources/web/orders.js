// "Your orders": the tenant's transactions from the tracking API (GET /api/transactions, newest first) and, for the
// one clicked, its declaration, plan and timeline (GET /api/transactions/{id}), with the API key typed in.
// Text from the hub is only ever set as textContent, never as markup.
"use strict";

(function () {
  const filter = document.getElementById("filter");
  const list = document.getElementById("list");
  const message = document.getElementById("message");
  const detail = document.getElementById("detail");
  const REFUSED = ["REJECTED", "DECLARATION_REJECTED", "DECLARATION_FAILED"];
  const older = document.getElementById("older");
  // the latest request: an earlier answer arriving late must not replace it
  let latest = 0;
  // the search shown, and where its next (older) page starts: the API's "next"
  let shown = null;
  let next = null;

  function field(name) {
    const v = filter.elements.namedItem(name).value.trim();
    return v === "" ? undefined : v;
  }

  function say(text, refused) {
    message.replaceChildren();
    if (text) {
      const p = document.createElement("p");
      p.className = refused ? "refused" : "ok";
      p.textContent = text;
      message.appendChild(p);
    }
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text === undefined || text === null ? "" : String(text);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
  }

  function when(instant) {
    return instant ? new Date(instant).toLocaleString() : "";
  }

  async function api(path) {
    const answer = await fetch(path, {headers: {Authorization: "Bearer " + (field("apiKey") || "")}});
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      throw new Error(body.detail || ("The hub answered " + answer.status + "."));
    }
    return body;
  }

  function show(event) {
    event.preventDefault();
    shown = new URLSearchParams({limit: "100"});
    for (const name of ["status", "externalId"]) {
      if (field(name)) {
        shown.set(name, field(name));
      }
    }
    detail.hidden = true;
    load(false);
  }

  // a page of the search shown: the first (replacing the list) or the next older one (added to it)
  async function load(more) {
    const me = ++latest;
    const query = new URLSearchParams(shown);
    if (more) {
      query.set("before", next);
    }
    let body;
    try {
      body = await api("/api/transactions?" + query);
    } catch (e) {
      if (me === latest) {
        list.hidden = !more;
        say(e.message, true);
      }
      return;
    }
    if (me !== latest) {
      return;
    }
    const rows = list.tBodies[0];
    if (!more) {
      rows.replaceChildren();
    }
    for (const t of body.items) {
      const row = document.createElement("tr");
      cell(row, when(t.receivedAt));
      cell(row, t.source.externalNumber || t.source.externalId);
      cell(row, t.source.channel + (t.source.partner ? " (" + t.source.partner + ")" : ""));
      cell(row, t.status, REFUSED.includes(t.status) ? "status-refused" : undefined);
      cell(row, t.destinationCountry);
      cell(row, t.grandTotal === null ? "" : t.grandTotal + " " + (t.currency || ""));
      row.addEventListener("click", () => open(row, t.id));
      rows.appendChild(row);
    }
    next = body.next;
    older.hidden = next === null;
    list.hidden = rows.rows.length === 0;
    say(rows.rows.length === 0 ? "No orders match." : rows.rows.length + " orders, newest first.", false);
  }

  async function open(row, id) {
    const me = ++latest;
    let t;
    try {
      t = await api("/api/transactions/" + encodeURIComponent(id));
    } catch (e) {
      if (me === latest) {
        say(e.message, true);
      }
      return;
    }
    if (me !== latest) {
      return;
    }
    for (const r of list.tBodies[0].rows) {
      r.classList.toggle("selected", r === row);
    }
    document.getElementById("detail-title").textContent = "Order " + (t.source.externalNumber || t.source.externalId)
      + ": " + t.status;
    const facts = document.getElementById("detail-facts");
    facts.replaceChildren();
    const fact = (name, value) => {
      if (value !== undefined && value !== null && value !== "") {
        const dt = document.createElement("dt");
        dt.textContent = name;
        const dd = document.createElement("dd");
        dd.textContent = String(value);
        facts.append(dt, dd);
      }
    };
    fact("Received", when(t.receivedAt));
    fact("From", t.source.channel + (t.source.partner ? " (" + t.source.partner + ")" : ""));
    fact("Total", t.grandTotal === null ? "" : t.grandTotal + " " + (t.currency || ""));
    fact("Destination", t.destinationCountry);
    if (t.declaration) {
      fact("Declaration", t.declaration.status + " to " + t.declaration.target);
      fact("LRN", t.declaration.lrn);
      fact("MRN", t.declaration.mrn);
    }
    const plan = document.getElementById("detail-plan").tBodies[0];
    plan.replaceChildren();
    for (const step of (t.plan && t.plan.steps) || []) {
      const r = document.createElement("tr");
      cell(r, step.service);
      cell(r, step.state, step.state === "REJECTED" || step.state === "FAILED" ? "status-refused" : undefined);
      cell(r, step.providerName || step.provider);
      cell(r, step.reason);
      plan.appendChild(r);
    }
    const timeline = document.getElementById("detail-timeline");
    timeline.replaceChildren();
    for (const e of t.timeline || []) {
      const li = document.createElement("li");
      const at = document.createElement("time");
      at.textContent = when(e.at);
      const what = document.createElement("span");
      what.textContent = e.type + ": " + e.summary;
      li.append(at, what);
      timeline.appendChild(li);
    }
    detail.hidden = false;
    say("", false);
  }

  filter.addEventListener("submit", show);
  older.addEventListener("click", () => load(true));
}());
