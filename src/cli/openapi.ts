// npm run openapi: writes openapi.yaml from the routes' schemas. A test fails when it is stale.
import { writeFile } from 'node:fs/promises';
import { generateOpenApi, OPENAPI_FILE } from './openapi-document.js';

await writeFile(OPENAPI_FILE, await generateOpenApi());
console.log(`wrote ${OPENAPI_FILE}`);
