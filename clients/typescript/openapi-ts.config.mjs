// Read by `openapi-ts` (clients/generate.sh passes the filtered v2 document as -i).
// The fetch client is emitted into src/, so the package has no runtime dependency; it is
// exported from the entry point so a caller can configure it (baseUrl, auth).
export default {
  output: { path: 'src' },
  plugins: [
    { name: '@hey-api/client-fetch', includeInEntry: true },
    '@hey-api/typescript',
    '@hey-api/sdk',
  ],
};
