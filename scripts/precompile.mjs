// Work the CLI would otherwise repeat at every start, done once by the build
// (scripts/build.mjs swaps these modules in for their run-time versions):
// - the roadmap.json and project manifest schemas compiled to standalone ajv
//   validators, so the CLI neither ships nor runs ajv's schema compiler;
// - every Handlebars template precompiled, keyed by the SHA-1 of its source, so
//   rendering skips Handlebars' parser and code generator; the specs ship as a
//   gzip pack read on first use (dist/template-specs.json.gz). A template whose
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
export function templateSpecsPack(templatesDir) {
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
  return gzipSync(JSON.stringify([...specs]), { level: 9 });
}

/**
 * ESM source exporting PRECOMPILED_TEMPLATES, read from the pack templateSpecsPack
 * wrote: at `packPath`, or, in the build (no argument), at TEMPLATE_SPECS_PACK of
 * src/paths.ts. The pack is read on first use and a spec evaluated only when its
 * template is rendered, so the CLI neither ships the specs as uncompressed code
 * (a megabyte and more) nor evaluates the specs of templates a project does not use.
 * A spec is JavaScript source the build generated, evaluated as Handlebars' own
 * compiler evaluates the code it generates.
 */
export function templateSpecsModule(packPath) {
  const locate =
    packPath === undefined
      ? "import { TEMPLATE_SPECS_PACK } from './src/paths.ts';\nconst PACK = TEMPLATE_SPECS_PACK;"
      : `const PACK = ${JSON.stringify(packPath)};`;
  return `import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
${locate}
let sources;
const evaluated = new Map();
function sourcesOf() {
  sources ??= new Map(JSON.parse(gunzipSync(readFileSync(PACK)).toString('utf8')));
  return sources;
}
export const PRECOMPILED_TEMPLATES = {
  get size() { return sourcesOf().size; },
  has(key) { return sourcesOf().has(key); },
  get(key) {
    let spec = evaluated.get(key);
    if (spec === undefined) {
      const source = sourcesOf().get(key);
      if (source === undefined) return undefined;
      spec = new Function(\`return (\${source});\`)();
      evaluated.set(key, spec);
    }
    return spec;
  },
};
`;
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
