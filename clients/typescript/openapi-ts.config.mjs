// Read by `openapi-ts` (clients/generate.sh passes the filtered v2 document as -i).
// The fetch client is emitted into src/, so the package has no runtime dependency.
export default {
  output: { path: 'src' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
};
