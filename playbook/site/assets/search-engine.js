/* Ranking for the playbook's search, over the index playbook/search.py writes. A module of its own,
   without messaging, so that the worker (search-worker.js) and a profiler or test can load it alike. */
import MiniSearch from "./vendor/minisearch/minisearch.js";

const NAMES = ["title", "id", "aliases"];
const SEARCHED = [...NAMES, "category", "summary", "body"];
/* Names far above descriptions, descriptions above body text. */
const BOOST = { title: 8, id: 8, aliases: 7, category: 2, summary: 2, body: 1 };
const SEARCH_OPTIONS = { boost: BOOST, weights: { fuzzy: 0.3, prefix: 0.5 } };
/* One typo in a longer word. Only asked for when the words as typed find little: fuzzy matching
   took three quarters of the time of a long query on a large index. */
const TYPO = (term) => (term.length > 5 ? 1 : false);
/* Fewer results than these and the search widens: first to typos, then to any of the words. Records
   holding only some of the words are the costliest to rank (a common word matches most of them), and
   are asked for only when the others are too few to fill the first screen. */
const ENOUGH_EXACT = 10;
const ENOUGH_FUZZY = 5;
/* Records indexed at a time while the full text is indexed; the caller may pause in between. */
const CHUNK = 250;

const SPLIT = /[\n\r\p{Z}\p{P}\p{S}]+/u;
const WORD = /[^\n\r\p{Z}\p{P}\p{S}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const fold = (text) => (ASCII.test(text) ? text : text.normalize("NFD").replace(/\p{M}+/gu, ""));
const words = (text) => text.split(SPLIT).filter(Boolean);
/* A phrase as the exact-match table keys it: unstemmed words, lower case, without diacritics. */
const phrase = (text) => words(fold(text.toLowerCase())).join(" ");

/* Stemming is the costliest step of indexing, and the same words recur across records: remember each. */
function memoised(transform) {
  const seen = new Map();
  return (term) => {
    let out = seen.get(term);
    if (out === undefined) { out = transform(term); seen.set(term, out); }
    return out;
  };
}

export class PlaybookIndex {
  /* data: the published index; stem: the site language's stemmer, or null for none. */
  constructor(data, stem) {
    this.at = Object.fromEntries(data.fields.map((name, i) => [name, i]));
    this.records = data.records;
    this.common = new Set(data.common);
    this.processTerm = memoised(stem ? (term) => fold(stem(term.toLowerCase())) : (term) => fold(term.toLowerCase()));
    this.bothForms = memoised((term) => [...new Set([this.processTerm(term), fold(term.toLowerCase())])]);
    this.exact = new Map();
    const at = this.at;
    this.records.forEach((record, n) => {
      for (const name of new Set([record[at.title], record[at.id], ...record[at.aliases]].map(phrase))) {
        if (!name) continue;
        if (!this.exact.has(name)) this.exact.set(name, []);
        this.exact.get(name).push(n);
      }
    });
    // An id that only spells the title as a slug would index the same words twice: left out.
    this.docs = this.records.map((record, n) => ({
      n, record, id: phrase(record[at.id]) === phrase(record[at.title]) ? "" : record[at.id],
    }));
    this.engine = null;
  }

  newEngine(fields) {
    const at = this.at;
    return new MiniSearch({
      idField: "n",
      fields,
      extractField: (doc, name) => {
        if (name === "n") return doc.n;
        if (name === "id") return doc.id;
        const value = doc.record[at[name]];
        return Array.isArray(value) ? value.join(" ; ") : value || "";
      },
      tokenize: (text) => text.split(SPLIT),
      // Names are indexed both stemmed and as written: a word being typed is matched as the start of a
      // word as written ("applica" begins "application", not its stem "applic").
      processTerm: (term, name) => (!term ? null : NAMES.includes(name) ? this.bothForms(term) : this.processTerm(term)),
      searchOptions: { ...SEARCH_OPTIONS, processTerm: (term) => (term ? this.processTerm(term) : null) },
    });
  }

  /* Titles, ids and aliases only: quick, and enough to find an item by its name. */
  indexNames() {
    const names = this.newEngine(NAMES);
    names.addAll(this.docs);
    this.engine = names;
  }

  /* Every field, in chunks, awaiting pause() between them; searches use the names until it is done. */
  async indexAll(pause) {
    const full = this.newEngine(SEARCHED);
    for (let i = 0; i < this.docs.length; i += CHUNK) {
      await pause();
      full.addAll(this.docs.slice(i, i + CHUNK));
    }
    this.engine = full;
  }

  allowed(n, facets) {
    const record = this.records[n];
    const at = this.at;
    if (facets.kind && record[at.kind] !== facets.kind) return false;
    if (facets.status && record[at.status] !== facets.status) return false;
    if (facets.category && record[at.category] !== facets.category) return false;
    if (facets.tier && !record[at.tiers].includes(facets.tier)) return false;
    return true;
  }

  /* The query's words as MiniSearch queries, the common ones left out (unless all are). The last one
     is still being typed: it also matches as the start of a word, stemmed or as written. One or two
     letters are taken as a word, not as the start of thousands of words of a large index. */
  querySpec(query) {
    const typed = words(query);
    const telling = typed.filter((word) => !this.common.has(fold(word.toLowerCase())));
    const tokens = telling.length ? telling : typed;
    const last = tokens.pop();
    if (last.length < 3) return [...tokens, last];
    return [...tokens, { queries: [last], combineWith: "OR", prefix: true, processTerm: this.bothForms }];
  }

  /* Record numbers for a query, best first: an exact title, id or alias; then records holding every
     word; then every word with a typo allowed; then any of the words. With no words, every record
     the facets allow. Beside them, the index terms each record matched, for highlighting. */
  rank(query, facets) {
    const termsOf = new Map();
    if (!words(query).length) {
      return { numbers: this.docs.filter((doc) => this.allowed(doc.n, facets)).map((doc) => doc.n), termsOf };
    }
    const filter = (result) => this.allowed(result.id, facets);
    const numbers = (this.exact.get(phrase(query)) || []).filter((n) => this.allowed(n, facets));
    const seen = new Set(numbers);
    const add = (results) => {
      for (const result of results) {
        if (!seen.has(result.id)) { seen.add(result.id); numbers.push(result.id); }
        if (!termsOf.has(result.id)) termsOf.set(result.id, result.terms);
      }
    };
    const queries = this.querySpec(query);
    add(this.engine.search({ queries, combineWith: "AND" }, { filter }));
    if (numbers.length < ENOUGH_EXACT) add(this.engine.search({ queries, combineWith: "AND" }, { filter, fuzzy: TYPO }));
    if (numbers.length < ENOUGH_FUZZY) add(this.engine.search({ queries, combineWith: "OR" }, { filter }));
    return { numbers, termsOf };
  }

  /* [start, end] of each word of the text that stems to a matched term, or that begins with the
     query's last word (the one being typed). */
  marks(text, terms, last) {
    const out = [];
    for (const match of text.matchAll(WORD)) {
      if (terms.has(this.processTerm(match[0])) || (last && fold(match[0].toLowerCase()).startsWith(last))) {
        out.push([match.index, match.index + match[0].length]);
      }
    }
    return out;
  }

  /* The first ``limit`` results of a query, as the page shows them, and how many there are. */
  search(query, facets, limit) {
    const { numbers, termsOf } = this.rank(query, facets);
    const at = this.at;
    const typed = words(fold(query.toLowerCase()));
    const last = typed.length ? typed[typed.length - 1] : "";
    const results = numbers.slice(0, limit).map((n) => {
      const record = this.records[n];
      const terms = new Set(termsOf.get(n) || typed.map(this.processTerm));
      const title = record[at.title];
      const summary = record[at.summary];
      return {
        kind: record[at.kind],
        id: record[at.id],
        title,
        url: record[at.url],
        status: record[at.status],
        summary,
        titleMarks: last ? this.marks(title, terms, last) : [],
        summaryMarks: last ? this.marks(summary, terms, last) : [],
      };
    });
    return { total: numbers.length, results };
  }
}
