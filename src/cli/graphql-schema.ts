// npm run graphql:schema: writes schema.graphql from the running GraphQL schema. A test fails when it drifts.
import { writeFile } from 'node:fs/promises';
import { generateSdl, SDL_FILE } from './graphql-sdl.js';

await writeFile(SDL_FILE, await generateSdl());
console.log(`wrote ${SDL_FILE}`);
