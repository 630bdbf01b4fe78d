/* The search, in a module worker so that indexing and ranking never hold up typing. It loads the
   index, answers queries with search-engine.js, and answers only the latest query it holds: older
   ones are dropped unanswered. */
import { PlaybookIndex } from "./search-engine.js";

let index = null;
let pending = null;
let scheduled = false;

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/* The names first, so that the first results come soon after the page loads; then the full text,
   in chunks between which queries are answered from the names. */
async function load({ url, stemmer }) {
  const started = performance.now();
  const [data, stem] = await Promise.all([
    fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json();
    }),
    stemmer ? import(stemmer).then((module) => module.stemmer) : null,
  ]);
  const fetched = performance.now();
  const loading = new PlaybookIndex(data, stem);
  loading.indexNames();
  index = loading;
  const named = performance.now();
  self.postMessage({ type: "ready", count: data.records.length });
  run();
  await index.indexAll(pause);
  self.postMessage({ type: "indexed", ms: [fetched - started, named - fetched, performance.now() - named] });
}

function run() {
  scheduled = false;
  if (!index || !pending) return;
  const { seq, query, facets, limit } = pending;
  pending = null;
  const started = performance.now();
  const { total, results } = index.search(query, facets, limit);
  self.postMessage({ type: "results", seq, query, total, results, ms: performance.now() - started });
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "load") {
    load(message).catch((error) => self.postMessage({ type: "error", message: String(error) }));
  } else if (message.type === "query") {
    pending = message;
    // After the messages already queued: a burst of keystrokes is answered once, for its last query.
    if (!scheduled) { scheduled = true; setTimeout(run, 0); }
  }
};
