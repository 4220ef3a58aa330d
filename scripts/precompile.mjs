// Work the CLI would otherwise repeat at every start, done once by the build
// (scripts/build.mjs swaps these modules in for their run-time versions):
// - the roadmap.json and project manifest schemas compiled to standalone ajv
//   validators, so the CLI neither ships nor runs ajv's schema compiler;
// - every Handlebars template precompiled, keyed by the SHA-1 of its source, so
//   rendering skips Handlebars' parser and code generator. A template whose
//   source differs from the one compiled here (an edited copy of the package)
//   misses the table and is compiled at run time as before;
// - the whole templates/ folder packed into one gzip file, so the package
//   ships the templates once, compressed, instead of a thousand loose files
//   beside their precompiled copies (src/catalog/templates.ts reads it).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import Handlebars from 'handlebars';

/** The options src/catalog/roadmap-validator.ts compiles the schema with; the two must agree. */
export const AJV_OPTIONS = { allErrors: true, strict: true };
/** The options src/render/handlebars.ts compiles templates with (COMPILE_OPTIONS); the two must agree. */
export const HANDLEBARS_OPTIONS = { noEscape: true, strict: true };

/** ESM source exporting `exportName`: the validator of the JSON Schema in `schemaFile`, as ajv standalone code. */
export function schemaValidatorModule(schemaFile, exportName) {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  const code = standaloneCode(ajv, validate);
  return `${code}\nexport const ${exportName} = validate;\n`;
}

/** ESM source exporting `validateRoadmapSchema`: the roadmap schema's validator. */
export function roadmapValidatorModule(schemaFile) {
  return schemaValidatorModule(schemaFile, 'validateRoadmapSchema');
}

/** ESM source exporting `validateManifestSchema`: the project manifest schema's validator. */
export function manifestValidatorModule(schemaFile) {
  return schemaValidatorModule(schemaFile, 'validateManifestSchema');
}

/** SHA-1 of a template's source: the key src/render/handlebars.ts looks templates up by. */
export function templateKey(source) {
  return createHash('sha1').update(source, 'utf8').digest('hex');
}

function hbsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** ESM source exporting `PRECOMPILED_TEMPLATES`: SHA-1 of source → Handlebars template spec, for every .hbs under templatesDir. */
export function templateSpecsModule(templatesDir) {
  const specs = new Map();
  for (const file of hbsFiles(templatesDir)) {
    const source = readFileSync(file, 'utf8');
    // A slot contribution is compiled with a final newline added when it lacks one (src/plan/plan-project.ts).
    const isSlot = file.split(path.sep).includes('_slots');
    const sources = isSlot && source !== '' && !source.endsWith('\n') ? [source, `${source}\n`] : [source];
    for (const text of sources) {
      const key = templateKey(text);
      if (!specs.has(key)) specs.set(key, Handlebars.precompile(text, { ...HANDLEBARS_OPTIONS }));
    }
  }
  const entries = [...specs].map(([key, spec]) => `[${JSON.stringify(key)}, ${spec}]`);
  return `export const PRECOMPILED_TEMPLATES = new Map([\n${entries.join(',\n')}\n]);\n`;
}

/**
 * The templates/ folder as one gzip-compressed JSON array of
 * `{ path, text | base64, executable }`, paths relative to templatesDir with
 * forward slashes, sorted: what src/catalog/templates.ts reads when the
 * package has no templates/ folder (the published package).
 */
export function templatesPack(templatesDir) {
  const files = readdirSync(templatesDir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => {
      const content = readFileSync(file);
      const text = content.toString('utf8');
      const executable = (statSync(file).mode & 0o111) !== 0;
      const relative = path.relative(templatesDir, file).split(path.sep).join('/');
      return Buffer.from(text, 'utf8').equals(content)
        ? { path: relative, text, executable }
        : { path: relative, base64: content.toString('base64'), executable };
    });
  return gzipSync(JSON.stringify(files), { level: 9 });
}
