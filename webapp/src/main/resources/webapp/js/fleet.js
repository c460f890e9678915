// The other nodes a channel can be watched from, for a player whose node stops answering (issue 21). Learnt from
// /api/channels/{c}/edges while the page's node answers: WHEP is open to any origin, the rest of the API is not, so
// the list must be known before it is needed.

export class NodeList {
  constructor(slug) {
    this.slug = slug;
    this.here = new URL(`/api/whep/${encodeURIComponent(slug)}`, window.location.href).href;
    this.urls = [];
    this.current = null;
  }

  /** Remembers the other nodes' WHEP URLs, least loaded first (best effort, once per node we play from). */
  async learn() {
    if (this.current) return; // already on another node: keep the list learnt on the first
    try {
      const response = await fetch(`/api/channels/${encodeURIComponent(this.slug)}/edges`);
      if (!response.ok) return;
      const edges = await response.json();
      const others = (edges.nodes || []).map(n => n.whepUrl).filter(u => u && u !== this.here);
      // The page's own node last: a round of the others that all fail (the origin died, and the nodes it was on with
      // it) comes back here rather than circling among dead nodes.
      this.urls = others.length ? [...others, this.here] : [];
    } catch { /* this node is busy or going away; the list stays as it was */ }
  }

  /** Moves to the next known node; false when none is known. */
  next() {
    if (!this.urls.length) return false;
    this.current = this.urls.shift();
    this.urls.push(this.current);
    return true;
  }

  /** The WHEP URL to use: the page's own node until it has failed. */
  whepUrl() {
    return this.current || this.here;
  }
}
