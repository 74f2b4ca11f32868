// The official openai npm SDK against lorax-sim's OpenAI routes, as LoRAX and as vLLM (--dialect
// vllm): completions and chat completions, whole and streamed, the base model and an adapter, and
// an error. The SDK does the
// transport: its SSE framing, its stream iterator, its error classes. It does not validate
// response fields, so the checks below read the ones a client depends on (text, deltas, roles,
// usage, finish reasons, status) and compare the streamed text with the whole one.
//
//   node openai_sdk.cjs NODE_MODULES LORAX_SIM CATALOGUE
//
// Starts lorax-sim on a free loopback port and stops it at the end; the whole check is bounded
// by a deadline. Exit 0 when every check holds, 1 with the failed checks named.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [modules, simBinary, catalogue] = process.argv.slice(2);
if (!modules || !simBinary || !catalogue) {
  console.error('usage: node openai_sdk.cjs NODE_MODULES LORAX_SIM CATALOGUE');
  process.exit(2);
}
const { OpenAI, APIError } = require(path.join(modules, 'openai'));

const deadline = setTimeout(() => {
  console.error('openai_sdk: not done within 60 s');
  process.exit(1);
}, 60_000);

const failures = [];
function check(what, holds, detail) {
  console.log(`${holds ? 'ok  ' : 'FAIL'} ${what}${holds ? '' : `: ${detail}`}`);
  if (!holds) failures.push(what);
}

// lorax-sim writes its port to --port-file once it listens: the file's existence means ready.
async function startSimulator(dialect) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loadgate-openai-sdk-'));
  const portFile = path.join(dir, 'port');
  const sim = spawn(simBinary, ['--host', '127.0.0.1', '--port', '0', '--port-file', portFile, '--adapters', catalogue,
                                '--time-scale', '0.01', '--quiet', '--dialect', dialect],
                    { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let waited = 0; !fs.existsSync(portFile); waited += 20) {
    if (waited > 10_000 || sim.exitCode !== null) throw new Error('lorax-sim did not come up');
    await new Promise((done) => setTimeout(done, 20));
  }
  return { sim, dir, port: Number(fs.readFileSync(portFile, 'utf8').trim()) };
}

// vLLM answers an unknown model 404 before it looks for it; LoRAX tries to load it, then 424.
const unknownModelStatus = { lorax: 424, vllm: 404 };

async function checkDialect(dialect) {
  const { sim, dir, port } = await startSimulator(dialect);
  try {
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'not-checked', maxRetries: 0,
                                timeout: 10_000 });
    // One kept off the hub, so that the request must say where (adapter_source) to be served.
    const adapters = JSON.parse(fs.readFileSync(catalogue, 'utf8')).adapters.filter((a) => !a.broken);
    const adapter = adapters.find((a) => a.source !== 'hub') || adapters[0];
    // LoRAX's own extension, sent beside OpenAI's fields: where to load the adapter from.
    const withAdapter = { model: adapter.id, adapter_source: adapter.source };

    for (const model of [{ model: '' }, withAdapter]) {
      const name = `${dialect}, ${model.model || 'the base model'}`;
      const whole = await client.completions.create({ ...model, prompt: 'one two three', max_tokens: 6 });
      check(`completions, ${name}: text`, typeof whole.choices[0].text === 'string' && whole.choices[0].text.length > 0,
            JSON.stringify(whole));
      check(`completions, ${name}: usage`, whole.usage.completion_tokens === 6 && whole.usage.prompt_tokens === 3,
            JSON.stringify(whole.usage));
      check(`completions, ${name}: finish_reason`, whole.choices[0].finish_reason === 'length',
            whole.choices[0].finish_reason);

      let text = '', pieces = 0, usage = null;
      const stream = await client.completions.create({ ...model, prompt: 'one two three', max_tokens: 6, stream: true,
                                                       stream_options: { include_usage: true } });
      for await (const chunk of stream) {
        if (chunk.choices.length > 0 && chunk.choices[0].text) text += chunk.choices[0].text, ++pieces;
        if (chunk.usage && chunk.usage.completion_tokens > 0) usage = chunk.usage;
      }
      check(`completions stream, ${name}: a piece per token`, pieces === 6, `${pieces} pieces`);
      check(`completions stream, ${name}: the whole text`, text === whole.choices[0].text,
            `${JSON.stringify(text)} vs ${JSON.stringify(whole.choices[0].text)}`);
      check(`completions stream, ${name}: usage`, usage !== null && usage.completion_tokens === 6, JSON.stringify(usage));

      const chat = await client.chat.completions.create({ ...model, messages: [{ role: 'user', content: 'hello there' }],
                                                         max_tokens: 5 });
      const message = chat.choices[0].message;
      check(`chat, ${name}: an assistant message`, message.role === 'assistant' && message.content.length > 0,
            JSON.stringify(chat));
      check(`chat, ${name}: usage`, chat.usage.completion_tokens === 5, JSON.stringify(chat.usage));

      let content = '', roles = 0, finish = null;
      const chatStream = await client.chat.completions.create({ ...model, messages: [{ role: 'user', content: 'hello there' }],
                                                               max_tokens: 5, stream: true });
      for await (const chunk of chatStream) {
        for (const choice of chunk.choices) {
          if (choice.delta.role) ++roles;
          if (choice.delta.content) content += choice.delta.content;
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      }
      check(`chat stream, ${name}: the whole text`, content === message.content,
            `${JSON.stringify(content)} vs ${JSON.stringify(message.content)}`);
      check(`chat stream, ${name}: the assistant's role`, roles >= 1, `${roles} deltas with a role`);
      check(`chat stream, ${name}: finish_reason`, finish === 'length', finish);
    }

    // An adapter nobody has, which the SDK raises as an APIError with the server's status.
    const expected = unknownModelStatus[dialect];
    try {
      await client.completions.create({ model: 'nobody/missing-lora', prompt: 'x', max_tokens: 2 });
      check(`${dialect}: an unknown adapter is an error`, false, 'it succeeded');
    } catch (error) {
      check(`${dialect}: an unknown adapter is an APIError with status ${expected}`,
            error instanceof APIError && error.status === expected,
            `${error.constructor.name} ${error.status}: ${error.message}`);
    }
  } finally {
    sim.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  for (const dialect of ['lorax', 'vllm']) await checkDialect(dialect);
}

main().then(() => {
  clearTimeout(deadline);
  if (failures.length > 0) {
    console.error(`openai_sdk: ${failures.length} check(s) failed: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('openai_sdk: every check held');
}, (error) => {
  console.error(`openai_sdk: ${error.stack || error}`);
  process.exit(1);
});
