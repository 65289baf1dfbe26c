// A real OpenID Connect provider on loopback for the sign-in tests: panva's oidc-provider with its
// development login form (any password; the login name picks the account below).
//
//   node provider.mjs <port> <client_id> <client_secret> <redirect_uri> <post_logout_redirect_uri>
//
// Prints "ready <issuer>" on stdout once it listens. Never use this configuration outside tests.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri, postLogoutUri] = process.argv.slice(2);
if (!postLogoutUri) {
  console.error("usage: node provider.mjs <port> <client_id> <client_secret> <redirect_uri> <post_logout_redirect_uri>");
  process.exit(2);
}

// the test accounts: a viewer, a data steward, someone with no group, and an unverified address
const ACCOUNTS = {
  vera: { email: "vera@kabinet.example", name: "Vera Viewer", groups: ["cabinet"] },
  stan: { email: "stan@kabinet.example", name: "Stan Steward", groups: ["data-stewards"] },
  nina: { email: "nina@elders.example", name: "Nina Nobody", groups: [] },
  mallory: { email: "lead@kabinet.example", email_verified: false, name: "Mallory", groups: [] },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  // Streamlit builds st.user from the ID token alone: put the claims in it
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["test-only-cookie-key-not-a-secret"] },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id] ?? { email: `${id}@unknown.example`, name: id, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...account };
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
