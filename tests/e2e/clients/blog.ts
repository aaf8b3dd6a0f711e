// The blog API through openapi-fetch, typed by openapi-typescript's
// `api.d.ts`: sign up, log in, create a post, list posts without a token.
// Compiled with `tsc --strict`, then run against the live API given as the
// first argument; exits non-zero on any unexpected answer.
import createClient from "openapi-fetch";
import type { paths } from "./api";

async function main(baseUrl: string): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const email = "ts-client@example.com";
  const password = "correct horse battery";
  const signup = await anonymous.POST("/api/v1/auth/signup", { body: { email, password } });
  if (!signup.data) throw new Error(`signup: ${JSON.stringify(signup.error)}`);
  // No `scope`, `grant_type` or client credentials: the form needs none.
  const login = await anonymous.POST("/api/v1/auth/login", {
    body: { username: email, password },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (!login.data) throw new Error(`login: ${JSON.stringify(login.error)}`);
  const author = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${login.data.access_token}` },
  });
  // Fields with server defaults (`status`, `views`, `featured`) left out.
  const created = await author.POST("/api/v1/posts", {
    body: { title: "Typed", slug: "typed-ts", body: "From TypeScript." },
  });
  if (!created.data) throw new Error(`create: ${JSON.stringify(created.error)}`);
  const status: "draft" | "published" = created.data.status;
  if (status !== "draft") throw new Error(`status: ${status}`);
  const posts = await anonymous.GET("/api/v1/posts", { params: { query: { limit: 10 } } });
  if (!posts.data) throw new Error(`list: ${JSON.stringify(posts.error)}`);
  if (!posts.data.items.some((p) => p.slug === "typed-ts")) throw new Error("the post is not listed");
}

main(process.argv[2] ?? "").catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
