import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

/** Where the generated types of the typed client live (committed, checked by test/api/client.test.ts). */
export const CLIENT_TYPES_FILE = 'src/client/openapi.ts';

const HEADER = `/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: \`npm run client:generate\`. Do not edit by hand; a
 * test fails when this file and the served description differ.
 */
`;

/** The TypeScript types of an OpenAPI 3 document, formatted as the repository formats code. */
export async function renderClientTypes(doc: unknown): Promise<string> {
  const ast = await openapiTS(doc as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    // The served description has no $refs to outside files; nothing is fetched.
    exportType: false,
  });
  const options = (await prettier.resolveConfig(CLIENT_TYPES_FILE)) ?? {};
  return prettier.format(HEADER + astToString(ast), { ...options, parser: 'typescript' });
}
