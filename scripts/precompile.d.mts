// Types of scripts/precompile.mjs, for the tests that hold its output to the run-time modules.
export declare const AJV_OPTIONS: { readonly allErrors: boolean; readonly strict: boolean };
export declare const HANDLEBARS_OPTIONS: { readonly noEscape: boolean; readonly strict: boolean };
export declare function schemaValidatorModule(schemaFile: string, exportName: string): string;
export declare function roadmapValidatorModule(schemaFile: string): string;
export declare function manifestValidatorModule(schemaFile: string): string;
export declare function templateKey(source: string): string;
export declare function templateSpecsPack(templatesDir: string): Buffer;
export declare function templateSpecsModule(packPath?: string): string;
export declare function templatesPack(templatesDir: string): Buffer;
