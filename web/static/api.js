// The API as the page uses it: JSON reads, the one error shape, and the reviewer's write token.
// The token is never learnt from the server: the reviewer pastes it, and it is kept in this
// tab's sessionStorage only (gone when the tab closes).

const TOKEN_KEY = "timeline-kg.write-token";

/** An error answered by the API, with its message for people. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body;
}

/** GET ``path`` with ``params`` (empty ones left out) → the JSON body. */
export async function get(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  return answer(await fetch(url, {headers: {Accept: "application/json"}}));
}

/** Every item of a paged list route (follows ``next`` links; at most ``cap`` items). */
export async function getAll(path, params = {}, cap = 5000) {
  const first = await get(path, {...params, limit: 1000});
  const items = [...first.items];
  let next = first.next;
  while (next && items.length < cap) {
    const page = await answer(await fetch(new URL(next).pathname + new URL(next).search));
    items.push(...page.items);
    next = page.next;
  }
  return {items, total: first.total};
}

/** POST a JSON body with the write token. */
export async function post(path, body) {
  const token = writeToken();
  const response = await fetch(path, {
    method: "POST",
    headers: {"Content-Type": "application/json", Accept: "application/json",
              ...(token ? {Authorization: `Bearer ${token}`} : {})},
    body: JSON.stringify(body),
  });
  return answer(response);
}

/** The write token pasted in this tab, or null. */
export function writeToken() {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

/** Keep (or, with null, forget) the write token for this tab. */
export function setWriteToken(token) {
  if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
  else window.sessionStorage.removeItem(TOKEN_KEY);
}
