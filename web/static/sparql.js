// The SPARQL query page: YASGUI (npm @zazuko/yasgui, served locally) pointed at this server's
// /sparql. Everything that would reach another host is switched off: the endpoint list holds
// this server only, and the class and property autocompleters (which ask Linked Open
// Vocabularies on the web) are removed; prefix completion uses the list shipped in the package.

const EXAMPLE = `PREFIX tkg: <https://timeline-kg.org/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Who said what, when: statements of the cross-article graph, in time order.
SELECT (STR(?day) AS ?begin) ?speaker ?quote WHERE {
  GRAPH <https://timeline-kg.org/id/graph/links> {
    ?statement a tkg:Statement ; tkg:speaker ?actor ; tkg:quote ?quote .
    ?actor skos:prefLabel ?speaker .
    OPTIONAL { ?statement tkg:begin ?day }
  }
}
ORDER BY ?day
LIMIT 50
`;

const OFFLINE_COMPLETERS = new Set(["class", "property"]);

function start() {
  const {Yasgui} = window;
  const endpoint = new URL("/sparql", window.location.origin).href;
  const completers = Yasgui.Yasqe.defaults.autocompleters;
  completers.splice(0, completers.length, ...completers.filter((name) => !OFFLINE_COMPLETERS.has(name)));
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint, method: "POST"},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: () => [{endpoint}]},
    persistenceId: "timeline-kg-sparql",
    yasqe: {value: EXAMPLE},
  });
  const tab = yasgui.getTab();
  if (tab && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
  document.body.dataset.ready = "true";
}

if (document.readyState === "complete") start(); else window.addEventListener("load", start);
