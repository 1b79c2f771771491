"""The plain SPARQL query form: a self-contained HTML page (no external requests) that posts the
query to ``/sparql`` and shows the result as a table (SELECT/ASK) or as text (CONSTRUCT).

The app's query page at ``/sparql/ui`` is YASGUI (``web/sparql.html``, served by
:mod:`api.routes_web` from the npm package ``@zazuko/yasgui``). This form stays as its fallback
while the npm libraries are not installed (the app must start without them), and it is what
:func:`api.sparql.sparql_router` serves on its own, mounted without the web pages."""

UI_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>timeline-kg SPARQL</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; }
textarea { width: 100%; height: 14em; font-family: monospace; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { border: 1px solid #ccc; padding: .2em .5em; vertical-align: top; font-size: 90%; }
pre { background: #f6f6f6; padding: .5em; white-space: pre-wrap; }
#status { margin-left: 1em; }
</style>
</head>
<body>
<h1>timeline-kg SPARQL endpoint</h1>
<p>Query-only SPARQL 1.1. Prefixes <code>tkg:</code>, <code>dcterms:</code>, <code>skos:</code>
&hellip; are predeclared; without <code>FROM</code> the default graph is the union of all graphs.</p>
<form id="form">
<textarea id="query" spellcheck="false">SELECT ?statement ?speaker ?quote WHERE {
  ?statement a tkg:Statement ; tkg:speaker ?speaker .
  OPTIONAL { ?statement tkg:quote ?quote }
} LIMIT 25</textarea>
<label>Format
<select id="accept">
<option value="application/sparql-results+json">table (SELECT/ASK)</option>
<option value="text/turtle">Turtle (CONSTRUCT/DESCRIBE)</option>
<option value="text/csv">CSV</option>
<option value="application/sparql-results+xml">XML</option>
</select></label>
<button type="submit">Run</button><span id="status"></span>
</form>
<div id="result"></div>
<script>
const form = document.getElementById("form");
const result = document.getElementById("result");
const status = document.getElementById("status");
function cell(term) {
  if (!term) return "";
  if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  return term.value;
}
function table(data) {
  const out = document.createElement("table");
  if ("boolean" in data) { out.insertRow().insertCell().textContent = String(data.boolean); return out; }
  const head = out.createTHead().insertRow();
  for (const name of data.head.vars) { const th = document.createElement("th"); th.textContent = name; head.appendChild(th); }
  for (const row of data.results.bindings) {
    const tr = out.insertRow();
    for (const name of data.head.vars) tr.insertCell().textContent = cell(row[name]);
  }
  return out;
}
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "running…";
  result.replaceChildren();
  const started = performance.now();
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {"Content-Type": "application/sparql-query", "Accept": document.getElementById("accept").value},
    body: document.getElementById("query").value,
  });
  const text = await response.text();
  const truncated = response.headers.get("X-Truncated") ? " (truncated)" : "";
  status.textContent = response.status + " in " + Math.round(performance.now() - started) + " ms" + truncated;
  const type = response.headers.get("Content-Type") || "";
  if (response.ok && type.includes("json") && !type.includes("ld+json")) {
    result.appendChild(table(JSON.parse(text)));
  } else {
    const pre = document.createElement("pre"); pre.textContent = text; result.appendChild(pre);
  }
});
</script>
</body>
</html>
"""
