// Stands in for `inquirer` in the bundle. node-plop imports it at load time for
// its prompts, which this CLI never uses (answers come from flags or the CLI's
// own prompter), and inquirer with its dependencies would add about 1 MB.
function unavailable() {
  throw new Error('node-plop prompts are not available in create-python-roadmap-project: answers come from flags.');
}

export default { registerPrompt: unavailable, prompt: unavailable, createPromptModule: unavailable };
