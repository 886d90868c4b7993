// "Your event endpoint": where the hub sends the firm's timeline events (PUT/GET/DELETE /api/event-subscription,
// POST /api/event-subscription/secret and /ping, GET /api/event-types for the choice of types), with the API key
// typed in. Text from the hub is only ever set as
// textContent, never as markup. A secret is shown once, as the API gives it, and never kept by the page.
"use strict";

(function () {
  const form = document.getElementById("endpoint");
  const message = document.getElementById("message");
  const state = document.getElementById("state");
  const facts = document.getElementById("facts");
  const types = document.getElementById("types");
  const LABELS = [["state", "State"], ["eventTypes", "Only these events"], ["pendingEvents", "Events waiting"],
    ["failures", "Failed attempts"], ["lastError", "Last error"], ["failingSince", "Failing since"],
    ["nextAttemptAt", "Next attempt"], ["disabledAt", "Disabled at"], ["updatedAt", "Changed"]];

  function field(name) {
    return form.elements.namedItem(name).value.trim();
  }

  function say(text, refused, secret) {
    message.replaceChildren();
    if (!text) {
      return;
    }
    const box = document.createElement("div");
    box.className = refused ? "refused" : "ok";
    const p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (secret) {
      const code = document.createElement("code");
      code.textContent = secret;
      box.appendChild(code);
    }
    message.appendChild(box);
  }

  async function api(method, path, body) {
    const headers = {Authorization: "Bearer " + field("apiKey")};
    if (body) {
      headers["Content-Type"] = "application/json";
    }
    const answer = await fetch(path, {method, headers, body: body ? JSON.stringify(body) : undefined});
    const json = answer.status === 204 ? {} : await answer.json().catch(() => ({}));
    if (!answer.ok) {
      const error = new Error(json.detail || ("The hub answered " + answer.status + "."));
      error.status = answer.status;
      throw error;
    }
    return json;
  }

  // the event types to choose from, grouped, each with its meaning as a tooltip; asked for once per page
  let catalogue = null;
  async function loadCatalogue() {
    if (catalogue) {
      return;
    }
    catalogue = (await api("GET", "/api/event-types")).items;
    let group = null;
    for (const type of catalogue) {
      if (type.group !== group) {
        group = type.group;
        const heading = document.createElement("h3");
        heading.textContent = group;
        types.appendChild(heading);
      }
      const label = document.createElement("label");
      label.title = type.meaning;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "eventType";
      box.value = type.type;
      label.append(box, document.createTextNode(type.type));
      types.appendChild(label);
    }
  }

  // shows the saved choice: null is every type; a prefix (DECLARATION_*, set through the API) ticks what it covers
  async function showTypes(chosen) {
    await loadCatalogue();
    const every = chosen === null || chosen === undefined;
    form.elements.namedItem("scope").value = every ? "every" : "chosen";
    const covers = type => !every && chosen.some(p => p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : p === type);
    for (const box of types.querySelectorAll("input[name=eventType]")) {
      box.checked = covers(box.value);
    }
    types.hidden = every;
  }

  function chosenTypes() {
    if (form.elements.namedItem("scope").value === "every") {
      return null;
    }
    return Array.from(types.querySelectorAll("input[name=eventType]:checked"), box => box.value);
  }

  for (const radio of form.querySelectorAll("input[name=scope]")) {
    radio.addEventListener("change", async () => {
      const every = form.elements.namedItem("scope").value === "every";
      try {
        if (!every) {
          await loadCatalogue();
        }
        types.hidden = every;
      } catch (e) {
        say(e.message, true);
      }
    });
  }

  function render(subscription) {
    form.elements.namedItem("url").value = subscription.url;
    facts.replaceChildren();
    for (const [name, label] of LABELS) {
      const value = subscription[name];
      if (value === null || value === undefined) {
        continue;
      }
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
      if (name === "state" && value !== "ACTIVE") {
        dd.className = "status-refused";
      }
      facts.append(dt, dd);
    }
    state.hidden = false;
  }

  async function load() {
    try {
      const subscription = await api("GET", "/api/event-subscription");
      render(subscription);
      await showTypes(subscription.eventTypes);
      say("");
    } catch (e) {
      state.hidden = true;
      say(e.status === 404 ? "No endpoint yet: enter its address and save." : e.message, e.status !== 404);
    }
  }

  form.addEventListener("submit", async event => {
    event.preventDefault();
    try {
      const eventTypes = chosenTypes();
      const saved = await api("PUT", "/api/event-subscription", eventTypes === null ? {url: field("url")}
        : {url: field("url"), eventTypes});
      if (saved.secret) {
        say("Saved. Your signing secret, shown this once: give it to whoever checks the signatures.", false,
          saved.secret);
      } else {
        say("Saved: events go to the new address; the secret is unchanged.");
      }
      render(await api("GET", "/api/event-subscription"));
    } catch (e) {
      say(e.message, true);
    }
  });

  document.getElementById("load").addEventListener("click", load);

  document.getElementById("ping").addEventListener("click", async () => {
    try {
      const result = await api("POST", "/api/event-subscription/ping");
      if (result.delivered) {
        say("Your endpoint took the test event (HTTP " + result.status + ", " + result.tookMs + " ms).");
      } else {
        say("Your endpoint did not take the test event: " + result.error + ".", true);
      }
      render(await api("GET", "/api/event-subscription"));
    } catch (e) {
      say(e.message, true);
    }
  });

  document.getElementById("rotate").addEventListener("click", async () => {
    try {
      const rotated = await api("POST", "/api/event-subscription/secret");
      say("Your new signing secret, shown this once. The old one still signs beside it for a day, until your system"
        + " checks with the new one.", false, rotated.secret);
    } catch (e) {
      say(e.message, true);
    }
  });

  document.getElementById("remove").addEventListener("click", async () => {
    try {
      await api("DELETE", "/api/event-subscription");
      state.hidden = true;
      form.elements.namedItem("url").value = "";
      say("No more events are sent; those still waiting were dropped.");
    } catch (e) {
      say(e.message, true);
    }
  });
})();
