// The order form: builds the manual order (mappings/schemas/manual-order-1.schema.json) from the fields, sends it to
// POST /api/orders with the API key typed in, and follows the order on the tracking API until the hub has decided.
// Text from the hub is only ever set as textContent, never as markup.
"use strict";

(function () {
  const form = document.getElementById("order");
  const lines = document.getElementById("lines");
  const result = document.getElementById("result");
  // one key per submission of the same order: resending after a timeout is the same delivery, not a second one
  let submission = null;
  // the latest submission: an earlier one still being followed must not write over its answer
  let latest = 0;
  // the statuses that need the firm: a refused order or declaration, or one the hub could not file
  const REFUSED = ["REJECTED", "DECLARATION_REJECTED", "DECLARATION_FAILED"];

  // 32 random hex digits; crypto.randomUUID exists only on HTTPS pages (and localhost), getRandomValues everywhere
  function newKey() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, "0")).join("");
  }

  function addLine() {
    const row = document.getElementById("line").content.firstElementChild.cloneNode(true);
    row.querySelector(".remove").addEventListener("click", () => {
      if (lines.rows.length > 1) {
        row.remove();
      }
    });
    lines.appendChild(row);
  }

  function value(name) {
    const field = form.elements.namedItem(name);
    const v = field ? field.value.trim() : "";
    return v === "" ? undefined : v;
  }

  // drops the members left empty, so the hub reports what is missing instead of what is blank
  function prune(o) {
    if (Array.isArray(o)) {
      return o.map(prune).filter(x => x !== undefined);
    }
    if (o !== null && typeof o === "object") {
      const out = {};
      for (const [k, v] of Object.entries(o)) {
        const p = prune(v);
        if (p !== undefined && !(typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0)) {
          out[k] = p;
        }
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    return o;
  }

  // every row, an empty one too: the hub's "lines[2]" is then the third row on the screen
  function lineItems() {
    return Array.from(lines.rows).map(row => {
      const line = {};
      row.querySelectorAll("input[data-field]").forEach(input => {
        const v = input.value.trim();
        if (v !== "") {
          line[input.dataset.field] = input.dataset.field === "originCountry" ? v.toUpperCase() : v;
        }
      });
      return line;
    });
  }

  function order() {
    const upper = s => s === undefined ? undefined : s.toUpperCase();
    const o = prune({
      orderNumber: value("orderNumber"),
      issueDate: value("issueDate"),
      currency: upper(value("currency")),
      paymentStatus: value("paymentStatus"),
      deliveryTerms: value("incoterms") === undefined ? undefined
        : {incoterms: upper(value("incoterms")), placeLocode: upper(value("placeLocode"))},
      buyer: {
        name: value("buyer.name"),
        address: {
          line1: value("buyer.line1"), line2: value("buyer.line2"), city: value("buyer.city"),
          postcode: value("buyer.postcode"), country: upper(value("buyer.country"))
        },
        contact: {email: value("buyer.email"), phone: value("buyer.phone")},
        ids: value("buyer.idScheme") && value("buyer.idValue")
          ? [{scheme: value("buyer.idScheme"), value: value("buyer.idValue")}] : undefined
      },
      shipTo: value("shipTo.name") === undefined && value("shipTo.country") === undefined ? undefined : {
        name: value("shipTo.name"),
        address: {
          line1: value("shipTo.line1"), city: value("shipTo.city"), postcode: value("shipTo.postcode"),
          country: upper(value("shipTo.country"))
        }
      },
      shipment: {
        packages: value("packages") === undefined ? undefined
          : (/^\d+$/.test(value("packages")) ? Number(value("packages")) : value("packages")),
        grossMassKg: value("grossMassKg"),
        serviceLevel: value("serviceLevel")
      },
      shippingAmount: value("shippingAmount"),
      taxAmount: value("taxAmount"),
      discountAmount: value("discountAmount")
    }) || {};
    o.lines = lineItems();
    return o;
  }

  function show(kind, heading, items) {
    result.replaceChildren();
    const box = document.createElement("div");
    box.className = kind;
    const h = document.createElement("p");
    h.textContent = heading;
    box.appendChild(h);
    if (items && items.length) {
      const list = document.createElement("ul");
      for (const item of items) {
        const li = document.createElement("li");
        li.textContent = item;
        list.appendChild(li);
      }
      box.appendChild(list);
    }
    result.appendChild(box);
  }

  // polls the tracking API until the hub has decided on the order, for as long as this is the latest submission
  async function follow(me, apiKey, orderNumber) {
    const headers = {Authorization: "Bearer " + apiKey};
    try {
      for (let i = 0; i < 30; i++) {
        await new Promise(r => setTimeout(r, 1000));
        const found = await fetch("/api/transactions?externalId=" + encodeURIComponent(orderNumber), {headers});
        const items = found.ok ? (await found.json()).items : [];
        if (me !== latest) {
          return;
        }
        if (!items || items.length === 0) {
          continue;
        }
        const t = await (await fetch("/api/transactions/" + encodeURIComponent(items[0].id), {headers})).json();
        if (me !== latest) {
          return;
        }
        const timeline = (t.timeline || []).map(e => e.type + ": " + e.summary);
        const settled = t.status !== "ACCEPTED" && t.status !== "DECLARATION_SUBMITTED";
        show(REFUSED.includes(t.status) ? "refused" : "ok",
          "Order " + orderNumber + ": " + t.status + (settled ? "" : " (still in progress)"), timeline);
        if (settled) {
          return;
        }
      }
      show("ok", "Order " + orderNumber + " is queued; the hub has not finished with it yet. Look it up later in"
        + " the tracking API (GET /api/transactions?externalId=" + orderNumber + ").");
    } catch (e) {
      if (me === latest) {
        show("ok", "Order " + orderNumber + " is queued; following it failed (" + e.message + "). Look it up later in"
          + " the tracking API.");
      }
    }
  }

  form.addEventListener("input", () => { submission = null; });
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const me = ++latest;
    const apiKey = value("apiKey");
    const body = order();
    submission = submission || newKey();
    let answer;
    try {
      answer = await fetch("/api/orders", {
        method: "POST",
        headers: {"Content-Type": "application/json", Authorization: "Bearer " + (apiKey || ""),
          "Idempotency-Key": submission},
        body: JSON.stringify(body)
      });
    } catch (e) {
      if (me === latest) {
        show("refused", "The hub could not be reached. Send again: the order will not be doubled.");
      }
      return;
    }
    const text = await answer.json().catch(() => ({}));
    if (me !== latest) {
      return;
    }
    if (answer.status === 202) {
      show("ok", "Order " + body.orderNumber + " is queued (receipt " + text.receiptId + "). Following it...");
      follow(me, apiKey, body.orderNumber);
    } else {
      show("refused", (text.detail || ("The hub answered " + answer.status + ".")), text.errors);
    }
  });

  // the catalogue's SKUs as suggestions for the SKU fields, once per API key (all pages of GET /api/products)
  let catalogueKey = null;
  async function loadCatalogue() {
    const apiKey = value("apiKey");
    if (!apiKey || apiKey === catalogueKey) {
      return;
    }
    catalogueKey = apiKey;
    const options = [];
    let after = "";
    try {
      do {
        const answer = await fetch("/api/products?limit=500&after=" + encodeURIComponent(after),
          {headers: {Authorization: "Bearer " + apiKey}});
        if (!answer.ok) {
          return;
        }
        const page = await answer.json();
        for (const p of page.items) {
          const option = document.createElement("option");
          option.value = p.sku;
          option.label = [p.description, p.hsCode].filter(x => x).join(", ");
          options.push(option);
        }
        after = page.next;
      } while (after && options.length < 5000);
    } catch (e) {
      return; // suggestions only: the order can be typed without them
    }
    if (apiKey === catalogueKey) {
      document.getElementById("catalogue").replaceChildren(...options);
    }
  }

  form.elements.namedItem("apiKey").addEventListener("change", loadCatalogue);
  document.getElementById("add-line").addEventListener("click", addLine);
  addLine();
}());
