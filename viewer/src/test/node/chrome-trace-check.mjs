// Loads a Chrome Trace Event JSON file with the trace engine of Chrome DevTools' Performance panel
// (npm @paulirish/trace_engine, the panel's own model) and prints, one line each, what the panel
// would show: the process names, then per thread track its tid, its slice count, the depth of
// its slice tree (1 = only outermost calls) and its name.
//   process <pid> <name>
//   thread <pid> <tid> <slices> <depth> <name>
// Exit status 1 with one line on stderr if the engine rejects the file.
// Usage: node chrome-trace-check.mjs TRACE.json
import fs from 'node:fs';
import * as Trace from '@paulirish/trace_engine/models/trace/trace.js';

// The engine uses DOMRect, which Node lacks; it needs only the plain fields.
globalThis.DOMRect ??= class DOMRect
{
    constructor(x = 0, y = 0, width = 0, height = 0)
    {
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
    }
};

const file = process.argv[2];
if (!file)
{
    console.error('usage: node chrome-trace-check.mjs TRACE.json');
    process.exit(2);
}
try
{
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const model = Trace.TraceModel.Model.createWithAllHandlers();
    await model.parse(json.traceEvents ?? json);
    const data = model.parsedTrace().data;
    const names = data.Meta.processNames;
    for (const [pid, event] of names ?? [])
    {
        console.log(`process ${pid} ${event.args.name}`);
    }
    for (const [pid, proc] of data.Renderer.processes)
    {
        for (const [tid, thread] of proc.threads)
        {
            console.log(`thread ${pid} ${tid} ${thread.entries.length} ${thread.tree?.maxDepth} ${thread.name}`);
        }
    }
}
catch (e)
{
    console.error(`chrome-trace-check: the trace engine rejected ${file}: ${e && e.message}`);
    process.exit(1);
}
