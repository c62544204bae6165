// The benchmark's program for the official Node SDK; twin of LoadScenarios.Bench + BenchGroup in
// tests/Boma.Pulumi.Conformance.Programs. Size from BOMA_SCENARIO_RESOURCES (default 2000).
"use strict";
const pulumi = require("@pulumi/pulumi");

class Text extends pulumi.CustomResource {
    constructor(name, args, opts) {
        super("simple:index:Text", name, { text: args.text }, { version: "2.0.0", ...opts });
    }
}

// A chain of text resources, each depending on the previous one's id, every third one secret.
class Group extends pulumi.ComponentResource {
    constructor(name, size, opts) {
        super("bench:index:Group", name, {}, opts);
        let previous;
        for (let k = 0; k < size; k++) {
            let text = previous === undefined ? pulumi.output(`${name}-${k}`) : pulumi.interpolate`${previous.id}/${k}`;
            if (k % 3 === 0) {
                text = pulumi.secret(text);
            }
            previous = new Text(`${name}-r${k}`, { text }, { parent: this, dependsOn: previous === undefined ? [] : [previous] });
        }
        this.registerOutputs({});
    }
}

const n = parseInt(process.env.BOMA_SCENARIO_RESOURCES || "2000", 10);
let parent;
for (let g = 0; g * 10 < n; g++) {
    parent = new Group(`g${g}`, Math.min(10, n - g * 10), g % 5 === 0 ? undefined : { parent });
}
exports.count = n;
