// A component with an input, a child (Parent = this) and a registered output.
"use strict";
const { pulumi, Resource } = require("../common");
class MyComponent extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("components:index:MyComponent", name, {}, opts);
        const res = new Resource(`${name}-res`, { value: args.input }, { parent: this });
        this.output = res.value;
        this.registerOutputs({ output: this.output });
    }
}
const comp = new MyComponent("comp", { input: true });
exports.result = comp.output;
